// Sequential training behaviour: callbacks and their order, EarlyStopping, ReduceLROnPlateau, ModelCheckpoint,
// seeded repeatability, validation, class weights, trainOnBatch, weights, JSON, summary, flat memory, a free event loop.
import { PassThrough } from 'stream';
import * as tn from '../../lib';
import { layers } from '../../lib';
import { expectClose, randomArray } from '../helpers/gradcheck';
import { scalars } from '../helpers/model_values';

/** A small seeded regression/classification problem: y = 1 when x0 + x1 > 0. */
function data(n = 64, seed = 1): { x: tn.Tensor; y: tn.Tensor } {
  const xs = randomArray(n * 2, seed);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) ys[i] = xs[2 * i] + xs[2 * i + 1] > 0 ? 1 : 0;
  return { x: tn.tensor(xs, [n, 2]), y: tn.tensor(ys, [n, 1]) };
}

function model(opts: { dropout?: boolean } = {}): tn.Sequential {
  const m = tn.sequential({
    layers: [
      layers.dense({ units: 8, activation: 'relu', inputShape: [2] }),
      ...(opts.dropout ? [layers.dropout({ rate: 0.2 })] : []),
      layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: tn.optimizers.sgd({ learningRate: 0.5 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

test('callbacks fire in order with logs; fit resolves to the History', async () => {
  const { x, y } = data(10);
  const events: string[] = [];
  const m = model();
  const h = await m.fit(x, y, {
    epochs: 2,
    batchSize: 4,
    verbose: 0,
    callbacks: {
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchBegin: (b) => void events.push(`batchBegin ${b}`),
      onBatchEnd: async (b, logs) => {
        await new Promise((r) => setTimeout(r, 1)); // async hooks are awaited
        events.push(`batchEnd ${b} ${logs!.size} ${typeof logs!.loss}`);
      },
      onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${Object.keys(logs!).join(',')}`),
      onTrainEnd: () => void events.push('trainEnd'),
    },
  });
  const epoch = (e: number) => [
    `epochBegin ${e}`,
    'batchBegin 0',
    'batchEnd 0 4 number',
    'batchBegin 1',
    'batchEnd 1 4 number',
    'batchBegin 2',
    'batchEnd 2 2 number',
    `epochEnd ${e} loss,acc`,
  ];
  expect(events).toEqual(['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
  expect(h.epoch).toEqual([0, 1]);
  expect(h.history.loss).toHaveLength(2);
  expect(h.history.acc.every((a) => a >= 0 && a <= 1)).toBe(true);
});

test('the epoch loss is the sample-weighted mean of the batch losses', async () => {
  const { x, y } = data(10);
  const m = model();
  const batch: { loss: number; size: number }[] = [];
  const h = await m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, callbacks: { onBatchEnd: (_b, l) => void batch.push({ loss: l!.loss, size: l!.size }) } });
  const expected = batch.reduce((s, b) => s + b.loss * b.size, 0) / 10;
  expect(h.history.loss[0]).toBeCloseTo(expected, 5);
});

test('seeded training is repeatable (init, shuffling, dropout)', async () => {
  const run = async () => {
    tn.setSeed(123);
    const { x, y } = data(32);
    const m = model({ dropout: true });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    return { loss: h.history.loss, w: Array.from(await m.getWeights()[0].data()) };
  };
  const a = await run();
  const b = await run();
  expect(b.loss).toEqual(a.loss);
  expect(b.w).toEqual(a.w);
  tn.setSeed(124);
  const { x, y } = data(32);
  const other = await model({ dropout: true }).fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  expect(other.history.loss).not.toEqual(a.loss);
});

test('stopTraining from a callback ends fit after the current batch', async () => {
  const { x, y } = data(16);
  const m = model();
  let batches = 0;
  const h = await m.fit(x, y, {
    epochs: 5,
    batchSize: 4,
    verbose: 0,
    callbacks: { onBatchEnd: (b) => { batches++; if (b === 1) m.stopTraining = true; } },
  });
  expect(batches).toBe(2);
  expect(h.epoch).toEqual([0]);
});

test('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
  tn.setSeed(5);
  const { x, y } = data(32);
  const m = model();
  // A fake monitored value: best at epoch 1, then worse.
  const values = [0.5, 0.2, 0.3, 0.4, 0.6, 0.7];
  let best: number[] = [];
  const inject = {
    onEpochEnd: async (e: number, logs?: tn.Logs) => {
      logs!.score = values[e];
      if (e === 1) best = Array.from(await m.getWeights()[0].data());
    },
  };
  const es = tn.callbacks.earlyStopping({ monitor: 'score', mode: 'min', patience: 2, restoreBestWeights: true });
  const h = await m.fit(x, y, { epochs: 6, batchSize: 8, verbose: 0, callbacks: [inject, es] });
  expect(h.epoch).toEqual([0, 1, 2, 3]);
  expect(es.stoppedEpoch).toBe(3);
  expect(es.bestEpoch).toBe(1);
  expect(Array.from(await m.getWeights()[0].data())).toEqual(best);
});

test('ReduceLROnPlateau multiplies the learning rate when the monitor stalls', async () => {
  const { x, y } = data(8);
  const m = model();
  const flat = { onEpochEnd: (_e: number, logs?: tn.Logs) => void (logs!.score = 1) };
  await m.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, callbacks: [flat, tn.callbacks.reduceLROnPlateau({ monitor: 'score', patience: 1, factor: 0.5 })] });
  // Epoch 0 sets the best; epochs 1, 2, 3 stall: a reduction at each (patience 1).
  expect(m.optimizer!.currentLearningRate).toBeCloseTo(0.5 * 0.5 ** 3, 10);
});

test('ModelCheckpoint saves every epoch, or only improvements', async () => {
  const { x, y } = data(8);
  const m = model();
  const saved: number[] = [];
  const cp = tn.callbacks.modelCheckpoint({ save: (_m, e) => void saved.push(e), monitor: 'loss', saveBestOnly: true });
  const every = tn.callbacks.modelCheckpoint({ save: () => undefined });
  await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [cp, every] });
  expect(every.saved).toEqual([0, 1, 2]);
  expect(saved[0]).toBe(0);
  expect(saved.length).toBeGreaterThanOrEqual(1);
});

test('validationSplit holds out the last rows; validationData is evaluated each epoch', async () => {
  const { x, y } = data(40);
  const m = model();
  const h = await m.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0 });
  expect(Object.keys(h.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
  // The validation numbers are those of evaluate() on the last 10 rows after training.
  const [vl, va] = await scalars(m.evaluate(tn.slice(x, [30, 0], [10, 2]), tn.slice(y, [30, 0], [10, 1])));
  expect(h.history.val_loss[1]).toBeCloseTo(vl, 5);
  expect(h.history.val_acc[1]).toBeCloseTo(va, 6);
  const v = data(12, 9);
  const h2 = await m.fit(x, y, { epochs: 1, batchSize: 8, validationData: [v.x, v.y], verbose: 0 });
  expect(h2.history.val_loss[0]).toBeCloseTo((await scalars(m.evaluate(v.x, v.y)))[0], 5);
});

test('classWeight scales each sample\'s loss by its class weight', async () => {
  const x = tn.tensor([[1, 0], [0, 1]]);
  const y = tn.tensor([[1], [0]]);
  const losses: number[] = [];
  for (const cw of [undefined, { 0: 1, 1: 3 }]) {
    tn.setSeed(9);
    const m = model();
    const per = await scalars(m.evaluate(x, y)); // same init for both runs
    const h = await m.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, classWeight: cw, shuffle: false });
    losses.push(h.history.loss[0]);
    expect(per[0]).toBeGreaterThan(0);
  }
  // Weighted loss = (3 * l1 + 1 * l0) / 2 vs (l1 + l0) / 2: recompute from the first model's per-sample losses.
  tn.setSeed(9);
  const m = model();
  const p = await m.predict(x).data();
  const l1 = -Math.log(p[0]);
  const l0 = -Math.log(1 - p[1]);
  expect(losses[0]).toBeCloseTo((l1 + l0) / 2, 4);
  expect(losses[1]).toBeCloseTo((3 * l1 + l0) / 2, 4);
});

test('trainOnBatch, predict in batches, getWeights/setWeights, toJSON/fromJSON, summary', async () => {
  const { x, y } = data(20);
  const m = model();
  const [loss, acc] = (await m.trainOnBatch(x, y)) as number[];
  expect(loss).toBeGreaterThan(0);
  expect(acc).toBeGreaterThanOrEqual(0);
  const whole = await m.predict(x, { batchSize: 100 }).data();
  expectClose(await m.predict(x, { batchSize: 3 }).data(), whole);
  expectClose(await (await m.predictAsync(x, { batchSize: 7 })).data(), whole);

  const copy = tn.Sequential.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
  expect(copy.layers.map((l) => l.className)).toEqual(['Dense', 'Dense']);
  copy.setWeights(m.getWeights());
  expectClose(await copy.predict(x).data(), whole);
  expect(copy.optimizer?.className).toBe('SGD');

  const lines: string[] = [];
  m.summary(undefined, undefined, (l) => lines.push(l));
  expect(lines.join('\n')).toMatch(/Total params: 33/); // 2*8+8 + 8*1+1
  expect(lines.some((l) => /\[null,8\]\s+24/.test(l))).toBe(true);
});

test('softmax + categoricalCrossentropy trains through the fused op and reports probabilities from predict', async () => {
  tn.setSeed(2);
  const n = 60;
  const xs = randomArray(n * 2, 4);
  const labels = new Int32Array(n).map((_, i) => (xs[2 * i] > 0 ? (xs[2 * i + 1] > 0 ? 0 : 1) : 2));
  const x = tn.tensor(xs, [n, 2]);
  const y = tn.oneHot(tn.tensor(labels, [n], { dtype: 'int32' }), 3);
  const m = tn.sequential({ layers: [layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 3, activation: 'softmax' })] });
  m.compile({ optimizer: tn.optimizers.adam({ learningRate: 0.05 }), loss: 'categoricalCrossentropy', metrics: ['accuracy', 'precision'] });
  const h = await m.fit(x, y, { epochs: 30, batchSize: 20, verbose: 0 });
  expect(h.history.acc[29]).toBeGreaterThan(0.9);
  const p = await m.predict(x).data();
  expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 5);
  // Sparse labels with the sparse loss give the same loss value on the same weights.
  const sparse = tn.sequential({ layers: [layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 3, activation: 'softmax' })] });
  sparse.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  sparse.build();
  sparse.setWeights(m.getWeights());
  const [a] = await scalars(m.evaluate(x, y));
  const [b] = await scalars(sparse.evaluate(x, tn.tensor(labels, [n], { dtype: 'int32' })));
  expect(b).toBeCloseTo(a, 5);
});

test('memory stays flat across epochs, and the event loop runs while fit works', async () => {
  const { x, y } = data(64);
  const m = model();
  await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  const before = tn.memory().numTensors;
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  clearInterval(timer);
  expect(tn.memory().numTensors).toBe(before);
  expect(ticks).toBeGreaterThan(0);
});

test('the progress display writes one line per epoch when not on a TTY', async () => {
  const { x, y } = data(8);
  const m = model();
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [new tn.ProgressLogger({ stream: out })] });
  const lines = text.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^Epoch 1\/2 - \d+(ms|\.\ds) - loss: \d\.\d{4} - acc: \d\.\d{4}$/);
});

test('errors: fit before compile, mismatched sample counts', async () => {
  const m = tn.sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
  await expect(m.fit(tn.zeros([2, 2]), tn.zeros([2, 1]))).rejects.toThrow(/compile/);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  await expect(m.fit(tn.zeros([2, 2]), tn.zeros([3, 1]), { verbose: 0 })).rejects.toThrow(/samples/);
  expect(() => m.compile({ optimizer: 'sgd', loss: 'hinge' })).toThrow(tn.ValueError);
});

test('on a TTY the progress display draws a live bar and ends each epoch with its logs', async () => {
  const { x, y } = data(8);
  const m = model();
  const out = Object.assign(new PassThrough(), { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let text = '';
  out.on('data', (d) => (text += d));
  await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [new tn.ProgressLogger({ stream: out })] });
  expect(text).toMatch(/Epoch 1\/1/);
  expect(text).toMatch(/2\/2/);
  expect(text).toMatch(/loss: \d\.\d{4} - acc: \d\.\d{4}/);
});

test('model.to(device) keeps training on that device', async () => {
  const { x, y } = data(8);
  const m = model().to('cpu');
  expect(m.device).toBe('cpu');
  expect(m.weights.every((w) => w.value.device === 'cpu')).toBe(true);
  const h = await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  expect(Number.isFinite(h.history.loss[0])).toBe(true);
});

test('a device error inside the batch pipeline rejects fit() (no crash, no unhandled rejection)', async () => {
  const m = tn.sequential({ layers: [layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const x = tn.tensor(randomArray(16, 3), [8, 2]);
  const bad = tn.tensor([0, 1, 2, 7, 0, 1, 2, 0], [8], { dtype: 'int32' }); // 7 is not a class
  await expect(m.fit(x, bad, { epochs: 1, batchSize: 2, verbose: 0 })).rejects.toThrow(tn.ValueError);
});

test('a final softmax with categoricalCrossentropy is fused: saturated logits give a finite loss and gradient', async () => {
  const m = tn.sequential({ layers: [layers.dense({ units: 3, activation: 'softmax', inputShape: [2], useBias: false })] });
  m.compile({ optimizer: tn.optimizers.sgd({ learningRate: 1e-4 }), loss: 'categoricalCrossentropy' });
  // Logits of +-1000: the probability of the true class underflows to 0 in float32, log(0) would be -Infinity.
  m.setWeights([tn.tensor([[1000, -1000, 0], [0, 0, 0]])]);
  const x = tn.tensor([[1, 0]]);
  const y = tn.tensor([[0, 1, 0]]);
  const [loss] = await scalars(m.evaluate(x, y));
  expect(loss).toBeCloseTo(2000, 0);
  await m.trainOnBatch(x, y);
  const w = await m.getWeights()[0].data();
  expect(Array.from(w).every(Number.isFinite)).toBe(true);
});
