// getWeights returns the weights' own tensors, as tfjs returns its variables: no new tensors per call (a DQN's
// target-network sync in a loop stays flat), values that follow training; setWeights copies into them.
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function net(lib: Any): Any {
  return lib.sequential({ layers: [lib.layers.dense({ units: 3, inputShape: [2], activation: 'relu' }), lib.layers.dense({ units: 1 })] });
}

test('no tensors are made by getWeights or by a setWeights(getWeights()) sync loop, as in tfjs', () => {
  for (const lib of [tn, tf()] as Any[]) {
    const online = net(lib);
    const target = net(lib);
    const before = lib.memory().numTensors;
    for (let i = 0; i < 20; i++) target.setWeights(online.getWeights());
    expect(lib.memory().numTensors).toBe(before);
    expect(online.getWeights().length).toBe(4);
    expect(online.getWeights(true).length).toBe(4);
  }
});

test('the returned tensors are the live weights; the target keeps its own copy', async () => {
  const online = net(tn) as tn.Sequential;
  const target = net(tn) as tn.Sequential;
  target.setWeights(online.getWeights());
  const w = online.getWeights()[0];
  online.compile({ optimizer: tn.train.sgd(0.5), loss: 'meanSquaredError' });
  const snapshot = Array.from(await w.data());
  await online.trainOnBatch(tn.tensor([[1, 2], [3, -1]]), tn.tensor([[1], [0]]));
  expect(Array.from(await w.data())).not.toEqual(snapshot); // follows training
  expect(Array.from(await target.getWeights()[0].data())).toEqual(snapshot); // the copy did not move
  online.layers[0].trainable = false;
  expect(online.getWeights(true).length).toBe(2);
});

test('two outputs of one nested model (same output name) each report their own loss, as tfjs', async () => {
  const run = async (lib: Any): Promise<number[]> => {
    lib.setSeed?.(4);
    const i = lib.input({ shape: [3] });
    const inner = lib.model({ inputs: i, outputs: [lib.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'ones' }).apply(i), lib.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: 'ones' }).apply(i)] });
    const x = lib.input({ shape: [3] });
    const m = lib.model({ inputs: x, outputs: inner.apply(x) });
    m.compile({ optimizer: lib.train.sgd(0.1), loss: ['binaryCrossentropy', 'sparseCategoricalCrossentropy'] });
    return m.trainOnBatch(lib.tensor([[0.1, 0.2, 0.3], [0.3, -0.2, 0.1]]), [lib.tensor([[1], [0]]), lib.tensor([[2], [3]])]);
  };
  const mine = await run(tn);
  const theirs = await run(tf());
  expect(mine[1]).not.toBeCloseTo(mine[2], 3);
  expect(mine[0]).toBeCloseTo(mine[1] + mine[2], 5);
  mine.forEach((v, k) => expect(v).toBeCloseTo(theirs[k], 4));
});
