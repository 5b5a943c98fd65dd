// model.fitDataset / evaluateDataset: the same training as fit() from equal weights, batchesPerEpoch continuing one
// iterator across epochs, validation from a dataset or tensors, callbacks, the next batch requested while a step
// runs, DataLoader batches, and typed errors.
import * as tn from '../../lib';
import { layers } from '../../lib';
import { ArrayDataset, DataLoader } from '../../lib/data/dataset';
import { expectClose, randomArray } from '../helpers/gradcheck';

function problem(n = 48, seed = 1): { x: tn.Tensor; y: tn.Tensor; xs: Float32Array; ys: Float32Array } {
  const xs = randomArray(n * 2, seed);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) ys[i] = xs[2 * i] - 0.5 * xs[2 * i + 1] > 0 ? 1 : 0;
  return { x: tn.tensor(xs, [n, 2]), y: tn.tensor(ys, [n, 1]), xs, ys };
}

/** evaluate()'s values as numbers, whether it returns numbers or (tfjs-style) scalar tensors. */
async function values(r: unknown): Promise<number[]> {
  const v = await r;
  const list = Array.isArray(v) ? v : [v];
  return Promise.all(list.map(async (x) => (typeof x === 'number' ? x : (await (x as tn.Tensor).data())[0])));
}

function model(): tn.Sequential {
  tn.setSeed(5);
  const m = tn.sequential({ layers: [layers.dense({ units: 6, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: tn.optimizers.sgd({ learningRate: 0.3 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** {xs, ys} batches of `size` rows in order, through tf.data. */
function batches(p: { xs: Float32Array; ys: Float32Array }, size: number): tn.data.Dataset<unknown> {
  const n = p.ys.length;
  const rows = Array.from({ length: n }, (_, i) => ({ xs: p.xs.subarray(2 * i, 2 * i + 2), ys: p.ys.subarray(i, i + 1) }));
  return tn.data.array(rows).batch(size);
}

test('fitDataset trains exactly as fit() without shuffling, from equal weights', async () => {
  const p = problem();
  const a = model();
  const b = model();
  const ha = await a.fit(p.x, p.y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
  const hb = await b.fitDataset(batches(p, 16), { epochs: 3, verbose: 0 });
  expect(hb.epoch).toEqual([0, 1, 2]);
  expectClose(Float32Array.from(hb.history.loss as number[]), Float32Array.from(ha.history.loss as number[]), 1e-5);
  expect(hb.history.acc).toEqual(ha.history.acc);
  const [wa, wb] = [a.getWeights(), b.getWeights()];
  for (let i = 0; i < wa.length; i++) expectClose(await wb[i].data(), await wa[i].data(), 1e-5);
  const ev = (await b.evaluateDataset(batches(p, 10))) as tn.Tensor[];
  const ref = await values(b.evaluate(p.x, p.y, { batchSize: 10 }));
  expect(ev.map((t) => t.shape)).toEqual([[], []]);
  expectClose(Float32Array.from(await values(ev)), Float32Array.from(ref), 1e-5);
  const two = (await b.evaluateDataset(batches(p, 10), { batches: 2 })) as tn.Tensor[];
  const firstRows = await values(b.evaluate(tn.slice(p.x, [0, 0], [20, 2]), tn.slice(p.y, [0, 0], [20, 1]), { batchSize: 10 }));
  expectClose(Float32Array.from((await values(two)).slice(0, 1)), Float32Array.from(firstRows.slice(0, 1)), 1e-5);
  tn.dispose([ev, two]);
});

test('batchesPerEpoch continues one iterator across epochs; running out stops with a warning', async () => {
  const p = problem(40);
  const m = model();
  const seen: number[] = [];
  const ds = batches(p, 10).repeat();
  const events: string[] = [];
  const h = await m.fitDataset(ds, {
    epochs: 3,
    batchesPerEpoch: 3,
    verbose: 0,
    callbacks: {
      onEpochBegin: (e) => void events.push(`e${e}`),
      onBatchEnd: (b, logs) => {
        events.push(`b${b}`);
        seen.push(logs!.size);
      },
    },
  });
  expect(h.epoch).toEqual([0, 1, 2]);
  expect(events).toEqual(['e0', 'b0', 'b1', 'b2', 'e1', 'b0', 'b1', 'b2', 'e2', 'b0', 'b1', 'b2']);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const short = await model().fitDataset(batches(p, 10), { epochs: 5, batchesPerEpoch: 3, verbose: 0 });
  expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ran out after 1 batches in epoch 1/));
  warn.mockRestore();
  expect(short.epoch).toEqual([0, 1]);
});

test('validationData as a dataset or as tensors gives val_ logs equal to evaluate()', async () => {
  const p = problem(32);
  const v = problem(20, 9);
  const m = model();
  const h1 = await m.fitDataset(batches(p, 8), { epochs: 1, verbose: 0, validationData: batches(v, 5) });
  const after = await values(m.evaluate(v.x, v.y));
  expectClose(Float32Array.from([h1.history.val_loss[0] as number, h1.history.val_acc[0] as number]), Float32Array.from(after), 1e-5);
  const h2 = await m.fitDataset(batches(p, 8), { epochs: 1, verbose: 0, validationData: [v.x, v.y] });
  const after2 = await values(m.evaluate(v.x, v.y));
  expectClose(Float32Array.from([h2.history.val_loss[0] as number]), Float32Array.from([after2[0]]), 1e-5);
});

test('the next batch is requested while the current step is still running', async () => {
  const p = problem(40);
  const log: string[] = [];
  let k = 0;
  const ds = batches(p, 10).map((b) => {
    log.push(`build ${k++}`);
    return b;
  });
  await model().fitDataset(ds, {
    verbose: 0,
    callbacks: { onBatchEnd: (b) => void log.push(`end ${b}`) },
  });
  expect(log.indexOf('build 1')).toBeLessThan(log.indexOf('end 0'));
  expect(log.indexOf('build 2')).toBeLessThan(log.indexOf('end 1'));
});

test('a DataLoader (ArrayND batches) and [xs, ys] elements train too', async () => {
  const p = problem(30);
  const loader = new DataLoader(new ArrayDataset({ x: { data: p.xs, shape: [30, 2] }, y: { data: p.ys, shape: [30, 1] } }), { batchSize: 10 }).map((b) => ({ xs: b.x, ys: b.y }));
  const h = await model().fitDataset(loader, { epochs: 2, verbose: 0 });
  expect(h.history.loss).toHaveLength(2);
  const pairs = tn.data.zip([tn.data.array([p.x]), tn.data.array([p.y])]);
  const h2 = await model().fitDataset(pairs, { verbose: 0 });
  expect(Number.isFinite(h2.history.loss[0] as number)).toBe(true);
});

test('bad datasets and options are ValueErrors', async () => {
  const m = model();
  await expect(m.fitDataset([1, 2] as never)).rejects.toThrow(/Dataset/);
  await expect(m.fitDataset(tn.data.array([1, 2]), { verbose: 0 })).rejects.toThrow(/\{xs, ys\}/);
  await expect(m.fitDataset(tn.data.array([]), { verbose: 0 })).rejects.toThrow(/no batches/);
  await expect(m.fitDataset(batches(problem(4), 2), { batchesPerEpoch: 0 })).rejects.toThrow(/batchesPerEpoch/);
  const unc = tn.sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
  await expect(unc.fitDataset(batches(problem(4), 2))).rejects.toThrow(/compile/);
});
