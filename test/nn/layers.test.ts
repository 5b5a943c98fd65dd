// Layers as modules: forward values vs hand references, finite-difference gradients, shapes, configs, trainable.
import * as tn from '../../lib';
import { layers } from '../../lib';
import { checkGradients, expectClose, randomArray } from '../helpers/gradcheck';

/** Builds `layer` for x's shape and gives every weight seeded random values (bias and BN stats non-trivial). */
function randomizeWeights(layer: tn.layers.Layer, xShape: number[], seed = 5): void {
  layer.apply(tn.zeros(xShape));
  layer.setWeights(layer.weights.map((w, i) => {
    const positive = /variance|gamma/.test(w.name);
    return tn.tensor(randomArray(w.value.size, seed + i, positive ? 0.5 : -1, positive ? 1.5 : 1), w.value.shape);
  }));
}

describe('forward against hand-computed references', () => {
  test('dense: x @ kernel + bias, then the activation', async () => {
    const d = layers.dense({ units: 2, activation: 'relu', inputShape: [3] });
    d.apply(tn.zeros([1, 3]));
    d.setWeights([tn.tensor([[1, -1], [2, 0.5], [-1, 1]]), tn.tensor([0.5, -3])]);
    const y = d.apply(tn.tensor([[1, 2, 3], [-1, 0, 1]]));
    // Row 1: [1+4-3+0.5, -1+1+3-3] = [2.5, 0]; row 2: [-1-1+0.5, 1+1-3] -> relu [0, 0].
    expectClose(await y.data(), [2.5, 0, 0, 0]);
    expect(d.parameters().map((p) => p.shape)).toEqual([[3, 2], [2]]);
    expect([...d.namedWeights().keys()]).toEqual([`${d.name}/kernel`, `${d.name}/bias`]);
  });

  test('conv2d on NHWC with a [kh, kw, in, filters] kernel (tfjs layout) and same padding', async () => {
    const c = layers.conv2d({ filters: 2, kernelSize: 2, padding: 'same', useBias: false });
    c.apply(tn.zeros([1, 2, 2, 1]));
    expect(c.weights[0].shape).toEqual([2, 2, 1, 2]);
    // kernel[h][w][0] = [f0, f1]: filter 0 is [[1, 2], [3, 4]], filter 1 ten times that.
    c.setWeights([tn.tensor([1, 10, 2, 20, 3, 30, 4, 40], [2, 2, 1, 2])]);
    const y = c.apply(tn.tensor([1, 2, 3, 4], [1, 2, 2, 1]));
    // TF 'same' pads the bottom/right: y[0,0] = 1*1+2*2+3*3+4*4 = 30; y[0,1] = 2*1+4*3 = 14; y[1,0] = 3*1+4*2 = 11; y[1,1] = 4.
    expectClose(await y.data(), [30, 300, 14, 140, 11, 110, 4, 40]);
    expect(y.shape).toEqual([1, 2, 2, 2]);
  });

  test('pooling, global average pooling, flatten, reshape, activation', async () => {
    const x = tn.tensor(Float32Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);
    expectClose(await layers.maxPooling2d({ poolSize: 2 }).apply(x).data(), [5, 7, 13, 15]);
    expectClose(await layers.averagePooling2d({ poolSize: 2 }).apply(x).data(), [2.5, 4.5, 10.5, 12.5]);
    const g = layers.globalAveragePooling2d().apply(tn.tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]));
    expect(g.shape).toEqual([1, 2]);
    expectClose(await g.data(), [2.5, 25]);
    expect(layers.flatten().apply(x).shape).toEqual([1, 16]);
    expect(layers.reshape({ targetShape: [2, -1] }).apply(x).shape).toEqual([1, 2, 8]);
    expectClose(await layers.activation({ activation: 'relu' }).apply(tn.tensor([-1, 2])).data(), [0, 2]);
  });

  test('dropout: identity in inference; in training zeroes about `rate` and rescales the rest; seeded', async () => {
    const x = tn.ones([1000]);
    const d = layers.dropout({ rate: 0.25 });
    expect(Array.from(await d.apply(x).data()).every((v) => v === 1)).toBe(true);
    tn.setSeed(3);
    const a = Array.from(await d.apply(x, { training: true }).data());
    tn.setSeed(3);
    const b = Array.from(await d.apply(x, { training: true }).data());
    expect(a).toEqual(b);
    const zeros = a.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(180);
    expect(zeros).toBeLessThan(320);
    expect(a.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
  });

  test('batchNormalization: inference uses the moving statistics; training updates them with momentum', async () => {
    const bn = layers.batchNormalization({ momentum: 0.5, epsilon: 1e-3 });
    const x = tn.tensor([[1, 10], [3, 30]]);
    const yInf = await bn.apply(x).data();
    // Fresh: mean 0, variance 1, gamma 1, beta 0.
    expectClose(yInf, [1, 10, 3, 30].map((v) => v / Math.sqrt(1 + 1e-3)), 1e-5);
    const yTrain = await bn.apply(x, { training: true }).data();
    // Batch mean [2, 20], biased variance [1, 100].
    expectClose(yTrain, [-1 / Math.sqrt(1.001), -10 / Math.sqrt(100.001), 1 / Math.sqrt(1.001), 10 / Math.sqrt(100.001)], 1e-5);
    expectClose(await bn.movingMean!.value.data(), [1, 10]);
    expectClose(await bn.movingVariance!.value.data(), [1, 50.5]);
    expect(bn.trainableWeights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta']);
  });
});

