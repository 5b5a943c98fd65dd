// tfjs's functional gradients (grad, grads, valueAndGrad(s), variableGrads, customGrad) and optimizer.minimize /
// applyGradients in tfjs's forms, compared with @tensorflow/tfjs on the same random inputs.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';

const rand = (n: number, seed: number): number[] => {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
};

const close = async (ours: tn.Tensor, theirs: tf.Tensor, tol = 1e-5): Promise<void> => {
  expect(ours.shape).toEqual(theirs.shape);
  const a = await ours.data();
  const b = await theirs.data();
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]))));
};

describe('grad, grads, valueAndGrad, valueAndGrads', () => {
  const xv = rand(6, 1);
  const yv = rand(6, 2);

  test('grad and valueAndGrad of a composite function, with and without dy', async () => {
    const f = (lib: typeof tn | typeof tf) => (x: tn.Tensor & tf.Tensor) => (lib as typeof tf).sum((lib as typeof tf).mul((lib as typeof tf).tanh(x), x));
    await close(tn.grad(f(tn) as never)(tn.tensor2d(xv, [2, 3])), tf.grad(f(tf) as never)(tf.tensor2d(xv, [2, 3])));
    const g = (x: tn.Tensor) => x.square().mul(3);
    const tg = (x: tf.Tensor) => x.square().mul(3);
    await close(tn.grad(g)(tn.tensor1d(xv), tn.tensor1d(yv)), tf.grad(tg)(tf.tensor1d(xv), tf.tensor1d(yv)));
    const ours = tn.valueAndGrad(g)(tn.tensor1d(xv));
    const theirs = tf.valueAndGrad(tg)(tf.tensor1d(xv));
    await close(ours.value, theirs.value);
    await close(ours.grad, theirs.grad);
  });

  test('grads and valueAndGrads of two arguments', async () => {
    const ours = tn.valueAndGrads((a: tn.Tensor, b: tn.Tensor) => a.mul(b).add(a.square()).sum())([tn.tensor1d(xv), tn.tensor1d(yv)]);
    const theirs = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => a.mul(b).add(a.square()).sum())([tf.tensor1d(xv), tf.tensor1d(yv)]);
    await close(ours.value, theirs.value);
    await close(ours.grads[0], theirs.grads[0]);
    await close(ours.grads[1], theirs.grads[1]);
    const gs = tn.grads((a: tn.Tensor, b: tn.Tensor) => a.div(b))([tn.tensor1d([1, 2]), tn.tensor1d([4, 5])]);
    await close(gs[1], tf.grads((a: tf.Tensor, b: tf.Tensor) => a.div(b))([tf.tensor1d([1, 2]), tf.tensor1d([4, 5])])[1]);
  });

  test('the inputs and their .grad are left alone, and nothing leaks', async () => {
    const x = tn.tensor1d(xv);
    x.requiresGrad = true;
    const before = tn.memory().numTensors;
    const g = tn.grad((t: tn.Tensor) => t.mul(t).sum())(x);
    expect(x.grad).toBeNull();
    expect(tn.memory().numTensors).toBe(before + 1);
    g.dispose();
  });

  test('inside tidy, and a function that does not use its argument', () => {
    const g = tn.tidy(() => tn.grad((t: tn.Tensor) => t.exp().sum())(tn.tensor1d([0, 1])));
    expect(g.isDisposed).toBe(false);
    expect(() => tn.grad(() => tn.scalar(1))(tn.tensor1d([1]))).toThrow(/cannot compute the gradient/);
  });

  test('typed errors', () => {
    expect(() => tn.grad(3 as never)).toThrow(tn.ValueError);
    expect(() => tn.grad((t: tn.Tensor) => t)(tn.tensor1d([1], 'int32'))).toThrow(tn.DTypeError);
    expect(() => tn.grad((t: tn.Tensor) => t)(tn.tensor1d([1, 2]), tn.tensor1d([1]))).toThrow(tn.ShapeError);
    expect(() => tn.grads((t: tn.Tensor) => t)([])).toThrow(tn.ValueError);
  });
});

