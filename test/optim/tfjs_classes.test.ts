// tfjs's optimizer classes (tf.SGDOptimizer ... tf.RMSPropOptimizer, tf.Optimizer, tf.OptimizerConstructors) against
// tfjs itself: the same positional constructors give the same parameter trajectories, getConfig, className and
// getClassName; fromConfig and serialized configs rebuild them; tf.train and compile(name) return these classes.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';
import { expectClose, randomArray } from '../helpers/gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const SHAPE = [2, 5];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 15 steps of the same random gradients through both optimizers; parameters compared after each step. */
async function sameTrajectory(ours: tn.Optimizer, theirs: Any, seed: number): Promise<void> {
  const init = randomArray(10, seed, -1, 1);
  const w = tn.tensor(init, SHAPE, { requiresGrad: true });
  const name = `w_cls_${seed}_${Math.random().toString(36).slice(2)}`;
  const v = tf.variable(tf.tensor(init, SHAPE), true, name);
  for (let step = 0; step < 15; step++) {
    const g = randomArray(10, seed * 100 + step, -2, 2);
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

// [label, class name, constructor arguments]
const CASES: [string, string, unknown[]][] = [
  ['SGDOptimizer(0.1)', 'SGDOptimizer', [0.1]],
  ['MomentumOptimizer(0.05, 0.9)', 'MomentumOptimizer', [0.05, 0.9]],
  ['MomentumOptimizer(0.05, 0.8, true)', 'MomentumOptimizer', [0.05, 0.8, true]],
  ['MomentumOptimizer(0.05, 0, true)', 'MomentumOptimizer', [0.05, 0, true]],
  ['AdagradOptimizer(0.1)', 'AdagradOptimizer', [0.1]],
  ['AdagradOptimizer(0.1, 0.3)', 'AdagradOptimizer', [0.1, 0.3]],
  ['AdadeltaOptimizer(1, 0.9, 1e-6)', 'AdadeltaOptimizer', [1, 0.9, 1e-6]],
  ['AdamOptimizer(0.01, 0.8, 0.99)', 'AdamOptimizer', [0.01, 0.8, 0.99]],
  ['AdamOptimizer(0.01, 0.9, 0.999, 1e-5)', 'AdamOptimizer', [0.01, 0.9, 0.999, 1e-5]],
  ['AdamaxOptimizer(0.02, 0.85, 0.995, null, 0.05)', 'AdamaxOptimizer', [0.02, 0.85, 0.995, null, 0.05]],
  ['RMSPropOptimizer(0.01)', 'RMSPropOptimizer', [0.01]],
  ['RMSPropOptimizer(0.01, 0.8, 0.5, 1e-6)', 'RMSPropOptimizer', [0.01, 0.8, 0.5, 1e-6]],
];

const make = (m: Any, cls: string, args: unknown[]): Any => new m[cls](...args);

describe('tfjs optimizer classes', () => {
  test.each(CASES)('new %s: same updates as tfjs', async (label, cls, args) => {
    await sameTrajectory(make(tn, cls, args), make(tf, cls, args), label.length * 31 + args.length);
  });

  test.each(CASES)('new %s: getConfig, static className and getClassName as tfjs', (_label, cls, args) => {
    const ours = make(tn, cls, args);
    const theirs = make(tf, cls, args);
    expect(ours.getConfig()).toEqual(theirs.getConfig());
    expect((tn as Any)[cls].className).toBe((tf as Any)[cls].className);
    expect(ours.getClassName()).toBe(theirs.getClassName());
    expect(ours).toBeInstanceOf(tn.Optimizer);
    ours.dispose();
    theirs.dispose();
  });

  test.each(CASES)('%s: fromConfig of tfjs config rebuilds it; the serialized form loads back as the same class', (_label, cls, args) => {
    const theirs = make(tf, cls, args);
    const C = (tn as Any)[cls];
    const rebuilt = C.fromConfig(C, theirs.getConfig());
    expect(rebuilt).toBeInstanceOf(C);
    expect(rebuilt.getConfig()).toEqual(theirs.getConfig());
    const json = { className: theirs.getClassName(), config: theirs.getConfig() };
    const loaded = tn.optim.getOptimizer(json);
    expect(loaded).toBeInstanceOf(C);
    expect(loaded.toJSON()).toEqual(json);
    rebuilt.dispose();
    loaded.dispose();
    theirs.dispose();
  });

  test('tf.train is OptimizerConstructors and returns the tfjs classes, as in tfjs', () => {
    expect(tn.train).toBe(tn.OptimizerConstructors);
    const pairs: [Any, Any][] = [
      [tn.train.sgd(0.1), tn.SGDOptimizer],
      [tn.train.momentum(0.1, 0.9), tn.MomentumOptimizer],
      [tn.train.adagrad(0.1), tn.AdagradOptimizer],
      [tn.train.adadelta(), tn.AdadeltaOptimizer],
      [tn.train.adam(), tn.AdamOptimizer],
      [tn.train.adamax(), tn.AdamaxOptimizer],
      [tn.train.rmsprop(0.01), tn.RMSPropOptimizer],
    ];
    for (const [o, C] of pairs) {
      expect(o).toBeInstanceOf(C);
      expect(o).toBeInstanceOf(tn.Optimizer);
      o.dispose();
    }
    expect(tf.train.adam()).toBeInstanceOf(tf.AdamOptimizer); // the property this mirrors
  });

  test("compile({optimizer: name}) builds tfjs's class with tfjs-layers' settings", () => {
    for (const [name, cls] of [['sgd', 'SGDOptimizer'], ['adam', 'AdamOptimizer'], ['rmsprop', 'RMSPropOptimizer'], ['adagrad', 'AdagradOptimizer'], ['adadelta', 'AdadeltaOptimizer'], ['adamax', 'AdamaxOptimizer']]) {
      const ours = tn.sequential({ layers: [tn.layers.dense({ units: 1, inputShape: [2] })] });
      ours.compile({ optimizer: name, loss: 'meanSquaredError' });
      const theirs = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
      theirs.compile({ optimizer: name, loss: 'meanSquaredError' });
      expect(ours.optimizer).toBeInstanceOf((tn as Any)[cls]);
      expect(theirs.optimizer).toBeInstanceOf((tf as Any)[cls]);
      expect(ours.optimizer!.getConfig()).toEqual((theirs.optimizer as Any).getConfig());
      ours.dispose();
      theirs.dispose();
    }
  });

  test('computeGradients: the value and the gradients by variable name, as tfjs, nothing applied', async () => {
    const init = randomArray(6, 77, -1, 1);
    const x = randomArray(6, 78, -1, 1);
    const a = tn.variable(tn.tensor(init, [6]), true, 'cg_ours');
    const b = tf.variable(tf.tensor(init, [6]), true, 'cg_theirs');
    const ours = tn.train.sgd(0.1).computeGradients(() => tn.sum(tn.mul(tn.square(a), tn.tensor(x))), [a]);
    const theirs = tf.train.sgd(0.1).computeGradients(() => tf.sum(tf.mul(tf.square(b), tf.tensor(x))) as tf.Scalar, [b]);
    expect(ours.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0], 5);
    expectClose(await ours.grads.cg_ours.data(), theirs.grads.cg_theirs.dataSync() as Float32Array);
    expectClose(await a.data(), init); // not applied
    tn.dispose([ours.value, ...Object.values(ours.grads)]);
    a.dispose();
    b.dispose();
  });

  test('setLearningRate changes the next steps as in tfjs', async () => {
    const ours = new tn.SGDOptimizer(0.1);
    const theirs = new tf.SGDOptimizer(0.1);
    ours.setLearningRate(0.03);
    theirs.setLearningRate(0.03);
    expect(ours.getConfig()).toEqual(theirs.getConfig());
    await sameTrajectory(ours, theirs, 4);
  });

  test('setMomentum takes effect (tfjs 4.22 only changes getConfig and keeps stepping with the old momentum)', async () => {
    const ours = new tn.MomentumOptimizer(0.1, 0.5);
    ours.setLearningRate(0.03);
    ours.setMomentum(0.7);
    const theirs = new tf.MomentumOptimizer(0.1, 0.5);
    theirs.setLearningRate(0.03);
    theirs.setMomentum(0.7);
    expect(ours.getConfig()).toEqual(theirs.getConfig());
    theirs.dispose();
    await sameTrajectory(ours, new tf.MomentumOptimizer(0.03, 0.7), 5);
  });

  test('a missing learning rate or momentum throws ValueError', () => {
    expect(() => new tn.SGDOptimizer(undefined as unknown as number)).toThrow(tn.ValueError);
    expect(() => new tn.AdamOptimizer(null as unknown as number)).toThrow(/learningRate/);
    expect(() => new tn.MomentumOptimizer(0.1, undefined as unknown as number)).toThrow(/momentum/);
    expect(() => new tn.MomentumOptimizer(0.1, 0.5).setMomentum(-1)).toThrow(tn.ValueError);
  });
});
