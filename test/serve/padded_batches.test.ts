// Predictor({padBatches: true}): every pass has a fixed row count, so a request's result is bit-identical whatever it
// was batched with, at any position in the batch (checked on the small CNN and on a wider MLP whose GEMMs are large
// enough for BLAS's blocked, multi-threaded kernels).
import * as tn from '../../lib';
import { Predictor } from '../../lib/serve';
import { randomArray } from '../helpers/gradcheck';
import { rows, smallCnn } from './models';

function wideMlp(): tn.Sequential {
  tn.setSeed(11);
  const m = tn.sequential({
    layers: [
      tn.layers.dense({ units: 256, activation: 'relu', inputShape: [300], name: 'h1' }),
      tn.layers.dense({ units: 128, activation: 'tanh', name: 'h2' }),
      tn.layers.dense({ units: 10, activation: 'softmax', name: 'probs' }),
    ],
  });
  m.build();
  return m;
}

const cases: [string, () => tn.Sequential, (n: number, seed: number) => Float32Array][] = [
  ['small CNN', () => smallCnn(5), rows],
  ['wide MLP', wideMlp, (n, seed) => randomArray(n * 300, seed, -1, 1)],
];

test.each(cases)('%s: batched with others (sizes 1-3, any position) equals alone, bit for bit', async (_name, make, input) => {
  const model = make();
  const p = await Predictor.load(model, { maxBatchSize: 24, maxQueueDelayMs: 30, padBatches: true });
  const sizes = [1, 3, 2, 1, 1, 2, 3, 1, 2, 1];
  const inputs = sizes.map((n, i) => input(n, 500 + i));
  const together = await Promise.all(inputs.map((x) => p.predict(x)));
  expect(Math.max(...together.map((r) => r.batchSize))).toBe(24); // 17 rows, padded to maxBatchSize
  for (let i = 0; i < inputs.length; i++) {
    const alone = await p.predict(inputs[i]);
    expect(alone.batchSize).toBe(24); // padded to maxBatchSize too
    const [a, b] = [together[i].outputs, alone.outputs].map((o) => Object.values(o)[0]);
    expect(a.shape).toEqual(b.shape);
    expect(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength))).toBe(true);
  }
  expect(p.padBatches).toBe(true);
  await p.close();
  model.dispose();
});

test('with preferred sizes, a pass is padded to the smallest that holds it', async () => {
  const model = smallCnn(6);
  const p = await Predictor.load(model, { maxBatchSize: 32, preferredBatchSizes: [16, 4], maxQueueDelayMs: 1, padBatches: true, warmup: false });
  expect((await p.predict(rows(1, 1))).batchSize).toBe(4);
  expect((await p.predict(rows(5, 2))).batchSize).toBe(16);
  expect((await p.predict(rows(17, 3))).batchSize).toBe(32);
  expect((await p.predict(rows(40, 4))).batchSize).toBe(40); // larger than maxBatchSize: runs alone, unpadded
  await p.close();
  model.dispose();
});

test('padBatches must be a boolean', async () => {
  const model = smallCnn(6);
  await expect(Predictor.load(model, { padBatches: 'yes' as unknown as boolean })).rejects.toThrow(/'padBatches' must be a boolean/);
  model.dispose();
});
