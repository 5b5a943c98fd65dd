// Recurrent layers and wrappers: tfjs weight shapes and names, output shapes, goBackwards, initial states,
// bidirectional merging, timeDistributed, dropout only in training, config round trips, training in a Sequential
// model, and option errors. (Values and gradients against tfjs itself: recurrent_tfjs.test.ts.)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { layers } from '../../lib';
import { deserializeLayer } from '../../lib/nn/layers/registry';
import { expectClose, randomArray } from '../helpers/gradcheck';

const x = (B: number, T: number, I: number, seed = 1): tn.Tensor => tn.tensor(randomArray(B * T * I, seed), [B, T, I]);
const shapes = (l: tn.layers.Layer): [string, readonly number[]][] => l.weights.map((w) => [w.name, w.shape]);

test('weights have tfjs shapes and names; unitForgetBias sets the forget-gate bias to one', async () => {
  const s = layers.simpleRNN({ units: 5, name: 's' });
  const l = layers.lstm({ units: 5, name: 'l', unitForgetBias: true });
  const g = layers.gru({ units: 5, name: 'g' });
  const ga = layers.gru({ units: 5, resetAfter: true, name: 'ga' });
  const input = x(2, 4, 3);
  expect(s.apply(input).shape).toEqual([2, 5]);
  expect(l.apply(input).shape).toEqual([2, 5]);
  expect(g.apply(input).shape).toEqual([2, 5]);
  expect(ga.apply(input).shape).toEqual([2, 5]);
  expect(shapes(s)).toEqual([['s/kernel', [3, 5]], ['s/recurrent_kernel', [5, 5]], ['s/bias', [5]]]);
  expect(shapes(l)).toEqual([['l/kernel', [3, 20]], ['l/recurrent_kernel', [5, 20]], ['l/bias', [20]]]);
  expect(shapes(g)).toEqual([['g/kernel', [3, 15]], ['g/recurrent_kernel', [5, 15]], ['g/bias', [15]]]);
  expect(shapes(ga)).toEqual([['ga/kernel', [3, 15]], ['ga/recurrent_kernel', [5, 15]], ['ga/bias', [2, 15]]]);
  expect(Array.from(await l.bias!.value.data())).toEqual([...Array(5).fill(0), ...Array(5).fill(1), ...Array(10).fill(0)]);
  // The recurrent kernel is (semi-)orthogonal: R R^T = I for [U, G*U].
  const R = g.recurrentKernel!.value;
  const rrt = await tn.matmul(R, R, { transposeB: true }).data();
  expectClose(rrt, Float32Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)), 1e-4, 1e-5);
});

test('returnSequences, goBackwards (= the reversed input), initial states and final states', async () => {
  tn.setSeed(3);
  const l = layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' });
  const input = x(2, 5, 3, 7);
  const seq = l.apply(input);
  expect(seq.shape).toEqual([2, 5, 4]);
  const back = deserializeLayer({ className: 'LSTM', config: { ...l.getConfig(), name: 'back', goBackwards: true } }) as tn.layers.LSTM;
  back.build([null, 5, 3]);
  back.setWeights(l.getWeights());
  const reversed = tn.concat([4, 3, 2, 1, 0].map((t) => tn.slice(input, [0, t, 0], [2, 1, 3])), 1);
  expectClose(await back.apply(input).data(), await l.apply(reversed).data(), 1e-5);
  // Final states equal the last step; a given initial state changes the result and chains like one longer sequence.
  const first = l.callWithState(tn.slice(input, [0, 0, 0], [2, 3, 3]));
  expect(first.states.map((s) => s.shape)).toEqual([[2, 4], [2, 4]]);
  expectClose(await first.states[0].data(), await tn.slice(seq, [0, 2, 0], [2, 1, 4]).data(), 1e-5);
  const rest = l.callWithState(tn.slice(input, [0, 3, 0], [2, 2, 3]), first.states);
  expectClose(await rest.output.data(), await tn.slice(seq, [0, 3, 0], [2, 2, 4]).data(), 1e-5);
  expect(() => l.callWithState(input, [tn.zeros([2, 4])])).toThrow(/initialState/);
});