describe('gradients by finite differences', () => {
  const cases: [string, () => tn.layers.Layer, number[], boolean][] = [
    ['dense tanh', () => layers.dense({ units: 3, activation: 'tanh' }), [2, 4], false],
    ['dense on rank 3 input', () => layers.dense({ units: 2, activation: 'sigmoid' }), [2, 3, 4], false],
    ['conv2d stride 2 same gelu', () => layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'gelu' }), [1, 5, 5, 2], false],
    ['averagePooling2d', () => layers.averagePooling2d({ poolSize: 2, strides: 1 }), [1, 3, 3, 2], false],
    ['maxPooling2d', () => layers.maxPooling2d({ poolSize: 2 }), [1, 4, 4, 1], false],
    ['globalAveragePooling2d', () => layers.globalAveragePooling2d(), [2, 2, 3, 2], false],
    ['flatten', () => layers.flatten(), [2, 2, 3], false],
    ['activation softmax', () => layers.activation({ activation: 'softmax' }), [2, 4], false],
    ['batchNormalization (training)', () => layers.batchNormalization(), [4, 3], true],
    ['batchNormalization (inference)', () => layers.batchNormalization(), [2, 2, 2, 3], false],
  ];
  test.each(cases)('%s', async (_name, make, shape, training) => {
    const layer = make();
    randomizeWeights(layer, shape);
    const weights = layer.trainableWeights;
    // Input gradient through the shared helper; weight gradients by perturbing each weight in place.
    const eps = 1e-2;
    const xData = randomArray(shape.reduce((a, b) => a * b, 1), 11, -1.5, 1.5);
    await checkGradients((inputs) => layer.apply(inputs[0], { training }), [{ shape, data: xData }], { eps });
    if (weights.length > 0) {
      const x = tn.tensor(xData, shape);
      for (const w of weights) w.value.grad = null;
      const y = layer.apply(x, { training });
      const r = tn.tensor(randomArray(y.size, 99, 0.5, 1.5), y.shape);
      y.backward(r);
      for (const w of weights) {
        const analytic = await w.value.grad!.data();
        const base = Float32Array.from(await w.value.data());
        const numeric: number[] = [];
        for (let i = 0; i < base.length; i++) {
          const at = async (delta: number) => {
            const v = Float32Array.from(base);
            v[i] += delta;
            w.assign(tn.tensor(v, w.value.shape));
            const out = await tn.noGrad(() => layer.apply(x, { training })).data();
            const rr = await r.data();
            return out.reduce((s, o, k) => s + o * rr[k], 0);
          };
          numeric.push(((await at(eps)) - (await at(-eps))) / (2 * eps));
        }
        w.assign(tn.tensor(base, w.value.shape));
        expectClose(analytic, numeric, 2e-2, 2e-3);
      }
    }
  });
});

