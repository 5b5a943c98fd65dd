// Optimizer update kernels (in place on param and state), 20 steps against float64 re-implementations of torch.optim.
import * as tn from '../../lib';
import { runKernel } from '../../lib/engine/kernel';
import { expectClose, randomArray } from '../helpers/gradcheck';

type Attrs = Record<string, number>;
/** One element's update in float64: mutates p[i] and the state arrays. */
type RefStep = (i: number, g: number, p: Float64Array, state: Float64Array[], step: number) => void;

async function check(kernel: string, attrs: Attrs, nState: number, ref: RefStep): Promise<void> {
  const n = 37;
  const p0 = randomArray(n, 700);
  const param = tn.tensor(p0, [n]);
  const state = Array.from({ length: nState }, () => tn.zeros([n]));
  const rp = Float64Array.from(p0);
  const rs = state.map(() => new Float64Array(n));
  for (let step = 1; step <= 20; step++) {
    const g = randomArray(n, 800 + step);
    runKernel(kernel, [tn.tensor(g, [n])], [param, ...state].map((t) => ({ into: t })), { ...attrs, step });
    for (let i = 0; i < n; i++) ref(i, g[i], rp, rs, step);
  }
  expectClose(await param.data(), rp, 1e-4, 1e-5);
  for (let k = 0; k < nState; k++) expectClose(await state[k].data(), rs[k], 1e-4, 1e-5);
}

describe('sgd_update', () => {
  test.each([[0, 0, 0, 0], [0.9, 0, 0, 0.01], [0.9, 0.1, 0, 0], [0.8, 0, 1, 0.05]])('momentum %p dampening %p nesterov %p wd %p', async (mom, damp, nest, wd) => {
    const lr = 0.05;
    await check('sgd_update', { lr, momentum: mom, dampening: damp, nesterov: nest, weightDecay: wd }, 1, (i, g, p, [buf], t) => {
      g += wd * p[i];
      if (mom !== 0) {
        buf[i] = t === 1 ? g : mom * buf[i] + (1 - damp) * g;
        g = nest ? g + mom * buf[i] : buf[i];
      }
      p[i] -= lr * g;
    });
  });
});

describe('adam_update', () => {
  test.each([[0, 0], [0.01, 0], [0.05, 1]])('weightDecay %p decoupled %p', async (wd, dec) => {
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
    await check('adam_update', { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled: dec }, 2, (i, g, p, [m, v], t) => {
      if (dec) p[i] *= 1 - lr * wd;
      else g += wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      p[i] -= (lr / (1 - b1 ** t)) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps));
    });
  });
});

describe('adagrad_update', () => {
  test.each([[0, 0], [0.02, 0.1]])('weightDecay %p lrDecay %p', async (wd, lrDecay) => {
    const [lr, eps] = [0.1, 1e-10];
    await check('adagrad_update', { lr, eps, weightDecay: wd, lrDecay }, 1, (i, g, p, [sum], t) => {
      g += wd * p[i];
      const clr = lr / (1 + (t - 1) * lrDecay);
      sum[i] += g * g;
      p[i] -= (clr * g) / (Math.sqrt(sum[i]) + eps);
    });
  });
});

describe('rmsprop_update', () => {
  test.each([[0, 0, 0], [0.9, 0, 0.01], [0, 1, 0], [0.5, 1, 0.02]])('momentum %p centered %p wd %p', async (mom, centered, wd) => {
    const [lr, alpha, eps] = [0.01, 0.99, 1e-8];
    await check('rmsprop_update', { lr, alpha, eps, momentum: mom, centered, weightDecay: wd }, 3, (i, g, p, [sq, buf, gavg]) => {
      g += wd * p[i];
      sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
      let avg = sq[i];
      if (centered) {
        gavg[i] = alpha * gavg[i] + (1 - alpha) * g;
        avg -= gavg[i] * gavg[i];
      }
      const d = Math.sqrt(avg) + eps;
      if (mom > 0) {
        buf[i] = mom * buf[i] + g / d;
        p[i] -= lr * buf[i];
      } else {
        p[i] -= (lr * g) / d;
      }
    });
  });
});

describe('update kernel errors', () => {
  test('state of the wrong size is reported by the device', async () => {
    const p = tn.zeros([3]);
    runKernel('adam_update', [tn.ones([3])], [{ into: p }, { into: tn.zeros([2]) }, { into: tn.zeros([3]) }], { lr: 0.1, step: 1 });
    await expect(p.data()).rejects.toThrow(/adam_update: state tensor 1 \[2\] differs in size/);
  });
  test('missing lr', async () => {
    const p = tn.zeros([3]);
    runKernel('sgd_update', [tn.ones([3])], [{ into: p }, { into: tn.zeros([3]) }], { step: 1 });
    await expect(p.data()).rejects.toThrow(/sgd_update: missing attribute 'lr'/);
  });
});
