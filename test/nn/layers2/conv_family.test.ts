// conv1d, conv2dTranspose, depthwiseConv2d and separableConv2d against @tensorflow/tfjs (same weights, outputs and
// gradients), their defaults and configs, and their errors.
import * as tn from '../../../lib';
import { compareLayer } from './layer_diff';

describe('conv1d', () => {
  test.each([
    ['valid', 1, 1],
    ['same', 2, 1],
    ['same', 1, 2],
  ])('padding %s, strides %d, dilation %d: outputs (and gradients where tfjs has them) as tfjs', (padding, strides, dilationRate) => {
    compareLayer({
      make: (L) => L.conv1d({ filters: 4, kernelSize: 3, padding, strides, dilationRate, activation: 'relu' }),
      inputShape: [2, 9, 3],
      // tfjs has no conv2d gradient for dilation > 1.
      grads: dilationRate === 1,
    });
  });
  test.each([1, 2])("padding 'causal' (Keras; tfjs throws NotImplemented): tfjs' valid conv1d on the left-padded input, dilation %d", (dilationRate) => {
    compareLayer({
      make: (L) => L.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate }),
      makeTfjs: (L) => L.conv1d({ filters: 2, kernelSize: 3, padding: 'valid', dilationRate }),
      tfjsInput: (T, x) => T.pad(x, [[0, 0], [2 * dilationRate, 0], [0, 0]]),
      inputShape: [2, 7, 3],
      grads: dilationRate === 1,
    });
  });
  test('without bias, kernel [k, inC, filters]', () => {
    compareLayer({ make: (L) => L.conv1d({ filters: 2, kernelSize: [2], useBias: false }), inputShape: [3, 5, 4] });
  });
  test('config as tfjs (sizes as one-element lists, glorotNormal kernel)', () => {
    const l = tn.layers.conv1d({ filters: 2, kernelSize: 3, name: 'c1' });
    const c = l.getConfig();
    expect(c).toMatchObject({ name: 'c1', filters: 2, kernelSize: [3], strides: [1], dilationRate: [1], padding: 'valid', activation: 'linear', useBias: true, kernelConstraint: null });
    expect((c.kernelInitializer as { className: string }).className).toBe('GlorotNormal');
  });
  test('errors name the layer and the argument', () => {
    expect(() => tn.layers.conv1d({ filters: 0, kernelSize: 3 })).toThrow(/conv1d: 'filters' must be a positive integer up to 2147483647, got 0/);
    expect(() => tn.layers.conv1d({ filters: 1, kernelSize: [3, 3] as never })).toThrow(tn.ValueError);
    expect(() => tn.layers.conv1d({ filters: 1, kernelSize: 3, padding: 'full' as never })).toThrow(/'padding' must be 'valid', 'same' or 'causal', got "full"/);
    expect(() => tn.layers.conv1d({ filters: 1, kernelSize: 3 }).apply(tn.zeros([2, 3, 4, 1]))).toThrow(/expected inputs \[batch, steps, channels\] of rank 3, got shape \[null,3,4,1\]/);
  });
});

describe('conv2dTranspose', () => {
  test.each([
    ['valid', 1],
    ['valid', 2],
    ['same', 2],
  ])('padding %s, strides %d: outputs and gradients as tfjs', (padding, strides) => {
    compareLayer({ make: (L) => L.conv2dTranspose({ filters: 3, kernelSize: 3, padding, strides, activation: 'tanh' }), inputShape: [2, 4, 5, 2] });
  });
  test('non-square kernel and strides', () => {
    compareLayer({ make: (L) => L.conv2dTranspose({ filters: 2, kernelSize: [2, 3], strides: [2, 1] }), inputShape: [1, 3, 3, 4] });
  });
  test('kernel [kh, kw, filters, inC]; dilation refused as in tfjs; no dilationRate in the config', () => {
    const l = tn.layers.conv2dTranspose({ filters: 5, kernelSize: 2 });
    l.apply(tn.zeros([1, 3, 3, 7]));
    expect(l.weights.map((w) => w.shape)).toEqual([[2, 2, 5, 7], [5]]);
    expect(l.getConfig()).not.toHaveProperty('dilationRate');
    expect(() => tn.layers.conv2dTranspose({ filters: 1, kernelSize: 2, dilationRate: 2 })).toThrow(/conv2dTranspose: 'dilationRate' must be 1/);
    expect(() => tn.layers.conv2dTranspose({ filters: 1, kernelSize: 2, padding: 'causal' as never })).toThrow(/'padding' must be 'valid' or 'same'/);
  });
});

