// convLstm2d and convLstm2dCell against @tensorflow/tfjs (same weights: outputs, states, input and weight gradients),
// the cell inside rnn({cell}), dropout in training, configs and errors.
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { expectClose, randomArray } from '../../helpers/gradcheck';
import { compareLayer } from '../layers2/layer_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe('convLstm2d vs tfjs', () => {
  test.each([
    ['valid, last output', { filters: 3, kernelSize: 3 }],
    ['same, sequences, tanh/sigmoid', { filters: 2, kernelSize: [2, 3], padding: 'same', returnSequences: true, recurrentActivation: 'sigmoid' }],
    ['strides 2, goBackwards', { filters: 2, kernelSize: 2, strides: 2, goBackwards: true, returnSequences: true }],
    ['relu, no bias', { filters: 2, kernelSize: 2, activation: 'relu', useBias: false }],
  ])('%s: outputs and gradients as tfjs', (_name, opts) => {
    compareLayer({ make: (L) => L.convLstm2d(opts), inputShape: [2, 3, 5, 6, 2], weightRange: [-0.5, 0.5] });
  });
  test('dilationRate 2: outputs as tfjs (tfjs has no dilated conv2d gradient)', () => {
    compareLayer({ make: (L) => L.convLstm2d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same' }), inputShape: [1, 2, 5, 5, 1], grads: false });
  });
  test('returnState: [output, h, c] as tfjs, and initial states through apply', () => {
    const T = tf();
    const opts = { filters: 2, kernelSize: 3, padding: 'same', returnState: true };
    const theirs = T.layers.convLstm2d(opts);
    const mine = tn.layers.convLstm2d(opts as Any);
    const xs = Array.from(randomArray(2 * 3 * 4 * 4 * 1, 5));
    const hs = Array.from(randomArray(2 * 4 * 4 * 2, 6));
    const cs = Array.from(randomArray(2 * 4 * 4 * 2, 7));
    theirs.apply(T.tensor(xs, [2, 3, 4, 4, 1]));
    mine.apply(tn.tensor(xs, [2, 3, 4, 4, 1]));
    const w = theirs.getWeights().map((t: Any) => Array.from(randomArray(t.size, t.size, -0.5, 0.5)));
    theirs.setWeights(w.map((v: number[], i: number) => T.tensor(v, theirs.weights[i].shape)));
    mine.setWeights(w.map((v: number[], i: number) => tn.tensor(v, mine.weights[i].shape as number[])));
    const a = theirs.apply(T.tensor(xs, [2, 3, 4, 4, 1]), { initialState: [T.tensor(hs, [2, 4, 4, 2]), T.tensor(cs, [2, 4, 4, 2])] });
    const b = mine.apply(tn.tensor(xs, [2, 3, 4, 4, 1]), { initialState: [tn.tensor(hs, [2, 4, 4, 2]), tn.tensor(cs, [2, 4, 4, 2])] }) as tn.Tensor[];
    expect(b.length).toBe(3);
    a.forEach((t: Any, i: number) => {
      expect(b[i].shape).toEqual(t.shape);
      expectClose(b[i].dataSync(), t.dataSync(), 1e-4, 1e-5);
    });
    expect(mine.computeOutputShape([null, 3, 4, 4, 1])).toEqual(theirs.computeOutputShape([null, 3, 4, 4, 1]));
  });
  test('weights kernel [kh, kw, C, 4F], recurrent_kernel [kh, kw, F, 4F], bias [4F]; unitForgetBias sets the f slice to 1', () => {
    const l = tn.layers.convLstm2d({ filters: 3, kernelSize: [2, 3], unitForgetBias: true, biasInitializer: 'zeros', name: 'cl' });
    l.apply(tn.zeros([1, 2, 4, 4, 5]));
    expect(l.weights.map((w) => `${w.name}:${w.shape}`)).toEqual(['cl/kernel:2,3,5,12', 'cl/recurrent_kernel:2,3,3,12', 'cl/bias:12']);
    expect(Array.from(l.weights[2].value.dataSync())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });
  test('config keys as tfjs, and it round-trips', () => {
    const T = tf();
    const opts = { filters: 2, kernelSize: 3, strides: 2, padding: 'same', returnSequences: true, dropout: 0.1 };
    const mine = tn.layers.convLstm2d(opts as Any);
    const theirs = T.layers.convLstm2d(opts);
    const c = mine.getConfig();
    const tc = theirs.getConfig();
    expect(Object.keys(c).sort()).toEqual(Object.keys(tc).filter((k) => k !== 'activityRegularizer').sort());
    for (const k of ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'activation', 'recurrentActivation', 'dropout', 'returnSequences', 'stateful', 'unroll']) expect(c[k]).toEqual(tc[k]);
    const back = tn.layers.deserializeLayer({ className: 'ConvLSTM2D', config: { ...c, name: 'again' } });
    expect({ ...back.getConfig(), name: c.name }).toEqual(c);
  });
  test('dropout and recurrentDropout act in training only, with one mask per gate kept over the steps', () => {
    const l = tn.layers.convLstm2d({ filters: 2, kernelSize: 2, dropout: 0.5, recurrentDropout: 0.5, padding: 'same', returnSequences: true });
    const x = tn.randomNormal([2, 3, 4, 4, 2], 0, 1, 'float32', 8);
    const y0 = (l.apply(x) as tn.Tensor).dataSync();
    const y1 = (l.apply(x) as tn.Tensor).dataSync();
    expect(Array.from(y1)).toEqual(Array.from(y0));
    const yt = (l.apply(x, { training: true }) as tn.Tensor).dataSync();
    expect(Array.from(yt)).not.toEqual(Array.from(y0));
    // Training through dropout still differentiates.
    const xl = tn.tensor(x.dataSync(), x.shape, { requiresGrad: true } as Any);
    tn.sum(l.apply(xl, { training: true }) as tn.Tensor).backward();
    expect(xl.grad!.shape).toEqual(x.shape);
  });
  test('errors name the layer and the argument', () => {
    expect(() => tn.layers.convLstm2d({ filters: 0, kernelSize: 2 })).toThrow(/convLstm2d: 'filters' must be a positive integer/);
    expect(() => tn.layers.convLstm2d({ filters: 1, kernelSize: 2, unroll: true })).toThrow(/unrolling is not possible/);
    expect(() => tn.layers.convLstm2d({ filters: 1, kernelSize: 2, strides: 2, dilationRate: 2 })).toThrow(/either 'strides' or 'dilationRate' must be 1/);
    expect(() => tn.layers.convLstm2d({ filters: 1, kernelSize: 2, dropout: 1 })).toThrow(/'dropout' must be in \[0, 1\)/);
    expect(() => tn.layers.convLstm2d({ filters: 1, kernelSize: 2 }).apply(tn.zeros([2, 3, 4]))).toThrow(/needs inputs \[batch, steps, height, width, channels\]/);
    const l = tn.layers.convLstm2d({ filters: 1, kernelSize: 2 });
    expect(() => l.apply(tn.zeros([1, 2, 3, 3, 1]), { initialState: [tn.zeros([1, 3, 3, 1]), tn.zeros([1, 3, 3, 1])] })).toThrow(/initialState must be 2 tensors \(h, c\) of shape \[1,2,2,1\]/);
  });
});

