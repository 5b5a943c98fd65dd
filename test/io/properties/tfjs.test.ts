// Property tests of the tfjs layers-model format (model.json + weights manifest + weights.bin): random models saved
// with save('file://') load bit-identical, and mutated model.json or weights.bin either load a model whose weights
// match the manifest or throw a typed error, with nothing left allocated, no hang and no allocation beyond the file.
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../../lib';
import { mulberry32 } from '../../../lib/data/prng';
import { editJson, jsonEditsArb, mutationsArb, mutate, SEED, typedOrConsistent } from './mutate';

let tmp: string;
let warn: jest.SpyInstance;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-tfjs-prop-'));
  // Mutated weights may hold NaN: their warnings are expected here, not news.
  warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterAll(() => {
  warn.mockRestore();
  fs.rmSync(tmp, { recursive: true, force: true });
});
let n = 0;
const freshDir = (): string => path.join(tmp, `m${n++}`);

/** Finite float32 values of every bit pattern class (subnormals, -0, large), from a seed. */
function randomFinite(count: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const bits = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const b = (rng() * 2 ** 32) >>> 0;
    bits[i] = (b & 0x7f800000) === 0x7f800000 ? b & 0x807fffff : b; // exponent all ones (Inf/NaN) -> subnormal
  }
  return new Float32Array(bits.buffer);
}

const archArb = fc.record({
  inputDim: fc.integer({ min: 1, max: 6 }),
  units: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }),
  batchNorm: fc.boolean(),
  seed: fc.nat(),
});

function build(a: { inputDim: number; units: number[]; batchNorm: boolean; seed: number }): tn.Sequential {
  const layers: tn.layers.Layer[] = [tn.layers.dense({ units: a.units[0], inputShape: [a.inputDim], activation: 'relu' })];
  if (a.batchNorm) layers.push(tn.layers.batchNormalization());
  for (const u of a.units.slice(1)) layers.push(tn.layers.dense({ units: u }));
  const m = tn.sequential({ layers });
  const values = m.weights.map((w, i) => tn.tensor(randomFinite(w.value.size, a.seed + i), [...w.shape]));
  m.setWeights(values); // copies
  values.forEach((v) => v.dispose());
  return m;
}

const bytes = async (t: tn.Tensor): Promise<Buffer> => {
  const d = await t.data();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};

test('round trip: weights bit-identical, names and shapes as saved', async () => {
  const base = tn.memory().numTensors;
  await fc.assert(
    fc.asyncProperty(archArb, async (a) => {
      const m = build(a);
      const dir = freshDir();
      await m.save(`file://${dir}`);
      const back = await tn.loadLayersModel(`file://${dir}/model.json`, { device: 'cpu', strict: true });
      try {
        expect(back.weights.map((w) => [w.name, w.shape])).toEqual(m.weights.map((w) => [w.name, w.shape]));
        for (let i = 0; i < m.weights.length; i++) expect((await bytes(back.weights[i].value)).equals(await bytes(m.weights[i].value))).toBe(true);
      } finally {
        back.dispose();
        m.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }),
    { seed: SEED, numRuns: 40 },
  );
  expect(tn.memory().numTensors).toBe(base);
});

describe('mutation', () => {
  let good: string;
  let json: Record<string, unknown>;
  let weights: Buffer;
  beforeAll(async () => {
    const m = build({ inputDim: 3, units: [4, 2], batchNorm: true, seed: 1 });
    good = freshDir();
    await m.save(`file://${good}`);
    m.dispose();
    json = JSON.parse(fs.readFileSync(path.join(good, 'model.json'), 'utf8'));
    weights = fs.readFileSync(path.join(good, 'weights.bin'));
  });

  const writeDir = (j: unknown, w: Uint8Array): string => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'weights.bin'), w);
    fs.writeFileSync(path.join(dir, 'model.json'), typeof j === 'string' || j instanceof Uint8Array ? j : JSON.stringify(j));
    return dir;
  };

  /** Loads `dir`: a typed error, or a model that matches its manifest; memory back to where it was either way. */
  const check = async (dir: string): Promise<'ok' | 'refused'> => {
    const before = tn.memory();
    const out = await typedOrConsistent(
      () => tn.loadLayersModel(`file://${dir}/model.json`, { device: 'cpu' }),
      (m) => {
        const groups = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest as { weights: { name: string; shape: number[] }[] }[];
        const specs = new Map(groups.flatMap((g) => g.weights).map((w) => [w.name, w.shape]));
        expect(m.weights.map((w) => [w.name, [...w.shape]])).toEqual(m.weights.map((w) => [w.name, specs.get(w.name)]));
        expect(m.weights.length).toBe(specs.size);
        // Nothing larger than the weights file was allocated.
        expect(tn.memory().numBytes - before.numBytes).toBeLessThanOrEqual(fs.statSync(path.join(dir, 'weights.bin')).size);
        m.dispose();
      },
    );
    expect(tn.memory().numTensors).toBe(before.numTensors);
    expect(tn.memory().numBytes).toBe(before.numBytes);
    fs.rmSync(dir, { recursive: true, force: true });
    return out;
  };

  test('model.json fields replaced, removed or added: a consistent model or a typed error', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(jsonEditsArb, async (edits) => {
        if ((await check(writeDir(editJson(json, edits), weights))) === 'refused') refused++;
      }),
      { seed: SEED, numRuns: 300, timeout: 10000 },
    );
    expect(refused).toBeGreaterThan(150);
  });

  test('model.json bytes mutated: a consistent model or a typed error', async () => {
    const text = Buffer.from(JSON.stringify(json));
    await fc.assert(
      fc.asyncProperty(mutationsArb, async (muts) => {
        await check(writeDir(mutate(text, muts), weights));
      }),
      { seed: SEED, numRuns: 150, timeout: 10000 },
    );
  });

  test('weights.bin mutated (truncated, extended, bytes changed): consistent or typed', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(mutationsArb, async (muts) => {
        if ((await check(writeDir(json, mutate(weights, muts)))) === 'refused') refused++;
      }),
      { seed: SEED, numRuns: 200, timeout: 10000 },
    );
    // Changed bytes keep the size and load (as other values); a size change is refused.
    expect(refused).toBeGreaterThan(50);
  });
});
