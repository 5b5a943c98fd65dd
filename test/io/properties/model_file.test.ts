// Property tests of tensornode's model directory (model.json + weights.safetensors): random models save and load
// bit-identical, and mutated model.json or weights either load a model that matches its manifest or throw a typed
// error, with nothing left allocated, no hang (a per-case time limit) and no allocation beyond the file.
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import * as tn from '../../../lib';
import { mulberry32 } from '../../../lib/data/prng';
import { editJson, jsonEditsArb, mutationsArb, mutate, SEED, typedOrConsistent } from './mutate';

let tmp: string;
let warn: jest.SpyInstance;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-model-prop-'));
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
  compiled: fc.boolean(),
  learningRate: fc.double({ min: 1e-6, max: 1, noNaN: true }),
  seed: fc.nat(),
});

function build(a: { inputDim: number; units: number[]; batchNorm: boolean; compiled: boolean; learningRate: number; seed: number }): tn.Sequential {
  const layers: tn.layers.Layer[] = [tn.layers.dense({ units: a.units[0], inputShape: [a.inputDim], activation: 'relu' })];
  if (a.batchNorm) layers.push(tn.layers.batchNormalization());
  for (const u of a.units.slice(1)) layers.push(tn.layers.dense({ units: u }));
  const m = tn.sequential({ layers });
  const values = m.weights.map((w, i) => tn.tensor(randomFinite(w.value.size, a.seed + i), [...w.shape]));
  m.setWeights(values); // copies
  values.forEach((v) => v.dispose());
  if (a.compiled) m.compile({ optimizer: tn.optimizers.adam({ learningRate: a.learningRate }), loss: 'meanSquaredError', metrics: ['mse'] });
  return m;
}

const bytes = async (t: tn.Tensor): Promise<Buffer> => {
  const d = await t.data();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};

test('round trip: weights bit-identical, names, shapes and the training config as saved', async () => {
  const base = tn.memory().numTensors;
  await fc.assert(
    fc.asyncProperty(archArb, async (a) => {
      const m = build(a);
      const dir = freshDir();
      await m.save(dir);
      const back = await tn.loadModel(dir, { device: 'cpu', strict: true });
      try {
        expect(back.weights.map((w) => [w.name, w.shape])).toEqual(m.weights.map((w) => [w.name, w.shape]));
        for (let i = 0; i < m.weights.length; i++) expect((await bytes(back.weights[i].value)).equals(await bytes(m.weights[i].value))).toBe(true);
        expect(back.optimizer?.getConfig().learningRate).toBe(a.compiled ? a.learningRate : undefined);
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
    const m = build({ inputDim: 3, units: [4, 2], batchNorm: true, compiled: true, learningRate: 0.01, seed: 1 });
    good = freshDir();
    await m.save(good, { includeOptimizer: false });
    m.dispose();
    json = JSON.parse(fs.readFileSync(path.join(good, 'model.json'), 'utf8'));
    weights = fs.readFileSync(path.join(good, 'weights.safetensors'));
  });

  /** Writes a model directory; `fixSha` puts the weights' real sha256 in model.json so the content checks are reached. */
  const writeDir = (j: unknown, w: Uint8Array, fixSha: boolean): string => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'weights.safetensors'), w);
    const doc = j as Record<string, unknown>;
    if (fixSha && doc && typeof doc === 'object') doc.weightsSha256 = createHash('sha256').update(w).digest('hex');
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(j));
    return dir;
  };

  /** Loads `dir`: a typed error, or a model that matches its manifest; memory back to where it was either way. */
  const check = async (dir: string): Promise<'ok' | 'refused'> => {
    const before = tn.memory();
    const out = await typedOrConsistent(
      () => tn.loadModel(dir, { device: 'cpu' }),
      (m) => {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest as { name: string; shape: number[] }[];
        expect(m.weights.map((w) => [w.name, [...w.shape]])).toEqual(manifest.map((w) => [w.name, w.shape]));
        // Nothing larger than the weights file was allocated.
        expect(tn.memory().numBytes - before.numBytes).toBeLessThanOrEqual(fs.statSync(path.join(dir, 'weights.safetensors')).size);
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
        if ((await check(writeDir(editJson(json, edits), weights, false))) === 'refused') refused++;
      }),
      { seed: SEED, numRuns: 300, timeout: 10000 },
    );
    expect(refused).toBeGreaterThan(150);
  });

  test('model.json bytes mutated: a consistent model or a typed error', async () => {
    const text = Buffer.from(JSON.stringify(json));
    await fc.assert(
      fc.asyncProperty(mutationsArb, async (muts) => {
        const dir = freshDir();
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'weights.safetensors'), weights);
        fs.writeFileSync(path.join(dir, 'model.json'), mutate(text, muts));
        await check(dir);
      }),
      { seed: SEED, numRuns: 150, timeout: 10000 },
    );
  });

  test('weights.safetensors mutated (sha256 in model.json fixed so the content is checked): consistent or typed', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(mutationsArb, fc.boolean(), async (muts, fixSha) => {
        const headerLen = 8 + Number(weights.readBigUInt64LE(0));
        if ((await check(writeDir(json, mutate(weights, muts, headerLen), fixSha))) === 'refused') refused++;
      }),
      { seed: SEED, numRuns: 200, timeout: 10000 },
    );
    expect(refused).toBeGreaterThan(100);
  });
});