test('bidirectional concatenates forward and time-aligned backward outputs; other merge modes', async () => {
  tn.setSeed(4);
  const inner = layers.gru({ units: 3, returnSequences: true, name: 'enc' });
  const bi = layers.bidirectional({ layer: inner });
  const input = x(2, 4, 2, 9);
  const y = bi.apply(input);
  expect(y.shape).toEqual([2, 4, 6]);
  // tfjs's names: the wrapper's name, then the direction's layer (test/io/tfjs_layers checks them against tfjs).
  const scope = `${bi.name}/`;
  expect(bi.weights.map((w) => w.name)).toEqual(['forward_enc/kernel', 'forward_enc/recurrent_kernel', 'forward_enc/bias', 'backward_enc/kernel', 'backward_enc/recurrent_kernel', 'backward_enc/bias'].map((n) => scope + n));
  const f = await bi.forwardLayer.apply(input).data();
  const b = bi.backwardLayer.apply(input); // in processing order: step s is time T-1-s
  const yd = await y.data();
  const bd = await b.data();
  for (let n = 0; n < 2; n++)
    for (let t = 0; t < 4; t++)
      for (let u = 0; u < 3; u++) {
        expect(yd[(n * 4 + t) * 6 + u]).toBeCloseTo(f[(n * 4 + t) * 3 + u], 5);
        expect(yd[(n * 4 + t) * 6 + 3 + u]).toBeCloseTo(bd[(n * 4 + (3 - t)) * 3 + u], 5);
      }
  const ave = layers.bidirectional({ layer: layers.simpleRNN({ units: 2 }), mergeMode: 'ave' });
  expect(ave.apply(input).shape).toEqual([2, 2]);
  expect(ave.computeOutputShape([null, 4, 2])).toEqual([null, 2]);
  expect(bi.computeOutputShape([null, 4, 2])).toEqual([null, 4, 6]);
  const copy = deserializeLayer(JSON.parse(JSON.stringify(bi.toJSON()))) as tn.layers.Bidirectional;
  copy.build([null, 4, 2]);
  copy.setWeights(bi.getWeights());
  expectClose(await copy.apply(input).data(), yd, 1e-6);
  expect(() => layers.bidirectional({ layer: layers.dense({ units: 2 }) as never })).toThrow(/recurrent/);
});

test('timeDistributed applies a layer to every step with shared weights', async () => {
  const dense = layers.dense({ units: 2, name: 'td_dense' });
  const td = layers.timeDistributed({ layer: dense });
  const input = x(3, 4, 5);
  const y = td.apply(input);
  expect(y.shape).toEqual([3, 4, 2]);
  // tfjs names the inner layer's weights under the wrapper alone: 'time_distributed/kernel'.
  expect(td.weights.map((w) => w.name)).toEqual([`${td.name}/kernel`, `${td.name}/bias`]);
  const step2 = dense.apply(tn.reshape(tn.slice(input, [0, 2, 0], [3, 1, 5]), [3, 5]));
  expectClose(await tn.slice(y, [0, 2, 0], [3, 1, 2]).data(), await step2.data(), 1e-6);
  expect(td.computeOutputShape([null, 4, 5])).toEqual([null, 4, 2]);
});

test('input and recurrent dropout only in training; configs round-trip', async () => {
  tn.setSeed(5);
  const input = x(4, 3, 6);
  for (const l of [layers.simpleRNN({ units: 3, dropout: 0.5, returnSequences: true }), layers.gru({ units: 3, recurrentDropout: 0.5, returnSequences: true })]) {
    const a = await l.apply(input).data();
    expectClose(await l.apply(input).data(), a, 1e-6);
    const t = await l.apply(input, { training: true }).data();
    expect(Array.from(t)).not.toEqual(Array.from(a));
  }
  const l = layers.simpleRNN({ units: 3, dropout: 0.5, recurrentDropout: 0.25, returnSequences: true });
  for (const layer of [l, layers.lstm({ units: 2, goBackwards: true, unitForgetBias: true }), layers.gru({ units: 2, resetAfter: true, recurrentActivation: 'sigmoid' })]) {
    const json = JSON.parse(JSON.stringify(layer.toJSON()));
    expect(deserializeLayer(json).getConfig()).toEqual(layer.getConfig());
  }
});

