// Optimizer features beyond the update rule: clipping, schedules, saved state, naming, minimize, errors.
import * as tn from '../../lib';
import { optimizers, schedules } from '../../lib';
import { expectClose } from '../helpers/gradcheck';

const param = (v: number[]) => tn.tensor(v, [v.length], { requiresGrad: true });

describe('gradient clipping', () => {
  test('clipValue clips each element; clipNorm rescales each tensor; globalClipNorm rescales them together', async () => {
    const g = tn.tensor([3, -4]); // norm 5
    const p1 = param([0, 0]);
    optimizers.sgd({ learningRate: 1, clipValue: 1 }).applyGradients([{ param: p1, grad: g }]);
    expectClose(await p1.data(), [-1, 1]);
    const p2 = param([0, 0]);
    optimizers.sgd({ learningRate: 1, clipNorm: 1 }).applyGradients([{ param: p2, grad: g }]);
    expectClose(await p2.data(), [-0.6, 0.8]);
    // Below the threshold nothing changes.
    const p3 = param([0, 0]);
    optimizers.sgd({ learningRate: 1, clipNorm: 10 }).applyGradients([{ param: p3, grad: g }]);
    expectClose(await p3.data(), [-3, 4]);
    // Global: norms 5 and 12 -> joint 13, scaled to 6.5.
    const a = param([0, 0]);
    const b = param([0, 0]);
    optimizers.sgd({ learningRate: 1, globalClipNorm: 6.5 }).applyGradients([
      { param: a, grad: g },
      { param: b, grad: tn.tensor([12, 0]) },
    ]);
    expectClose(await a.data(), [-1.5, 2]);
    expectClose(await b.data(), [-6, 0]);
  });
});

describe('learning-rate schedules', () => {
  test('step, exponential and cosine decay by update count', () => {
    const s = schedules.stepDecay({ initialLearningRate: 1, stepSize: 2, gamma: 0.5 });
    expect([0, 1, 2, 3, 4].map((i) => s.at(i))).toEqual([1, 1, 0.5, 0.5, 0.25]);
    const e = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(e.at(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 10);
    expect(schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }).at(15)).toBeCloseTo(0.05, 10);
    const c = schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0.1 });
    expect(c.at(0)).toBeCloseTo(1, 10);
    expect(c.at(5)).toBeCloseTo(0.55, 10);
    expect(c.at(20)).toBeCloseTo(0.1, 10);
  });

  test('an optimizer follows its schedule step by step', async () => {
    const p = param([0]);
    const opt = optimizers.sgd({ learningRate: schedules.stepDecay({ initialLearningRate: 1, stepSize: 1, gamma: 0.5 }) });
    for (let i = 0; i < 3; i++) opt.applyGradients([{ param: p, grad: tn.tensor([1]) }]);
    expectClose(await p.data(), [-(1 + 0.5 + 0.25)]);
    expect(opt.currentLearningRate).toBe(0.125);
  });
});

describe('state', () => {
  test('getState/setState continue a run exactly as an uninterrupted one', async () => {
    const grads = [[0.5, -1], [0.2, 0.3], [-0.7, 0.1], [0.4, 0.4]].map((g) => tn.tensor(g));
    const ref = param([1, 2]);
    const full = optimizers.adam({ learningRate: 0.1 });
    for (const g of grads) full.applyGradients([{ param: ref, grad: g }]);

    const p = param([1, 2]);
    const first = optimizers.adam({ learningRate: 0.1 });
    for (const g of grads.slice(0, 2)) first.applyGradients([{ param: p, grad: g }]);
    const state = first.getState();
    expect(Object.keys(state.slots).sort()).toEqual(['param_0/m', 'param_0/v']);
    const second = optimizers.adam({ learningRate: 0.1 });
    second.setState(state);
    first.dispose();
    for (const g of grads.slice(2)) second.applyGradients([{ param: p, grad: g }]);
    expectClose(await p.data(), await ref.data(), 1e-6, 1e-7);
    expect(second.iterations).toBe(4);
  });

  test('minimize: loss, backward, step, grads cleared', async () => {
    const w = param([3]);
    const opt = optimizers.sgd({ learningRate: 0.25 });
    const loss = opt.minimize(() => tn.sum(tn.square(w)), [w], true)!;
    expect((await loss.data())[0]).toBeCloseTo(9, 5);
    expectClose(await w.data(), [3 - 0.25 * 6]);
    expect(w.grad).toBeNull();
  });

  test('names and bad options', () => {
    expect(tn.optim.getOptimizer('Adam').className).toBe('Adam');
    expect(tn.optim.getOptimizer(optimizers.rmsprop({ rho: 0.9 }).toJSON())).toBeInstanceOf(tn.optim.RMSprop);
    expect(() => tn.optim.getOptimizer('nadam')).toThrow(tn.ValueError);
    expect(() => optimizers.sgd({ learningRate: -1 })).toThrow(tn.ValueError);
    expect(() => optimizers.sgd({ nesterov: true })).toThrow(/nesterov/);
    expect(() => optimizers.adam({ beta1: 1 })).toThrow(/beta1/);
  });
});

test("tfjs' positional train.* factories map onto the same optimizers", () => {
  const a = tn.train.adam(0.01, 0.8, 0.99, 1e-6) as tn.optim.Adam;
  expect([a.currentLearningRate, a.beta1, a.beta2, a.epsilon]).toEqual([0.01, 0.8, 0.99, 1e-6]);
  const m = tn.train.momentum(0.1, 0.9, true) as tn.optim.SGD;
  expect([m.momentum, m.nesterov]).toEqual([0.9, true]);
  expect((tn.train.rmsprop(0.01, 0.8) as tn.optim.RMSprop).alpha).toBe(0.8);
});
