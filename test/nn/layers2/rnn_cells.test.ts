// rnn({cell}) over simpleRNNCell, lstmCell, gruCell and stacked cells against @tensorflow/tfjs: weights named and
// shaped as tfjs's, outputs, states and gradients equal; configs round-trip; a cell applied on its own is one step.
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { expectClose, randomArray } from '../../helpers/gradcheck';
import { compareLayer } from './layer_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe('rnn over one cell: outputs and gradients as tfjs', () => {
  test.each([
    ['simpleRNNCell', { units: 4 }, {}],
    ['lstmCell', { units: 3 }, { returnSequences: true }],
    ['lstmCell', { units: 3, unitForgetBias: true, activation: 'relu' }, { goBackwards: true }],
    ['gruCell', { units: 3 }, { returnSequences: true, goBackwards: true }],
    ['gruCell', { units: 2, recurrentActivation: 'sigmoid', useBias: false }, {}],
  ])('%s %j, rnn %j', (cell, cellArgs, rnnArgs) => {
    compareLayer({ make: (L) => L.rnn({ cell: L[cell](cellArgs), ...rnnArgs }), inputShape: [2, 5, 3] });
  });
});

describe('rnn over stacked cells', () => {
  test.each([
    [{}, 'a list of cells'],
    [{ returnSequences: true, goBackwards: true }, 'a list, backwards, whole sequence'],
  ])('%j (%s): weights <rnn>/RNNCell_i/..., outputs and gradients as tfjs', (rnnArgs) => {
    compareLayer({ make: (L) => L.rnn({ cell: [L.simpleRNNCell({ units: 3 }), L.lstmCell({ units: 2 }), L.gruCell({ units: 4 })], ...rnnArgs }), inputShape: [2, 4, 3] });
  });
  test('stackedRNNCells({cells}) as the cell is the same as a list', () => {
    compareLayer({ make: (L) => L.rnn({ cell: L.stackedRNNCells({ cells: [L.gruCell({ units: 2 }), L.simpleRNNCell({ units: 3 })] }), returnSequences: true }), inputShape: [3, 3, 2] });
  });
});

test('returnState and initialState: states in tfjs order (stacked: last cell first)', () => {
  const T = tf();
  const x = randomArray(2 * 4 * 3, 5);
  const init = [randomArray(2 * 2, 6), randomArray(2 * 2, 7), randomArray(2 * 3, 8)]; // lstm (h, c) of the last cell, then simpleRNN's h
  const make = (L: Any) => L.rnn({ cell: [L.simpleRNNCell({ units: 3 }), L.lstmCell({ units: 2 })], returnState: true });
  const theirs = make(T.layers);
  const mine = make(tn.layers);
  const shapes = [[2, 2], [2, 2], [2, 3]];
  theirs.apply([T.tensor(x, [2, 4, 3]), ...init.map((v, i) => T.tensor(v, shapes[i]))]);
  mine.apply([tn.tensor(x, [2, 4, 3]), ...init.map((v, i) => tn.tensor(v, shapes[i]))]);
  const w = theirs.getWeights().map((t: Any, i: number) => randomArray(t.size, 20 + i, -0.7, 0.7));
  theirs.setWeights(w.map((v: Any, i: number) => T.tensor(v, theirs.weights[i].shape)));
  mine.setWeights(w.map((v: Any, i: number) => tn.tensor(v, theirs.weights[i].shape)));
  const want = theirs.apply([T.tensor(x, [2, 4, 3]), ...init.map((v, i) => T.tensor(v, shapes[i]))]) as Any[];
  const got = mine.apply([tn.tensor(x, [2, 4, 3]), ...init.map((v, i) => tn.tensor(v, shapes[i]))]) as tn.Tensor[];
  expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
  got.forEach((t, i) => expectClose(t.dataSync(), want[i].dataSync(), 1e-4, 1e-5));
  expect(mine.computeOutputShape([null, 4, 3])).toEqual([[null, 2], [null, 2], [null, 2], [null, 3]]);
  expect(() => mine.apply([tn.tensor(x, [2, 4, 3]), tn.zeros([2, 2])])).toThrow(/rnn '.*': initialState must be 3 tensor\(s\)/);
});