describe('depthwiseConv2d', () => {
  test.each([
    ['valid', 1, 1],
    ['same', 2, 1],
    ['same', 1, 2],
  ])('padding %s, strides %d, depthMultiplier %d: outputs and gradients as tfjs', (padding, strides, depthMultiplier) => {
    compareLayer({ make: (L) => L.depthwiseConv2d({ kernelSize: 3, padding, strides, depthMultiplier, activation: 'relu' }), inputShape: [2, 6, 5, 3] });
  });
  test('weights depthwise_kernel [kh, kw, inC, m] and bias [inC * m]; config keys as tfjs', () => {
    const l = tn.layers.depthwiseConv2d({ kernelSize: [2, 3], depthMultiplier: 2 });
    l.apply(tn.zeros([1, 4, 4, 3]));
    expect(l.weights.map((w) => `${w.name.split('/')[1]}:${w.shape}`)).toEqual(['depthwise_kernel:2,3,3,2', 'bias:6']);
    const c = l.getConfig();
    expect(c).toMatchObject({ depthMultiplier: 2, kernelSize: [2, 3] });
    expect(c).toHaveProperty('depthwiseInitializer');
    expect(c).toHaveProperty('depthwiseConstraint', null);
    expect(c).not.toHaveProperty('kernelInitializer');
    expect(() => tn.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 })).toThrow(/depthwiseConv2d: 'depthMultiplier' must be a positive integer up to 2147483647, got 0/);
  });
});

describe('separableConv2d', () => {
  test.each([
    ['valid', 1, 1],
    ['same', 2, 2],
  ])('padding %s, strides %d, depthMultiplier %d: outputs and gradients as tfjs', (padding, strides, depthMultiplier) => {
    compareLayer({ make: (L) => L.separableConv2d({ filters: 4, kernelSize: 3, padding, strides, depthMultiplier, activation: 'sigmoid' }), inputShape: [2, 6, 6, 2] });
  });
  test('weights in tfjs order and shapes; kernel* options refused', () => {
    const l = tn.layers.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2 });
    l.apply(tn.zeros([1, 5, 5, 3]));
    expect(l.weights.map((w) => `${w.name.split('/')[1]}:${w.shape}`)).toEqual(['depthwise_kernel:3,3,3,2', 'pointwise_kernel:1,1,6,5', 'bias:5']);
    expect(l.countParams()).toBe(54 + 30 + 5);
    expect(() => tn.layers.separableConv2d({ filters: 1, kernelSize: 3, kernelInitializer: 'zeros' } as never)).toThrow(/'kernelInitializer' does not apply \(use depthwiseInitializer and pointwiseInitializer\)/);
  });
});

test('every new conv layer round-trips through getConfig and deserializeLayer', () => {
  const made = [
    tn.layers.conv1d({ filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2, kernelConstraint: tn.constraints.maxNorm({ maxValue: 1.5 }) }),
    tn.layers.conv2dTranspose({ filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', useBias: false }),
    tn.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 3, depthwiseConstraint: 'nonNeg' }),
    tn.layers.separableConv2d({ filters: 4, kernelSize: 3, pointwiseInitializer: 'heNormal', biasConstraint: 'unitNorm' }),
  ];
  for (const l of made) {
    const again = tn.layers.deserializeLayer(JSON.parse(JSON.stringify(l.toJSON())));
    expect(again.className).toBe(l.className);
    expect(again.getConfig()).toEqual(l.getConfig());
  }
});