describe('configuration', () => {
  test('getConfig/toJSON round-trips through the registry', () => {
    const made = [
      layers.dense({ units: 4, activation: 'relu', inputShape: [3], kernelRegularizer: tn.regularizers.l2({ l2: 0.1 }) }),
      layers.conv2d({ filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same' }),
      layers.maxPooling2d({ poolSize: 3, strides: 1 }),
      layers.batchNormalization({ momentum: 0.9 }),
      layers.dropout({ rate: 0.3 }),
      layers.reshape({ targetShape: [2, 2] }),
    ];
    for (const l of made) {
      const json = JSON.parse(JSON.stringify(l.toJSON()));
      const again = layers.deserializeLayer(json);
      expect(again.className).toBe(l.className);
      const strip = (c: Record<string, unknown>) => ({ ...c, name: undefined });
      expect(strip(again.getConfig())).toEqual(strip(json.config));
    }
  });

  test('unknown options fail at construction with a ValueError naming them', () => {
    expect(() => layers.dense({ units: 0 })).toThrow(/units/);
    expect(() => layers.dense({ units: 2, activation: 'nope' as never })).toThrow(/activation/);
    expect(() => layers.dense({ units: 2, kernelInitializer: 'nope' as never })).toThrow(/kernelInitializer/);
    expect(() => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as never })).toThrow(/padding/);
    expect(() => layers.dropout({ rate: 1 })).toThrow(tn.ValueError);
  });

  test('trainable: false stops gradients and hides the weights from parameters()', () => {
    const d = layers.dense({ units: 2, inputShape: [2] });
    d.apply(tn.ones([1, 2]));
    d.trainable = false;
    expect(d.parameters()).toHaveLength(0);
    expect(d.weights.every((w) => !w.value.requiresGrad)).toBe(true);
    d.trainable = true;
    expect(d.parameters()).toHaveLength(2);
  });

  test('initializers: seeded, with the Keras scales', async () => {
    tn.setSeed(42);
    const a = layers.dense({ units: 200, inputShape: [100] });
    a.apply(tn.zeros([1, 100]));
    tn.setSeed(42);
    const b = layers.dense({ units: 200, inputShape: [100] });
    b.apply(tn.zeros([1, 100]));
    const ka = await a.kernel!.value.data();
    expect(Array.from(ka)).toEqual(Array.from(await b.kernel!.value.data()));
    // glorotUniform: U(-l, l), l = sqrt(6 / (100 + 200)); variance l^2 / 3.
    const limit = Math.sqrt(6 / 300);
    expect(Math.max(...ka)).toBeLessThanOrEqual(limit);
    expect(Math.min(...ka)).toBeGreaterThanOrEqual(-limit);
    const variance = ka.reduce((s, v) => s + v * v, 0) / ka.length;
    expect(variance).toBeCloseTo((limit * limit) / 3, 3);
    expect(Array.from(await a.bias!.value.data()).every((v) => v === 0)).toBe(true);
    // heNormal: truncated at 2 std, std sqrt(2 / fanIn) overall.
    const h = layers.dense({ units: 300, inputShape: [50], kernelInitializer: 'heNormal' });
    h.apply(tn.zeros([1, 50]));
    const kh = await h.kernel!.value.data();
    const vh = kh.reduce((s, v) => s + v * v, 0) / kh.length;
    expect(vh).toBeGreaterThan((2 / 50) * 0.9);
    expect(vh).toBeLessThan((2 / 50) * 1.1);
    expect(Math.max(...kh.map(Math.abs))).toBeLessThanOrEqual((2 * Math.sqrt(2 / 50)) / 0.8796256610342398 + 1e-6);
  });

  test('regularizers add l1 * sum|w| + l2 * sum(w^2)', async () => {
    const d = layers.dense({ units: 2, inputShape: [2], kernelRegularizer: tn.regularizers.l1l2({ l1: 0.1, l2: 0.01 }), useBias: false });
    d.apply(tn.zeros([1, 2]));
    d.setWeights([tn.tensor([[1, -2], [3, -4]])]);
    const [penalty] = d.regularizationLosses();
    expectClose(await penalty.data(), [0.1 * 10 + 0.01 * 30]);
  });
});
