// The new layers in models: saved with model.save('file://...') and loaded back bit-identically, loaded by tfjs to the
// same predictions, and a tfjs-saved model loaded here to tfjs's predictions; a short fit lowers the loss.
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
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-layers3d-'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

interface Case {
  name: string;
  input: number[];
  /** The same layers through either library's `layers` namespace. */
  layers: (L: Any) => Any[];
}

const cases: Case[] = [
  { name: 'conv3d + pooling', input: [4, 5, 4, 2], layers: (L) => [L.conv3d({ filters: 3, kernelSize: 2, padding: 'same', inputShape: [4, 5, 4, 2] }), L.maxPooling3d({ poolSize: 2 }), L.averagePooling3d({ poolSize: [1, 2, 1], padding: 'same' }), L.flatten(), L.dense({ units: 2 })] },
  { name: 'conv3dTranspose', input: [2, 3, 2, 2], layers: (L) => [L.conv3dTranspose({ filters: 2, kernelSize: [2, 3, 2], strides: 2, activation: 'relu', inputShape: [2, 3, 2, 2] })] },
  { name: 'convLstm2d', input: [3, 4, 4, 1], layers: (L) => [L.convLstm2d({ filters: 2, kernelSize: 2, padding: 'same', returnSequences: true, inputShape: [3, 4, 4, 1] }), L.convLstm2d({ filters: 1, kernelSize: 3 }), L.flatten(), L.dense({ units: 2 })] },
];

async function toDir(handler: (io: Any) => Any, save: (h: Any) => Promise<unknown>): Promise<Any> {
  let artifacts: Any = null;
  await save(handler((a: Any) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return artifacts;
}

describe.each(cases)('$name', (c) => {
  const n = 3 * c.input.reduce((a, b) => a * b, 1);
  const xs = Array.from(randomArray(n, 5));

  test('saved here: loads back bit for bit, and tfjs predicts the same', async () => {
    tn.setSeed(11);
    const model = tn.sequential({ layers: c.layers(tn.layers) });
    const x = () => tn.tensor(xs, [3, ...c.input]);
    const want = (model.predict(x()) as tn.Tensor).dataSync();
    const dir = path.join(tmp, c.name.replace(/\W+/g, '_'));
    await model.save(`file://${dir}`);
    const loaded = await tn.loadLayersModel(`file://${dir}/model.json`);
    expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
    loaded.weights.forEach((w, i) => expect(Buffer.from(w.value.dataSync().buffer).equals(Buffer.from(model.weights[i].value.dataSync().buffer))).toBe(true));
    expect(Array.from((loaded.predict(x()) as tn.Tensor).dataSync())).toEqual(Array.from(want));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    const T = tf();
    const a = (await tn.io.fileSystem(dir).load()) as Any;
    const theirs = await T.loadLayersModel(T.io.fromMemory(a));
    expectClose(theirs.predict(T.tensor(xs, [3, ...c.input])).dataSync(), want, 1e-4, 1e-5);
  });

  test('saved by tfjs: loads here to tfjs\'s predictions', async () => {
    const T = tf();
    const theirs = T.sequential({ layers: c.layers(T.layers) });
    const want = theirs.predict(T.tensor(xs, [3, ...c.input])).dataSync();
    const a = await toDir((f) => T.io.withSaveHandler(f), (h) => theirs.save(h));
    const dir = path.join(tmp, `tfjs_${c.name.replace(/\W+/g, '_')}`);
    await tn.io.fileSystem(dir).save(a);
    const mine = await tn.loadLayersModel(`file://${dir}/model.json`);
    expect(mine.layers.map((l) => l.className)).toEqual(theirs.layers.map((l: Any) => l.getClassName()));
    expectClose((mine.predict(tn.tensor(xs, [3, ...c.input])) as tn.Tensor).dataSync(), want, 1e-4, 1e-5);
  });
});

test('rnn({cell: convLstm2dCell}) and randomWidth save and load', async () => {
  tn.setSeed(3);
  const model = tn.sequential({ layers: [tn.layers.rnn({ cell: tn.layers.convLstm2dCell({ filters: 2, kernelSize: 2 }), inputShape: [2, 4, 4, 1] })] });
  const x = tn.tensor(randomArray(2 * 2 * 16, 9), [2, 2, 4, 4, 1]);
  const want = (model.predict(x) as tn.Tensor).dataSync();
  const dir = path.join(tmp, 'rnn_cell');
  await model.save(`file://${dir}`);
  const loaded = await tn.loadLayersModel(`file://${dir}/model.json`);
  expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
  expect(Array.from((loaded.predict(x) as tn.Tensor).dataSync())).toEqual(Array.from(want));
  const rw = tn.sequential({ layers: [tn.layers.randomWidth({ factor: 0.3, seed: 2, inputShape: [4, 6, 1] })] });
  const dir2 = path.join(tmp, 'random_width');
  await rw.save(`file://${dir2}`);
  const back = await tn.loadLayersModel(`file://${dir2}/model.json`);
  expect(back.layers[0].getConfig()).toEqual(rw.layers[0].getConfig());
});

test('a short fit lowers the loss through conv3d, conv3dTranspose, pooling and convLstm2d', async () => {
  tn.setSeed(21);
  const L = tn.layers;
  const model = tn.sequential({
    layers: [
      L.conv3d({ filters: 2, kernelSize: 2, padding: 'same', inputShape: [3, 4, 4, 1] }),
      L.conv3dTranspose({ filters: 2, kernelSize: 2, strides: [1, 1, 1] }),
      L.averagePooling3d({ poolSize: [1, 2, 2] }),
      L.convLstm2d({ filters: 2, kernelSize: 2, padding: 'same' }),
      L.flatten(),
      L.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: tn.train.adam(0.02), loss: 'meanSquaredError' });
  const x = tn.tensor(randomArray(16 * 48, 1), [16, 3, 4, 4, 1]);
  const y = tn.tensor(randomArray(16, 2, -1, 1), [16, 1]);
  const h = await model.fit(x, y, { epochs: 25, batchSize: 16, verbose: 0 });
  const loss = h.history.loss as number[];
  expect(loss[loss.length - 1]).toBeLessThan(0.7 * loss[0]);
});