test('an LSTM text-like classifier trains in a Sequential model (loss falls)', async () => {
  tn.setSeed(6);
  const N = 64;
  const T = 6;
  const xs = randomArray(N * T, 11);
  const ys = new Float32Array(N);
  for (let n = 0; n < N; n++) ys[n] = xs.subarray(n * T, n * T + T).reduce((s, v) => s + v, 0) > 0 ? 1 : 0;
  const model = tn.sequential({ layers: [layers.lstm({ units: 8, inputShape: [T, 1] }), layers.dense({ units: 1, activation: 'sigmoid' })] });
  model.compile({ optimizer: new tn.optim.Adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(tn.tensor(xs, [N, T, 1]), tn.tensor(ys, [N, 1]), { epochs: 20, batchSize: 16, verbose: 0 });
  const loss = h.history.loss as number[];
  expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0]);
  expect((h.history.acc as number[])[loss.length - 1]).toBeGreaterThan(0.85);
});

test('embedding looks up rows (int32 or float ids), trains its table and keeps its config', async () => {
  const e = layers.embedding({ inputDim: 6, outputDim: 3, inputLength: 4, name: 'emb' });
  const ids = tn.tensor(Int32Array.from([0, 5, 2, 2, 1, 1, 3, 4]), [2, 4], { dtype: 'int32' });
  const y = e.apply(ids);
  expect(y.shape).toEqual([2, 4, 3]);
  expect(e.weights.map((w) => [w.name, w.shape])).toEqual([['emb/embeddings', [6, 3]]]);
  const table = await e.embeddings!.value.data();
  const out = await y.data();
  [0, 5, 2, 2, 1, 1, 3, 4].forEach((id, k) => expect(Array.from(out.subarray(3 * k, 3 * k + 3))).toEqual(Array.from(table.subarray(3 * id, 3 * id + 3))));
  expectClose(await e.apply(tn.cast(ids, 'float32')).data(), out, 0);
  tn.sum(e.apply(ids)).backward();
  // Row 2 and row 1 were looked up twice: their gradient is 2, unused rows get 0.
  expect(Array.from(await e.embeddings!.value.grad!.data())).toEqual([1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  expect(e.computeOutputShape([null, 4])).toEqual([null, 4, 3]);
  expect(deserializeLayer(JSON.parse(JSON.stringify(e.toJSON()))).getConfig()).toEqual(e.getConfig());
  expect(() => layers.embedding({ inputDim: 0, outputDim: 2 })).toThrow(/inputDim/);
});

test('a model of sequence layers saves and loads with identical predictions', async () => {
  tn.setSeed(8);
  const m = tn.sequential({
    layers: [
      layers.embedding({ inputDim: 9, outputDim: 4, inputLength: 5 }),
      layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true }) }),
      layers.timeDistributed({ layer: layers.dense({ units: 2 }) }),
      layers.gru({ units: 3, resetAfter: true, goBackwards: true }),
      layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const ids = tn.tensor(Int32Array.from({ length: 10 }, (_, i) => (i * 5) % 9), [2, 5], { dtype: 'int32' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-rnn-save-'));
  try {
    await m.save(dir);
    const loaded = (await tn.loadModel(dir)) as tn.Sequential;
    expect(loaded.layers.map((l) => l.className)).toEqual(['Embedding', 'Bidirectional', 'TimeDistributed', 'GRU', 'Dense']);
    expectClose(await (loaded.predict(ids) as tn.Tensor).data(), await (m.predict(ids) as tn.Tensor).data(), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('options outside what the layers support are ValueErrors naming the layer', () => {
  expect(() => layers.lstm({ units: 0 })).toThrow(/lstm: 'units'/);
  expect(() => layers.gru({ units: 2, recurrentDropout: 1.5 })).toThrow(/recurrentDropout/);
  expect(() => layers.simpleRNN({ units: 2, stateful: true })).toThrow(/stateful/);
  expect(() => layers.lstm({ units: 2, activation: 'softmax' as never })).toThrow(/activation/);
  expect(() => layers.simpleRNN({ units: 2, dropout: 1 })).toThrow(/dropout/);
  expect(() => layers.lstm({ units: 2 }).apply(tn.zeros([2, 3]))).toThrow(/\[batch, steps, features\]/);
});
