// Activations elu selu softplus softsign swish mish hardSigmoid relu6 (values against float64 formulas, gradients by
// finite differences) and initializers varianceScaling, leCun*, truncatedNormal, orthogonal, identity (statistics).
import * as tn from '../../lib';
import { getActivation, type ActivationIdentifier } from '../../lib/nn/activations';
import { getInitializer } from '../../lib/nn/initializers';
import { checkGradients, expectClose, randomArray } from '../helpers/gradcheck';

const SELU_A = 1.6732632423543772;
const SELU_S = 1.0507009873554805;
const sp = (x: number): number => Math.log1p(Math.exp(x));
const ref: Record<string, (x: number) => number> = {
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => SELU_S * (x > 0 ? x : SELU_A * Math.expm1(x)),
  softplus: sp,
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x / (1 + Math.exp(-x)),
  mish: (x) => x * Math.tanh(sp(x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  relu6: (x) => Math.min(6, Math.max(0, x)),
};

describe('activations', () => {
  for (const name of Object.keys(ref) as ActivationIdentifier[]) {
    test(`${name}: values and gradient`, async () => {
      const f = getActivation(name);
      // Wide range (incl. large |x| for softplus's stability), away from the kinks at 0, +-2.5 and 6.
      const data = randomArray(64, 11, -9, 9).map((v) => (Math.abs(v) < 0.05 || Math.abs(Math.abs(v) - 2.5) < 0.05 || Math.abs(v - 6) < 0.05 ? v + 0.2 : v));
      const y = await f(tn.tensor(data, [8, 8])).data();
      expectClose(y, Array.from(data, ref[name]), 1e-5, 1e-6);
      await checkGradients((xs) => f(xs[0]), [{ shape: [4, 4], data: data.slice(0, 16) }], { eps: 1e-3 });
    });
  }
  test('softplus stays finite and exact for large inputs', async () => {
    const y = await getActivation('softplus')(tn.tensor([-100, 100, 50])).data();
    expectClose(y, [0, 100, 50], 1e-6, 1e-30);
  });
  test('an unknown name lists the known ones', () => {
    expect(() => getActivation('nope' as ActivationIdentifier)).toThrow(/mish/);
  });
});

async function stats(t: tn.Tensor): Promise<{ mean: number; variance: number; maxAbs: number }> {
  const v = await t.data();
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  let maxAbs = 0;
  for (const x of v) {
    s += (x - m) ** 2;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  return { mean: m, variance: s / v.length, maxAbs };
}

describe('initializers', () => {
  const fans = { fanIn: 200, fanOut: 50 };
  test.each([
    ['leCunNormal', 1 / 200],
    ['leCunUniform', 1 / 200],
    ['glorotNormal', 2 / 250],
    ['heUniform', 2 / 200],
  ])('%s has variance scale / fan', async (name, variance) => {
    const init = getInitializer(name as 'leCunNormal', 'test');
    const s = await stats(init.init([200, 50], fans, 'cpu'));
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    expect(s.variance / variance).toBeGreaterThan(0.9);
    expect(s.variance / variance).toBeLessThan(1.1);
  });
  test('varianceScaling: mode fanOut, uniform bound, config round trip; bad options are ValueErrors', async () => {
    const init = tn.initializers.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'uniform', seed: 1 });
    const s = await stats(init.init([200, 50], fans, 'cpu'));
    expect(s.maxAbs).toBeLessThanOrEqual(Math.sqrt((3 * 3) / 50) + 1e-6);
    expect(s.variance / (3 / 50)).toBeGreaterThan(0.9);
    const again = getInitializer(init.toJSON(), 'test');
    expectClose(await again.init([20, 5], fans, 'cpu').data(), await init.init([20, 5], fans, 'cpu').data());
    expect(() => tn.initializers.varianceScaling({ mode: 'fanSideways' as 'fanIn' })).toThrow(tn.ValueError);
    expect(() => tn.initializers.varianceScaling({ scale: -1 })).toThrow(/positive/);
  });
  test('truncatedNormal stays within two standard deviations', async () => {
    const s = await stats(tn.initializers.truncatedNormal({ mean: 1, stddev: 0.5, seed: 3 }).init([100, 100], fans, 'cpu'));
    expect(s.maxAbs).toBeLessThanOrEqual(2 + 1e-6);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.01);
  });
  test.each([
    [[30, 10]],
    [[10, 30]],
    [[3, 3, 4, 8]],
  ])('orthogonal %j: orthonormal columns (or rows) times gain', async (shape) => {
    const gain = 1.5;
    const w = await tn.initializers.orthogonal({ gain, seed: 5 }).init(shape, fans, 'cpu').data();
    const cols = shape[shape.length - 1];
    const rows = w.length / cols;
    const small = Math.min(rows, cols);
    // Gram matrix of the shorter side's vectors: gain^2 I.
    for (let i = 0; i < small; i++) {
      for (let j = 0; j < small; j++) {
        let d = 0;
        for (let k = 0; k < Math.max(rows, cols); k++) d += rows >= cols ? w[k * cols + i] * w[k * cols + j] : w[i * cols + k] * w[j * cols + k];
        expect(d).toBeCloseTo(i === j ? gain * gain : 0, 4);
      }
    }
  });
  test('identity: gain times I for square weights only', async () => {
    expectClose(await tn.initializers.identity({ gain: 2 }).init([2, 2], fans, 'cpu').data(), [2, 0, 0, 2]);
    expect(() => tn.initializers.identity().init([2, 3], fans, 'cpu')).toThrow(/square/);
  });
  test('a dense layer takes the new initializers by name', () => {
    const d = tn.layers.dense({ units: 4, kernelInitializer: 'orthogonal', biasInitializer: 'leCunUniform' });
    d.apply(tn.zeros([1, 4]));
    expect(d.toJSON().config.kernelInitializer).toEqual({ className: 'Orthogonal', config: { gain: 1, seed: null } });
  });
});
