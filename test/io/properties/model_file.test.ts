// Property tests of tensornode's model directory (model.json + weights.safetensors): random models save and load
// bit-identical, and mutated model.json or weights either load a model that matches its manifest or throw a typed
// error, with nothing left allocated, no hang (a per-case time limit) and no allocation beyond the file.
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import * as tn from '../../../lib';
import { editJson, jsonEditsArb, mutationsArb, mutate, SEED } from './mutate';
import { archArb, buildModel, checkLoad, expectRoundTrip, modelTempDirs } from './models';

const freshDir = modelTempDirs('tn-model-prop-');

test('round trip: weights bit-identical, names, shapes and the training config as saved', async () => {
  const base = tn.memory().numTensors;
  await fc.assert(
    fc.asyncProperty(archArb, fc.boolean(), fc.double({ min: 1e-6, max: 1, noNaN: true }), async (a, compiled, learningRate) => {
      const m = buildModel(a);
      if (compiled) m.compile({ optimizer: tn.optimizers.adam({ learningRate }), loss: 'meanSquaredError', metrics: ['mse'] });
      const dir = freshDir();
      await expectRoundTrip(m, dir, () => m.save(dir), () => tn.loadModel(dir, { device: 'cpu', strict: true }), (back) =>
        expect(back.optimizer?.getConfig().learningRate).toBe(compiled ? learningRate : undefined),
      );
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
    m.compile({ optimizer: tn.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError', metrics: ['mse'] });
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

  /** Loads `dir`: a typed error, or a model whose weights are the manifest's (names, shapes, order). */
  const check = (dir: string): Promise<'ok' | 'refused'> => {
    const manifest = (): { name: string; shape: number[] }[] => JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest;
    const consistent = (m: tn.LayersModel): void => expect(m.weights.map((w) => [w.name, [...w.shape]])).toEqual(manifest().map((w) => [w.name, w.shape]));
    return checkLoad(dir, () => tn.loadModel(dir, { device: 'cpu' }), consistent, fs.statSync(path.join(dir, 'weights.safetensors')).size);
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
