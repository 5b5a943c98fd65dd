// Each new layer in a model: saved with model.save('file://...') and loaded back bit-identically (and, where tfjs
// has the layer, loaded by tfjs to the same predictions); a short fit lowers the loss for each family.
import * as os from 'os';
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { expectClose, randomArray } from '../../helpers/gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-layers2-'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

const L = tn.layers;
interface Case {
  name: string;
  input: number[];
  layers: () => tn.layers.Layer[];
  /** tfjs can load it (false: a Keras-only option, or tfjs's own bug in that layer). */
  tfjs?: boolean;
  int?: number;
}

const cases: Case[] = [
  { name: 'conv1d', input: [7, 3], layers: () => [L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [7, 3] }), L.flatten(), L.dense({ units: 2 })] },
  { name: 'conv1d causal', input: [7, 3], layers: () => [L.conv1d({ filters: 2, kernelSize: 2, padding: 'causal', dilationRate: 2, inputShape: [7, 3] })], tfjs: false },
  { name: 'conv2dTranspose', input: [3, 3, 2], layers: () => [L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, inputShape: [3, 3, 2] })] },
  { name: 'depthwiseConv2d', input: [5, 5, 3], layers: () => [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [5, 5, 3] })] },
  { name: 'separableConv2d', input: [5, 5, 3], layers: () => [L.separableConv2d({ filters: 4, kernelSize: 2, padding: 'same', inputShape: [5, 5, 3] })] },
  { name: 'rnn(lstmCell)', input: [4, 3], layers: () => [L.rnn({ cell: L.lstmCell({ units: 3 }), inputShape: [4, 3] })] },
  { name: 'rnn(stacked)', input: [4, 3], layers: () => [L.rnn({ cell: [L.gruCell({ units: 2 }), L.simpleRNNCell({ units: 3 })], returnSequences: true, inputShape: [4, 3] })] },
  { name: 'alphaDropout', input: [5], layers: () => [L.dense({ units: 4, inputShape: [5], activation: 'selu' }), L.alphaDropout({ rate: 0.2 })] },
  // tfjs's centerCrop and categoryEncoding write their output shape into the input shape they are given: a reshape
  // first keeps tfjs's model input intact (ours does not need it).
  { name: 'rescaling + centerCrop', input: [72], layers: () => [L.reshape({ targetShape: [6, 6, 2], inputShape: [72] }), L.rescaling({ scale: 0.5, offset: 1 }), L.centerCrop({ height: 3, width: 4 }), L.flatten(), L.dense({ units: 2 })] },
  // tfjs's Resizing.computeOutputShape drops the batch dim, so tfjs cannot build this model.
  { name: 'resizing', input: [4, 5, 2], layers: () => [L.resizing({ height: 3, width: 3, inputShape: [4, 5, 2] }), L.flatten(), L.dense({ units: 2 })], tfjs: false },
  { name: 'categoryEncoding', input: [3], int: 6, layers: () => [L.reshape({ targetShape: [3], inputShape: [3] }), L.categoryEncoding({ numTokens: 6, outputMode: 'count' }), L.dense({ units: 2 })] },
];

describe.each(cases)('$name', (c) => {
  test('model.save("file://") then loadLayersModel: same weights bit for bit, same predictions (and in tfjs)', async () => {
    tn.setSeed(11);
    const model = tn.sequential({ layers: c.layers() });
    const n = 3 * c.input.reduce((a, b) => a * b, 1);
    const raw = randomArray(n, 5, 0, c.int ?? 1);
    const xs = c.int ? Array.from(raw, Math.floor) : Array.from(raw);
    const x = () => tn.tensor(xs, [3, ...c.input], { dtype: c.int ? 'int32' : 'float32' } as Any);
    const want = (model.predict(x()) as tn.Tensor).dataSync();
    const dir = path.join(tmp, c.name.replace(/\W+/g, '_'));
    await model.save(`file://${dir}`);
    const loaded = await tn.loadLayersModel(`file://${dir}/model.json`);
    expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
    loaded.weights.forEach((w, i) => expect(Buffer.from(w.value.dataSync().buffer).equals(Buffer.from(model.weights[i].value.dataSync().buffer))).toBe(true));
    expect(Array.from((loaded.predict(x()) as tn.Tensor).dataSync())).toEqual(Array.from(want));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    if (c.tfjs === false) return;
    const T = tf();
    const a = (await tn.io.fileSystem(dir).load()) as Any;
    const theirs = await T.loadLayersModel(T.io.fromMemory(a));
    const tx = T.tensor(xs, [3, ...c.input], c.int ? 'int32' : 'float32');
    expectClose(theirs.predict(tx).dataSync(), want, 1e-5, 1e-6);
  });
});

describe('a short fit lowers the loss', () => {
  test.each([
    ['convolutions', [6, 6, 2], () => [L.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 1, inputShape: [6, 6, 2] }), L.depthwiseConv2d({ kernelSize: 3 }), L.separableConv2d({ filters: 3, kernelSize: 2, activation: 'relu' }), L.reshape({ targetShape: [16, 3] }), L.conv1d({ filters: 2, kernelSize: 3 }), L.flatten(), L.dense({ units: 1 })]],
    ['rnn cells', [5, 3], () => [L.rnn({ cell: [L.lstmCell({ units: 4 }), L.gruCell({ units: 4 })], returnSequences: true, inputShape: [5, 3] }), L.rnn({ cell: L.simpleRNNCell({ units: 3 }) }), L.dense({ units: 1 })]],
    ['preprocessing', [6, 6, 1], () => [L.rescaling({ scale: 2, offset: -1, inputShape: [6, 6, 1] }), L.centerCrop({ height: 4, width: 4 }), L.resizing({ height: 3, width: 3 }), L.flatten(), L.dense({ units: 8, activation: 'selu' }), L.alphaDropout({ rate: 0.1 }), L.dense({ units: 1 })]],
  ])('%s', async (_name, input, make) => {
    tn.setSeed(21);
    const model = tn.sequential({ layers: (make as () => tn.layers.Layer[])() });
    model.compile({ optimizer: tn.train.adam(0.01), loss: 'meanSquaredError' });
    const shape = input as number[];
    const n = 16 * shape.reduce((a, b) => a * b, 1);
    const x = tn.tensor(randomArray(n, 1), [16, ...shape]);
    const y = tn.tensor(randomArray(16, 2, -1, 1), [16, 1]);
    const h = await model.fit(x, y, { epochs: 25, batchSize: 16, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(0.7 * loss[0]);
  });
  test('categoryEncoding into dense', async () => {
    tn.setSeed(22);
    const model = tn.sequential({ layers: [L.categoryEncoding({ numTokens: 5, inputShape: [3] }), L.dense({ units: 1 })] });
    model.compile({ optimizer: tn.train.adam(0.05), loss: 'meanSquaredError' });
    const x = tn.tensor(Array.from(randomArray(16 * 3, 3, 0, 5), Math.floor), [16, 3], { dtype: 'int32' } as Any);
    const h = await model.fit(x, tn.tensor(randomArray(16, 4), [16, 1]), { epochs: 20, batchSize: 16, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(0.7 * loss[0]);
  });
});
