// conv3d, conv3dTranspose, maxPooling3d and averagePooling3d against @tensorflow/tfjs (same weights, outputs and
// gradients where tfjs has them), their configs, weights and errors.
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { compareLayer } from '../layers2/layer_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe('conv3d', () => {
  test.each([
    ['valid', 1, 1],
    ['same', 2, 1],
    ['same', [1, 2, 2], 1],
    ['valid', 1, [2, 1, 2]],
  ])('padding %s, strides %j, dilation %j: outputs (and gradients where tfjs has them) as tfjs', (padding, strides, dilationRate) => {
    const dilated = Array.isArray(dilationRate) || dilationRate !== 1;
    compareLayer({
      make: (L) => L.conv3d({ filters: 3, kernelSize: [2, 3, 2], padding, strides, dilationRate, activation: 'relu' }),
      inputShape: [2, 5, 6, 5, 2],
      // tfjs has no conv3d gradient for dilations > 1 (ours: test/tfjs/conv3d.test.ts by finite differences).
      grads: !dilated,
    });
  });
  test('without bias', () => {
    compareLayer({ make: (L) => L.conv3d({ filters: 2, kernelSize: 2, useBias: false }), inputShape: [1, 3, 4, 3, 3] });
  });
  test('kernel [kd, kh, kw, inC, filters]; config keys and values as tfjs (glorotNormal kernel)', () => {
    const T = tf();
    const mine = tn.layers.conv3d({ filters: 4, kernelSize: [1, 2, 3], strides: 1, name: 'c3' });
    const theirs = T.layers.conv3d({ filters: 4, kernelSize: [1, 2, 3], strides: 1, name: 'c3' });
    mine.apply(tn.zeros([1, 3, 3, 4, 5]));
    expect(mine.weights.map((w) => `${w.name}:${w.shape}`)).toEqual(['c3/kernel:1,2,3,5,4', 'c3/bias:4']);
    expect(Object.keys(mine.getConfig()).sort()).toEqual(Object.keys(theirs.getConfig()).filter((k) => k !== 'activityRegularizer').sort());
    const c = mine.getConfig();
    expect(c).toMatchObject({ filters: 4, kernelSize: [1, 2, 3], strides: [1, 1, 1], dilationRate: [1, 1, 1], padding: 'valid', dataFormat: 'channelsLast' });
    expect((c.kernelInitializer as { className: string }).className).toBe('GlorotNormal');
  });
  test('errors name the layer and the argument', () => {
    expect(() => tn.layers.conv3d({ filters: 0, kernelSize: 2 })).toThrow(/conv3d: 'filters' must be a positive integer/);
    // tfjs refuses [n] here too (it normalizes only a number to three sizes).
    expect(() => tn.layers.conv3d({ filters: 1, kernelSize: [2] })).toThrow(/conv3d: 'kernelSize' must be a number or \[d, h, w\]/);
    expect(() => tn.layers.conv3d({ filters: 1, kernelSize: [2, 2] })).toThrow(/conv3d: 'kernelSize' must be a number or \[d, h, w\]/);
    expect(() => tn.layers.conv3d({ filters: 1, kernelSize: 2, padding: 'causal' as never })).toThrow(tn.ValueError);
    expect(() => tn.layers.conv3d({ filters: 1, kernelSize: 2, dataFormat: 'channelsFirst' as never })).toThrow(/channelsLast/);
    expect(() => tn.layers.conv3d({ filters: 1, kernelSize: 2, strides: 2, dilationRate: 2 })).toThrow(/either 'strides' or 'dilationRate' must be 1/);
    expect(() => tn.layers.conv3d({ filters: 1, kernelSize: 2 }).apply(tn.zeros([2, 3, 3, 1]))).toThrow(/conv3d '.*': expected inputs \[batch, depth, height, width, channels\] of rank 5/);
  });
});

