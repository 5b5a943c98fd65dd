// Optimizers vs TensorFlow.js (the oracle for tfjs semantics): the same gradients through tfjs's optimizer and ours,
// 20 steps, parameters compared after each. Covers names as compile() resolves them and the tf.train.* factories.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';
import { expectClose } from '../helpers/gradcheck';

type TfOptimizer = ReturnType<typeof tf.train.sgd>;
const STEPS = 20;
const SHAPE = [3, 4];

/** Seeded gradients with a mix of signs, sizes and exact zeros (a dead unit), as a training loop produces. */
function gradients(seed: number): Float32Array[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: STEPS }, (_, step) =>
    Float32Array.from({ length: 12 }, (_, i) => (i === 5 ? 0 : (next() - 0.5) * (step % 3 === 0 ? 4 : 0.5))),
  );
}

const initial = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));

async function trajectories(ours: tn.optim.Optimizer, theirs: TfOptimizer, seed: number): Promise<void> {
  const w = tn.tensor(initial, SHAPE, { requiresGrad: true });
  const name = `w_${seed}_${Math.random().toString(36).slice(2)}`;
  const v = tf.variable(tf.tensor(initial, SHAPE), true, name);
  for (const g of gradients(seed)) {
    const gt = tn.tensor(g, SHAPE);
    ours.applyGradients([{ param: w, grad: gt }]);
    gt.dispose();
    tf.tidy(() => theirs.applyGradients({ [name]: tf.tensor(g, SHAPE) }));
    expectClose(await w.data(), v.dataSync() as Float32Array, 2e-5, 1e-6);
  }
  w.dispose();
  v.dispose();
  ours.dispose();
  theirs.dispose();
}

/** The optimizer tfjs-layers builds for `compile({optimizer: name})`. */
function tfjsByName(name: string): TfOptimizer {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({ optimizer: name, loss: 'meanSquaredError' });
  return model.optimizer as TfOptimizer;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('optimizer names resolve as tfjs-layers resolves them', () => {
  test.each(['sgd', 'adam', 'adamax', 'rmsprop', 'adagrad', 'adadelta'])('%s', async (name) => {
    await trajectories(tn.optim.getOptimizer(name), tfjsByName(name), name.length * 7 + 1);
  });

  test('rmsprop by name is tfjs rmsprop(0.001, 0.9, 0, 1e-7): its first step, by hand', async () => {
    const opt = tn.optim.getOptimizer('rmsprop') as tn.optim.RMSprop;
    expect([opt.currentLearningRate, opt.decay, opt.momentum, opt.epsilon, opt.epsilonInsideSqrt]).toEqual([0.001, 0.9, 0, 1e-7, true]);
    const w = tn.tensor([1], [1], { requiresGrad: true });
    opt.applyGradients([{ param: w, grad: tn.tensor([2], [1]) }]);
    // ms = 0.1 * 4 = 0.4; w = 1 - 0.001 * 2 / sqrt(0.4 + 1e-7)
    expect((await w.data())[0]).toBeCloseTo(1 - (0.001 * 2) / Math.sqrt(0.4 + 1e-7), 6);
    opt.dispose();
  });
});

describe('tf.train factories with tfjs defaults and arguments', () => {
  const cases: [string, () => tn.optim.Optimizer, () => TfOptimizer][] = [
    ['sgd(0.1)', () => tn.train.sgd(0.1), () => tf.train.sgd(0.1)],
    ['momentum(0.05, 0.9)', () => tn.train.momentum(0.05, 0.9), () => tf.train.momentum(0.05, 0.9)],
    ['momentum nesterov', () => tn.train.momentum(0.05, 0.8, true), () => tf.train.momentum(0.05, 0.8, true)],
    ['adam()', () => tn.train.adam(), () => tf.train.adam()],
    ['adam(0.02, 0.8, 0.99, 1e-6)', () => tn.train.adam(0.02, 0.8, 0.99, 1e-6), () => tf.train.adam(0.02, 0.8, 0.99, 1e-6)],
    ['adagrad(0.1)', () => tn.train.adagrad(0.1), () => tf.train.adagrad(0.1)],
    ['adagrad(0.1, 0.5)', () => tn.train.adagrad(0.1, 0.5), () => tf.train.adagrad(0.1, 0.5)],
    ['rmsprop(0.01)', () => tn.train.rmsprop(0.01), () => tf.train.rmsprop(0.01)],
    ['rmsprop momentum', () => tn.train.rmsprop(0.01, 0.8, 0.9, 1e-6), () => tf.train.rmsprop(0.01, 0.8, 0.9, 1e-6)],
    ['adadelta()', () => tn.train.adadelta(), () => tf.train.adadelta()],
    ['adadelta(1, 0.9, 1e-6)', () => tn.train.adadelta(1, 0.9, 1e-6), () => tf.train.adadelta(1, 0.9, 1e-6)],
    ['adamax()', () => tn.train.adamax(), () => tf.train.adamax()],
    ['adamax with decay', () => tn.train.adamax(0.01, 0.8, 0.99, 1e-6, 0.1), () => tf.train.adamax(0.01, 0.8, 0.99, 1e-6, 0.1)],
  ];
  test.each(cases)('%s', async (label, ours, theirs) => {
    await trajectories(ours(), theirs(), label.length);
  });

  test('centered rmsprop adds eps under the sqrt (Keras), where tfjs subtracts it and a zero gradient gives NaN', async () => {
    const opt = tn.train.rmsprop(0.01, 0.9, 0, 1e-7, true);
    const w = tn.tensor([1, 1], [2], { requiresGrad: true });
    opt.applyGradients([{ param: w, grad: tn.tensor([0, 1], [2]) }]);
    const got = Array.from(await w.data());
    expect(got[0]).toBe(1); // a zero gradient leaves the weight alone
    // ms = 0.1, mg = 0.1: d = sqrt(0.1 - 0.01 + 1e-7)
    expect(got[1]).toBeCloseTo(1 - 0.01 / Math.sqrt(0.09 + 1e-7), 6);
    opt.dispose();
  });
});

describe('optimizer arguments', () => {
  test('bad hyper-parameters throw ValueError naming the optimizer and argument', () => {
    expect(() => tn.train.adamax(0.01, 1.5)).toThrow(/adamax: 'beta1' must be in \[0, 1\), got 1.5/);
    expect(() => tn.train.adadelta(0.01, 0.9, 0)).toThrow(/adadelta: 'epsilon' must be > 0/);
    expect(() => tn.train.adagrad(0.01, -1)).toThrow(tn.ValueError);
    expect(() => tn.optim.getOptimizer('nadam')).toThrow(/unknown optimizer "nadam"/);
  });

  test('the new optimizers round-trip through their config', () => {
    for (const o of [tn.train.adamax(0.01, 0.8, 0.99, 1e-6, 0.1), tn.train.adadelta(1, 0.9, 1e-6), tn.train.adagrad(0.1, 0.5)]) {
      const back = tn.optim.getOptimizer(o.toJSON());
      expect(back.toJSON()).toEqual(o.toJSON());
      o.dispose();
      back.dispose();
    }
  });
});
