// Property tests of the tfjs layers-model format (model.json + weights manifest + weights.bin): random models saved
// with save('file://') load bit-identical, and mutated model.json or weights.bin either load a model whose weights
// match the manifest or throw a typed error, with nothing left allocated, no hang and no allocation beyond the file.
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import * as tn from '../../../lib';
import { editJson, jsonEditsArb, mutationsArb, mutate, SEED } from './mutate';
import { archArb, buildModel, checkLoad, expectRoundTrip, modelTempDirs } from './models';

const freshDir = modelTempDirs('tn-tfjs-prop-');

test('round trip: weights bit-identical, names and shapes as saved', async () => {
  const base = tn.memory().numTensors;
  await fc.assert(
    fc.asyncProperty(archArb, async (a) => {
      const m = buildModel(a);
      const dir = freshDir();
      await expectRoundTrip(m, dir, () => m.save(`file://${dir}`), () => tn.loadLayersModel(`file://${dir}/model.json`, { device: 'cpu', strict: true }));
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
    const m = buildModel({ inputDim: 3, units: [4, 2], batchNorm: true, seed: 1 });
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

  /** Loads `dir`: a typed error, or a model whose every weight is in the manifest with its shape. */
  const check = (dir: string): Promise<'ok' | 'refused'> => {
    const consistent = (m: tn.LayersModel): void => {
      const groups = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest as { weights: { name: string; shape: number[] }[] }[];
      const specs = new Map(groups.flatMap((g) => g.weights).map((w) => [w.name, w.shape]));
      expect(m.weights.map((w) => [w.name, [...w.shape]])).toEqual(m.weights.map((w) => [w.name, specs.get(w.name)]));
      expect(m.weights.length).toBe(specs.size);
    };
    // Quantized (uint8) weights take a quarter of their float32 size in the file.
    return checkLoad(dir, () => tn.loadLayersModel(`file://${dir}/model.json`, { device: 'cpu' }), consistent, 4 * fs.statSync(path.join(dir, 'weights.bin')).size);
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