describe('variableGrads and customGrad', () => {
  test('variableGrads by name, default list = trainable variables', async () => {
    const a = tn.variable(tn.tensor1d([1, 2, 3]), true, 'vg_a');
    const b = tn.variable(tn.tensor1d([4, 5, 6]), false, 'vg_b');
    const ta = tf.variable(tf.tensor1d([1, 2, 3]), true, 'vg_a');
    const tb = tf.variable(tf.tensor1d([4, 5, 6]), false, 'vg_b');
    const ours = tn.variableGrads(() => a.mul(b).square().sum());
    const theirs = tf.variableGrads(() => ta.mul(tb).square().sum());
    expect(Object.keys(ours.grads)).toContain('vg_a');
    expect(ours.grads.vg_b).toBeUndefined();
    await close(ours.value, theirs.value);
    await close(ours.grads.vg_a, theirs.grads.vg_a);
    expect(a.grad).toBeNull();
    expect(() => tn.variableGrads(() => a.sum(), [b])).toThrow(/at least one trainable variable/);
    expect(() => tn.variableGrads(() => a.add(1))).toThrow(/must return a scalar/);
    tn.dispose([a, b]);
    tf.dispose([ta, tb]);
  });

  test('customGrad replaces the gradient and the value is f\'s', async () => {
    const clipGrad = tn.customGrad((x: tn.Tensor, save: (ts: tn.Tensor[]) => void) => {
      save([x]);
      return { value: x.square(), gradFunc: (dy: tn.Tensor, [saved]: tn.Tensor[]) => dy.mul(saved).clipByValue(-1, 1) };
    });
    const x = tn.tensor1d([-3, 0.25, 2]);
    expect(Array.from(await clipGrad(x).data())).toEqual([9, 0.0625, 4]);
    const g = tn.grad((t: tn.Tensor) => clipGrad(t).sum())(x);
    expect(Array.from(await g.data())).toEqual([-1, 0.25, 1]);
  });
});

describe('optimizer.minimize and applyGradients in tfjs form', () => {
  test('minimize(f, returnCost, varList) on variables matches tfjs SGD', async () => {
    const wv = rand(4, 3);
    const w = tn.variable(tn.tensor1d(wv), true, 'min_w');
    const tw = tf.variable(tf.tensor1d(wv), true, 'min_w');
    const opt = tn.train.sgd(0.1);
    const topt = tf.train.sgd(0.1);
    for (let i = 0; i < 3; i++) {
      const cost = opt.minimize(() => w.sub(0.5).square().sum(), true, [w])!;
      const tcost = topt.minimize(() => tw.sub(0.5).square().sum(), true, [tw])!;
      await close(cost, tcost);
      cost.dispose();
    }
    await close(w, tw);
    expect(opt.minimize(() => w.square().sum())).toBeNull(); // default varList: every trainable variable
    expect(w.grad).toBeNull();
    w.dispose();
    tw.dispose();
  });

  test('the earlier form minimize(f, params, returnCost) still works', async () => {
    const p = tn.tensor1d([1, 2]);
    p.requiresGrad = true;
    const cost = tn.train.sgd(0.5).minimize(() => p.square().sum(), [p], true)!;
    expect(cost.dataSync()[0]).toBe(5);
    expect(Array.from(await p.data())).toEqual([0, 0]);
  });

  test('applyGradients by name map and by {name, tensor} list', async () => {
    const v = tn.variable(tn.tensor1d([1, 1]), true, 'ag_v');
    const opt = tn.train.sgd(1);
    opt.applyGradients({ ag_v: tn.tensor1d([0.5, 0.25]) });
    expect(Array.from(await v.data())).toEqual([0.5, 0.75]);
    opt.applyGradients([{ name: 'ag_v', tensor: tn.tensor1d([0.5, 0.75]) }]);
    expect(Array.from(await v.data())).toEqual([0, 0]);
    expect(() => opt.applyGradients({ nope: tn.tensor1d([1]) })).toThrow(/no variable or layer weight named 'nope'/);
    v.dispose();
  });
});

describe('layer weights train by default, as tfjs layer variables', () => {
  test('minimize(f) without varList updates a model and matches tfjs SGD', async () => {
    const kernel = [[0.5, -1], [0.25, 2], [-0.75, 1]];
    const model = tn.sequential({ layers: [tn.layers.dense({ units: 2, inputShape: [3], useBias: false })] });
    model.build();
    model.layers[0].weights[0].assign(tn.tensor2d(kernel));
    const tmodel = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], useBias: false })] });
    tmodel.layers[0].setWeights([tf.tensor2d(kernel)]);
    const x = [[1, 2, 3], [-1, 0.5, 2]];
    const y = [[1, 0], [0, 1]];
    const opt = tn.train.sgd(0.05);
    const topt = tf.train.sgd(0.05);
    for (let i = 0; i < 3; i++) {
      opt.minimize(() => tn.losses.meanSquaredError(tn.tensor2d(y), model.predict(tn.tensor2d(x)) as tn.Tensor));
      topt.minimize(() => tf.losses.meanSquaredError(tf.tensor2d(y), tmodel.predict(tf.tensor2d(x)) as tf.Tensor));
    }
    await close(model.layers[0].weights[0].value, tmodel.layers[0].getWeights()[0]);
    model.dispose();
  });
});