test('a cell applied on its own runs one step: [output, ...states]', () => {
  const cell = tn.layers.lstmCell({ units: 3 });
  const rnn = tn.layers.rnn({ cell: tn.layers.lstmCell({ units: 3 }) });
  const x = tn.tensor(randomArray(2 * 4, 3), [2, 4]);
  const out = cell.apply([x, tn.zeros([2, 3]), tn.zeros([2, 3])]) as unknown as tn.Tensor[];
  expect(out.map((t) => t.shape)).toEqual([[2, 3], [2, 3], [2, 3]]);
  rnn.apply(tn.reshape(x, [2, 1, 4]));
  rnn.setWeights(cell.getWeights());
  const seq = rnn.apply(tn.reshape(x, [2, 1, 4])) as tn.Tensor;
  expectClose(seq.dataSync(), out[0].dataSync(), 1e-6, 1e-7);
  expect(cell.stateSize).toEqual([3, 3]);
  expect(tn.layers.gruCell({ units: 5 }).stateSize).toBe(5);
});

test('a tfjs layers-model with rnn cells loads here, predicts the same, and saves back bit-identically', async () => {
  const T = tf();
  const m = T.sequential();
  m.add(T.layers.rnn({ cell: T.layers.lstmCell({ units: 3 }), inputShape: [4, 2], returnSequences: true, name: 'r1' }));
  m.add(T.layers.rnn({ cell: [T.layers.simpleRNNCell({ units: 2 }), T.layers.gruCell({ units: 3 })], name: 'r2' }));
  let artifacts: Any = null;
  await m.save(T.io.withSaveHandler(async (a: Any) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const loaded = await tn.loadLayersModel(tn.io.fromMemory(artifacts));
  expect(loaded.weights.map((w) => w.name)).toEqual(m.weights.map((w: Any) => w.name.replace(/^(r\d)[^/]*/, '$1')));
  const x = randomArray(3 * 4 * 2, 9);
  expectClose((loaded.predict(tn.tensor(x, [3, 4, 2])) as tn.Tensor).dataSync(), m.predict(T.tensor(x, [3, 4, 2])).dataSync(), 1e-5, 1e-6);
  let back: Any = null;
  await loaded.save(tn.io.withSaveHandler(async (a) => ((back = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  expect(Buffer.from(back.weightData).equals(Buffer.from(artifacts.weightData))).toBe(true);
  const again = await T.loadLayersModel(T.io.fromMemory(back.modelTopology, back.weightSpecs, back.weightData));
  expectClose(again.predict(T.tensor(x, [3, 4, 2])).dataSync(), m.predict(T.tensor(x, [3, 4, 2])).dataSync(), 1e-6, 1e-7);
});

test('configs round-trip through getConfig and deserializeLayer (single and stacked)', () => {
  const layers = [
    tn.layers.rnn({ cell: tn.layers.gruCell({ units: 3, resetAfter: true, kernelConstraint: 'nonNeg' }), returnSequences: true, goBackwards: true }),
    tn.layers.rnn({ cell: [tn.layers.simpleRNNCell({ units: 2, dropout: 0.1 }), tn.layers.lstmCell({ units: 3 })], returnState: true }),
  ];
  for (const l of layers) {
    const again = tn.layers.deserializeLayer(JSON.parse(JSON.stringify(l.toJSON())));
    expect(again.getConfig()).toEqual(l.getConfig());
  }
  // As tfjs: a single cell's options also at the top level.
  expect(layers[0].getConfig()).toMatchObject({ units: 3, resetAfter: true, cell: { className: 'GRUCell' } });
});

test('errors name the layer and what was expected', () => {
  expect(() => tn.layers.rnn({ cell: tn.layers.dense({ units: 2 }) as never })).toThrow(/rnn: 'cell' must be a simpleRNNCell, lstmCell, gruCell, stackedRNNCells or a list of cells, got Dense/);
  expect(() => tn.layers.stackedRNNCells({ cells: [] })).toThrow(/stackedRNNCells: 'cells' must be a non-empty list/);
  expect(() => tn.layers.lstmCell({ units: 0 })).toThrow(/'units' must be a positive integer up to 2147483647, got 0/);
  expect(() => tn.layers.rnn({ cell: tn.layers.lstmCell({ units: 2 }), stateful: true })).toThrow(/'stateful' RNNs are not supported/);
  expect(() => tn.layers.rnn({ cell: tn.layers.lstmCell({ units: 2 }) }).apply(tn.zeros([2, 3]))).toThrow(/needs inputs \[batch, steps, features\]/);
  const cell = tn.layers.simpleRNNCell({ units: 2 });
  tn.layers.rnn({ cell }).apply(tn.zeros([1, 2, 3]));
  expect(() => tn.layers.rnn({ cell }).apply(tn.zeros([1, 2, 3]))).toThrow(/already belongs to another RNN/);
});