describe('conv3dTranspose', () => {
  test.each([
    ['valid', 1],
    ['valid', 2],
    ['same', 2],
    ['same', [1, 2, 2]],
  ])('padding %s, strides %j: outputs as tfjs, gradients by finite differences', (padding, strides) => {
    // tfjs has no gradient for its conv3dTranspose op: forward here; the layer's op is differentiated by finite
    // differences in test/tfjs/conv3d_transpose.test.ts and trains in the save/fit tests.
    compareLayer({ make: (L) => L.conv3dTranspose({ filters: 3, kernelSize: [2, 3, 2], padding, strides, activation: 'tanh' }), inputShape: [2, 3, 4, 3, 2], grads: false });
  });
  test('gradients of the layer (input, kernel, bias) agree with finite differences', () => {
    const layer = tn.layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', biasInitializer: 'ones' });
    const x = tn.randomNormal([1, 2, 2, 2, 2], 0, 1, 'float32', 1);
    layer.apply(x);
    const w = tn.randomNormal([1, 4, 4, 4, 2], 0, 1, 'float32', 2);
    const loss = (xx: tn.Tensor) => tn.sum(tn.mul(layer.apply(xx) as tn.Tensor, w));
    const k = layer.weights[0].value;
    // Analytic gradient w.r.t. the kernel through the layer variable, against central differences.
    const xl = tn.tensor(x.dataSync(), x.shape, { requiresGrad: true } as Any);
    const l = loss(xl);
    l.backward();
    const analytic = Array.from(k.grad!.dataSync());
    const base = Float32Array.from(k.dataSync());
    const eps = 1e-2;
    for (const i of [0, 5, 17, 31]) {
      const at = (d: number) => {
        const v = Float32Array.from(base);
        v[i] += d;
        layer.weights[0].assign(tn.tensor(v, k.shape));
        return (loss(x).dataSync() as Float32Array)[0];
      };
      const num = (at(eps) - at(-eps)) / (2 * eps);
      expect(analytic[i]).toBeCloseTo(num, 1);
    }
    layer.weights[0].assign(tn.tensor(base, k.shape));
    expect(xl.grad!.shape).toEqual([1, 2, 2, 2, 2]);
  });
  test('kernel [kd, kh, kw, filters, inC]; config as tfjs (no dilationRate); dilation refused', () => {
    const T = tf();
    const mine = tn.layers.conv3dTranspose({ filters: 5, kernelSize: 2 });
    mine.apply(tn.zeros([1, 2, 3, 3, 7]));
    expect(mine.weights.map((w) => w.shape)).toEqual([[2, 2, 2, 5, 7], [5]]);
    const theirs = T.layers.conv3dTranspose({ filters: 5, kernelSize: 2 });
    expect(Object.keys(mine.getConfig()).sort()).toEqual(Object.keys(theirs.getConfig()).filter((k: string) => k !== 'activityRegularizer').sort());
    expect(() => tn.layers.conv3dTranspose({ filters: 1, kernelSize: 2, dilationRate: 2 })).toThrow(/conv3dTranspose: 'dilationRate' must be 1/);
    expect(() => tn.layers.conv3dTranspose({ filters: 1, kernelSize: 2, padding: 'causal' as never })).toThrow(/'padding' must be 'valid' or 'same'/);
  });
});

describe('3-D pooling layers', () => {
  test.each([
    ['maxPooling3d', {}],
    ['maxPooling3d', { poolSize: [2, 3, 2], strides: 1, padding: 'same' }],
    ['averagePooling3d', {}],
    ['averagePooling3d', { poolSize: 3, strides: [2, 1, 2], padding: 'same' }],
    ['avgPool3d', { poolSize: [1, 2, 2] }],
    ['avgPooling3d', { poolSize: 2, strides: 1 }],
  ])('%s %j: outputs as tfjs (gradients where tfjs gets them right)', (name, opts) => {
    // With padding, tfjs's CPU 3-D pooling gradients disagree with its own forward (see test/tfjs/conv3d.test.ts).
    const padded = (opts as { padding?: string }).padding === 'same';
    compareLayer({ make: (L) => L[name](opts), inputShape: [2, 4, 5, 4, 3], grads: !padded });
  });
  test('config as tfjs; aliases build the same class', () => {
    const T = tf();
    const mine = tn.layers.maxPooling3d({ poolSize: [1, 2, 3], name: 'p' });
    const theirs = T.layers.maxPooling3d({ poolSize: [1, 2, 3], name: 'p' });
    expect(mine.getConfig()).toEqual(theirs.getConfig());
    expect(tn.layers.avgPool3d({}).className).toBe('AveragePooling3D');
    expect(tn.layers.avgPooling3d({}).getConfig()).toMatchObject({ poolSize: [2, 2, 2], strides: [2, 2, 2], padding: 'valid' });
    expect(() => tn.layers.maxPooling3d({ poolSize: 0 })).toThrow(/maxPooling3d: 'poolSize'/);
    expect(() => tn.layers.averagePooling3d({}).apply(tn.zeros([1, 4, 4, 1]))).toThrow(/averagePooling3d '.*': expected inputs \[batch, depth, height, width, channels\]/);
  });
});
