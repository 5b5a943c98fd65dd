// Shared by the model-file property tests: a temp directory per file with the NaN warnings silenced, random small
// Sequential models with weights of every finite float32 bit-pattern class, and a load check that memory is restored.
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../../lib';
import { mulberry32 } from '../../../lib/data/prng';
import { typedOrConsistent } from './mutate';

/** Registers beforeAll/afterAll for a temp directory (and silenced warnings); returns a maker of fresh paths in it. */
export function modelTempDirs(prefix: string): () => string {
  let tmp = '';
  let n = 0;
  let warn: jest.SpyInstance;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    // Mutated weights may hold NaN: their warnings are expected here, not news.
    warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterAll(() => {
    warn.mockRestore();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  return () => path.join(tmp, `m${n++}`);
}

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

export interface Arch {
  inputDim: number;
  units: number[];
  batchNorm: boolean;
  seed: number;
}

export const archArb: fc.Arbitrary<Arch> = fc.record({
  inputDim: fc.integer({ min: 1, max: 6 }),
  units: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }),
  batchNorm: fc.boolean(),
  seed: fc.nat(),
});

/** Dense layers (optionally a batch norm after the first) with random finite weights. */
export function buildModel(a: Arch): tn.Sequential {
  const layers: tn.layers.Layer[] = [tn.layers.dense({ units: a.units[0], inputShape: [a.inputDim], activation: 'relu' })];
  if (a.batchNorm) layers.push(tn.layers.batchNormalization());
  for (const u of a.units.slice(1)) layers.push(tn.layers.dense({ units: u }));
  const m = tn.sequential({ layers });
  const values = m.weights.map((w, i) => tn.tensor(randomFinite(w.value.size, a.seed + i), [...w.shape]));
  m.setWeights(values); // copies
  values.forEach((v) => v.dispose());
  return m;
}

/** Whether two models hold the same weights: names, shapes and bytes. */
export async function expectSameWeights(a: tn.LayersModel, b: tn.LayersModel): Promise<void> {
  expect(a.weights.map((w) => [w.name, w.shape])).toEqual(b.weights.map((w) => [w.name, w.shape]));
  for (let i = 0; i < a.weights.length; i++) {
    const [x, y] = await Promise.all([a.weights[i].value.data(), b.weights[i].value.data()]);
    expect(Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength))).toBe(true);
  }
}

/**
 * Loads a mutated model directory: a typed error, or a model passing `consistent` that allocated no more than
 * `fileBytes`; memory as before either way (the model is disposed). The directory is removed afterwards.
 */
export async function checkLoad(dir: string, load: () => Promise<tn.LayersModel>, consistent: (m: tn.LayersModel) => void, fileBytes: number): Promise<'ok' | 'refused'> {
  const before = tn.memory();
  const out = await typedOrConsistent(load, (m) => {
    consistent(m);
    expect(tn.memory().numBytes - before.numBytes).toBeLessThanOrEqual(fileBytes);
    m.dispose();
  });
  expect(tn.memory().numTensors).toBe(before.numTensors);
  expect(tn.memory().numBytes).toBe(before.numBytes);
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** Saves `m` into `dir` with `save`, loads it with `load`, and expects the same weights (plus `more`); frees both. */
export async function expectRoundTrip(m: tn.LayersModel, dir: string, save: () => Promise<void>, load: () => Promise<tn.LayersModel>, more?: (back: tn.LayersModel) => void): Promise<void> {
  try {
    await save();
    const back = await load();
    try {
      await expectSameWeights(back, m);
      more?.(back);
    } finally {
      back.dispose();
    }
  } finally {
    m.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
