// tf.node.tensorBoard in fit(): tfjs-node's tags and steps ('batch_<key>' at the running batch count, 'epoch_<key>'
// at epoch + 1, validation values under val/ without the 'val_' prefix, weight histograms at step epoch).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { histogramBuckets, TensorBoardCallback } from '../../lib/tensorboard';
import { randomArray } from '../helpers/gradcheck';
import { readEventsDir, type DecodedEvent } from '../helpers/event_reader';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-tb-callback-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function smallModel(): tn.LayersModel {
  tn.setSeed(7);
  const m = tn.sequential({ layers: [tn.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), tn.layers.dense({ units: 1 })] });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
  return m;
}

const scalars = (events: DecodedEvent[]): [string, number, number][] =>
  events.flatMap((e) => e.values.filter((v) => v.simpleValue !== undefined).map((v) => [v.tag, e.step, v.simpleValue!] as [string, number, number]));

describe('tensorBoard callback', () => {
  test("updateFreq 'batch' with validation data and histograms: every point tfjs-node writes", async () => {
    const logdir = path.join(root, 'batch');
    const model = smallModel();
    const x = tn.tensor(randomArray(30, 1), [10, 3]);
    const y = tn.tensor(randomArray(10, 2), [10, 1]);
    const vx = tn.tensor(randomArray(12, 3), [4, 3]);
    const vy = tn.tensor(randomArray(4, 4), [4, 1]);
    const batchLogs: tn.Logs[] = [];
    const tb = tn.node.tensorBoard(logdir, { updateFreq: 'batch', histogramFreq: 2 });
    expect(tb).toBeInstanceOf(TensorBoardCallback);
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 4,
      verbose: 0,
      shuffle: false,
      validationData: [vx, vy],
      callbacks: [tb, { onBatchEnd: (_b, logs) => void batchLogs.push({ ...logs }) }],
    });

    const train = scalars(readEventsDir(path.join(logdir, 'train')));
    const f = Math.fround;
    const expectedTrain: [string, number, number][] = [];
    let seen = 0;
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let b = 0; b < 3; b++) {
        const logs = batchLogs[seen++];
        expectedTrain.push(['batch_loss', seen, f(logs.loss)], ['batch_mae', seen, f(logs.mae)]);
      }
      expectedTrain.push(['epoch_loss', epoch + 1, f(history.history.loss[epoch])], ['epoch_mae', epoch + 1, f(history.history.mae[epoch])]);
    }
    expect(train).toEqual(expectedTrain);

    const val = scalars(readEventsDir(path.join(logdir, 'val')));
    expect(val).toEqual([0, 1, 2].flatMap((e) => [
      ['epoch_loss', e + 1, f(history.history.val_loss[e])],
      ['epoch_mae', e + 1, f(history.history.val_mae[e])],
    ]));

    // histograms after epochs 0 and 2 (epoch % 2 === 0); the last ones show the trained weights
    const histos = readEventsDir(path.join(logdir, 'train')).filter((e) => e.values[0]?.tensor);
    const names = model.weights.map((w) => w.name);
    expect(histos.map((e) => [e.values[0].tag, e.step])).toEqual([...names.map((n) => [n, 0]), ...names.map((n) => [n, 2])]);
    histos.slice(names.length).forEach((e, i) => {
      expect(e.values[0].tensor!.values).toEqual(Array.from(histogramBuckets(model.weights[i].value.dataSync())));
      expect(e.values[0].pluginName).toBe('histograms');
    });
  });

  test("updateFreq 'epoch' (the default) writes epoch points only, and fitDataset logs the same way", async () => {
    const logdir = path.join(root, 'epoch');
    const model = smallModel();
    const xs = randomArray(24, 5);
    const ys = randomArray(8, 6);
    const ds = tn.data.zip({ xs: tn.data.array(Array.from({ length: 8 }, (_, i) => Array.from(xs.subarray(3 * i, 3 * i + 3)))), ys: tn.data.array(Array.from(ys, (v) => [v])) }).batch(3);
    const history = await model.fitDataset(ds, { epochs: 2, verbose: 0, callbacks: [tn.node.tensorBoard(logdir)] });
    expect(scalars(readEventsDir(path.join(logdir, 'train')))).toEqual([0, 1].flatMap((e) => [
      ['epoch_loss', e + 1, Math.fround(history.history.loss[e])],
      ['epoch_mae', e + 1, Math.fround(history.history.mae[e])],
    ]));
    expect(fs.existsSync(path.join(logdir, 'val'))).toBe(false);
  });

  test('bad arguments throw ValueError', () => {
    expect(() => tn.node.tensorBoard('/tmp/x', { updateFreq: 'step' as 'batch' })).toThrow(tn.ValueError);
    expect(() => tn.node.tensorBoard('/tmp/x', { histogramFreq: -1 })).toThrow(/histogramFreq/);
    expect(() => tn.node.tensorBoard('/tmp/x', { histogramFreq: 1.5 })).toThrow(/histogramFreq/);
    expect(tn.node.tensorBoard().logdir).toBe('./logs');
  });
});
