// tf.constraints against tfjs's (same projections), their configs, and layers honouring kernelConstraint /
// biasConstraint (and the recurrent and depthwise ones) after every optimizer step of fit.
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { expectClose, randomArray } from '../../helpers/gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe('each constraint projects as tfjs does', () => {
  test.each([
    ['maxNorm', {}],
    ['maxNorm', { maxValue: 0.7, axis: 1 }],
    ['minMaxNorm', {}],
    ['minMaxNorm', { minValue: 0.5, maxValue: 0.9, rate: 0.6, axis: [0, 1] }],
    ['unitNorm', { axis: 2 }],
    ['nonNeg', undefined],
  ])('%s %j', (name, args) => {
    const T = tf();
    const w = randomArray(3 * 4 * 2, 3, -1.5, 1.5);
    const want = (T.constraints as Any)[name](args).apply(T.tensor(w, [3, 4, 2])).dataSync();
    const c = (tn.constraints as Any)[name](args);
    expectClose(c.apply(tn.tensor(w, [3, 4, 2])).dataSync(), want, 1e-6, 1e-7);
    expect(c.getConfig()).toEqual((T.constraints as Any)[name](args).getConfig());
  });
});

test('constraints by name and config; bad ones are typed errors naming the layer option', () => {
  const d = tn.layers.dense({ units: 2, kernelConstraint: 'maxNorm', biasConstraint: { className: 'NonNeg', config: {} } });
  expect(d.getConfig()).toMatchObject({ kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2, axis: 0 } }, biasConstraint: { className: 'NonNeg', config: {} } });
  expect(tn.layers.deserializeLayer(JSON.parse(JSON.stringify(d.toJSON()))).getConfig()).toEqual(d.getConfig());
  expect(() => tn.layers.dense({ units: 2, kernelConstraint: 'maxnorm2' as never })).toThrow(/dense: kernelConstraint: unknown constraint "maxnorm2"/);
  expect(() => tn.layers.conv2d({ filters: 1, kernelSize: 1, biasConstraint: 'x' as never })).toThrow(tn.ValueError);
  expect(() => tn.constraints.minMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(/minMaxNorm: 'minValue' \(2\) must not exceed 'maxValue' \(1\)/);
  expect(() => tn.constraints.maxNorm({ axis: 0.5 })).toThrow(/maxNorm: 'axis' must be an integer/);
});

/** Column norms (axis 0) of a [in, out] kernel. */
function columnNorms(w: tn.Tensor): number[] {
  const [rows, cols] = w.shape;
  const v = w.dataSync();
  return Array.from({ length: cols }, (_, j) => Math.sqrt(Array.from({ length: rows }, (_, i) => v[i * cols + j] ** 2).reduce((a, b) => a + b, 0)));
}

test('fit applies the constraints after every step: kernels within maxNorm, biases non-negative, a unit-norm recurrent kernel', async () => {
  tn.setSeed(3);
  const model = tn.sequential({
    layers: [
      tn.layers.dense({ units: 6, inputShape: [4], activation: 'tanh', kernelConstraint: tn.constraints.maxNorm({ maxValue: 0.5 }), biasConstraint: 'nonNeg', kernelInitializer: 'ones' }),
      tn.layers.reshape({ targetShape: [3, 2] }),
      tn.layers.simpleRNN({ units: 3, recurrentConstraint: tn.constraints.unitNorm(), kernelConstraint: tn.constraints.minMaxNorm({ minValue: 0.2, maxValue: 0.3 }) }),
      tn.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: tn.train.sgd(0.5), loss: 'meanSquaredError' });
  const x = tn.tensor(randomArray(16 * 4, 1, -2, 2), [16, 4]);
  const y = tn.tensor(randomArray(16, 2, -3, 3), [16, 1]);
  // Before training the ones-kernel breaks maxNorm (column norm 2): the constraint is a projection after steps.
  expect(Math.max(...columnNorms(model.layers[0].weights[0].value))).toBeCloseTo(2, 5);
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  const [k, b] = model.layers[0].weights.map((w) => w.value);
  for (const n of columnNorms(k)) expect(n).toBeLessThanOrEqual(0.5 + 1e-5);
  expect(Math.min(...Array.from(b.dataSync()))).toBeGreaterThanOrEqual(0);
  const [rk, rr] = model.layers[2].weights.map((w) => w.value);
  for (const n of columnNorms(rr)) expect(n).toBeCloseTo(1, 4);
  for (const n of columnNorms(rk)) {
    expect(n).toBeGreaterThanOrEqual(0.2 - 1e-5);
    expect(n).toBeLessThanOrEqual(0.3 + 1e-5);
  }
  // trainOnBatch goes through the same step.
  model.layers[0].weights[1].assign(tn.tensor([-1, -1, -1, -1, -1, -1]));
  await model.trainOnBatch(x, y);
  expect(Math.min(...Array.from(model.layers[0].weights[1].value.dataSync()))).toBeGreaterThanOrEqual(0);
});

test('the depthwise and pointwise constraints of separableConv2d hold after a step', async () => {
  tn.setSeed(4);
  const model = tn.sequential({
    layers: [
      tn.layers.separableConv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 2], depthwiseConstraint: 'nonNeg', pointwiseConstraint: tn.constraints.maxNorm({ maxValue: 0.1, axis: [0, 1, 2] }) }),
      tn.layers.flatten(),
      tn.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  await model.fit(tn.tensor(randomArray(4 * 32, 5), [4, 4, 4, 2]), tn.tensor(randomArray(4, 6), [4, 1]), { epochs: 1, verbose: 0 });
  const [dw, pw] = model.layers[0].weights.map((w) => w.value);
  expect(Math.min(...Array.from(dw.dataSync()))).toBeGreaterThanOrEqual(0);
  const p = pw.dataSync(); // [1, 1, 2, 2]: the norm of each output filter
  for (const j of [0, 1]) expect(Math.hypot(p[j], p[2 + j])).toBeLessThanOrEqual(0.1 + 1e-6);
});