describe('convLstm2dCell', () => {
  test('rnn({cell: convLstm2dCell}) equals tfjs convLstm2d (tfjs\'s own rnn refuses rank-5 inputs)', () => {
    const opts = { filters: 2, kernelSize: 3, padding: 'same' };
    compareLayer({
      make: (L) => L.rnn({ cell: L.convLstm2dCell(opts), returnSequences: true }),
      makeTfjs: (L) => L.convLstm2d({ ...opts, returnSequences: true }),
      inputShape: [2, 3, 4, 5, 2],
      weightRange: [-0.5, 0.5],
    });
  });
  test('a step on its own: apply([x, h, c]) -> [h, h, c], the first step of the layer', () => {
    const cell = tn.layers.convLstm2dCell({ filters: 2, kernelSize: 2 });
    const x = tn.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 3);
    const [o, h, c] = cell.apply([x, tn.zeros([2, 3, 3, 2]), tn.zeros([2, 3, 3, 2])]) as tn.Tensor[];
    expect(o.shape).toEqual([2, 3, 3, 2]);
    expect(Array.from(o.dataSync())).toEqual(Array.from(h.dataSync()));
    expect(c.shape).toEqual([2, 3, 3, 2]);
    const layer = tn.layers.convLstm2d({ filters: 2, kernelSize: 2 });
    layer.apply(tn.reshape(x, [2, 1, 4, 4, 3]));
    layer.setWeights(cell.getWeights());
    expectClose((layer.apply(tn.reshape(x, [2, 1, 4, 4, 3])) as tn.Tensor).dataSync(), h.dataSync(), 1e-6, 1e-6);
    expect(cell.computeOutputShape([null, 4, 4, 3])).toEqual([[null, 3, 3, 2], [null, 3, 3, 2], [null, 3, 3, 2]]);
    expect(cell.stateSize).toEqual([2, 2]);
  });
  test('config as tfjs; cells cannot be stacked (as tfjs)', () => {
    const T = tf();
    const mine = tn.layers.convLstm2dCell({ filters: 2, kernelSize: 3, name: 'cc' });
    const theirs = T.layers.convLstm2dCell({ filters: 2, kernelSize: 3, name: 'cc' });
    expect(Object.keys(mine.getConfig()).sort()).toEqual(Object.keys(theirs.getConfig()).filter((k: string) => k !== 'activityRegularizer').sort());
    expect(() => tn.layers.rnn({ cell: [tn.layers.convLstm2dCell({ filters: 1, kernelSize: 1 }), tn.layers.convLstm2dCell({ filters: 1, kernelSize: 1 })] })).toThrow(/convolutional cells cannot be stacked/);
    const r = tn.layers.rnn({ cell: tn.layers.convLstm2dCell({ filters: 2, kernelSize: 3 }), returnState: true });
    expect(r.computeOutputShape([null, 4, 6, 6, 1])).toEqual([[null, 4, 4, 2], [null, 4, 4, 2], [null, 4, 4, 2]]);
    expect(() => r.apply(tn.zeros([2, 3, 4]))).toThrow(/needs inputs \[batch, steps, height, width, channels\]/);
  });
});
