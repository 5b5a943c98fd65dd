// Merge, activation, reshaping, noise, 1-D/global pooling and layer-normalization layers: forward values against
// host references on random inputs, gradients by finite differences, tfjs option defaults and weight shapes, configs.
import * as tn from '../../lib';
import { layers } from '../../lib';
import { checkGradients, expectClose, randomArray } from '../helpers/gradcheck';

const t = (shape: number[], seed: number, lo = -2, hi = 2): tn.Tensor => tn.tensor(randomArray(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape);
const host = async (x: tn.Tensor | tn.Tensor[] | tn.SymbolicTensor | tn.SymbolicTensor[]): Promise<Float32Array> => (await (x as tn.Tensor).data()) as Float32Array;
const zip = (a: Float32Array, b: Float32Array, f: (x: number, y: number) => number): number[] => Array.from(a, (v, i) => f(v, b[i]));
/** The layer rebuilt from its JSON config computes the same (weights copied). */
async function roundTrip(layer: tn.layers.Layer, x: tn.Tensor | tn.Tensor[]): Promise<void> {
  const copy = tn.layers.deserializeLayer(JSON.parse(JSON.stringify(layer.toJSON())));
  copy.apply(x as tn.Tensor);
  copy.setWeights(layer.getWeights());
  expectClose(await host(copy.apply(x as tn.Tensor)), await host(layer.apply(x as tn.Tensor)));
  expect(copy.getClassName()).toBe(layer.getClassName());
}

describe('merge layers', () => {
  const a = t([3, 4], 1);
  const b = t([3, 4], 2);
  const c = t([3, 4], 3);
  test.each([
    ['add', (x: number, y: number) => x + y],
    ['subtract', (x: number, y: number) => x - y],
    ['multiply', (x: number, y: number) => x * y],
    ['average', (x: number, y: number) => (x + y) / 2],
    ['maximum', (x: number, y: number) => Math.max(x, y)],
    ['minimum', (x: number, y: number) => Math.min(x, y)],
  ] as const)('%s: values, gradients, config', async (name, f) => {
    const layer = (layers[name] as () => tn.layers.Layer)();
    expectClose(await host(layer.apply([a, b])), zip(await host(a), await host(b), f));
    await checkGradients((xs) => layer.apply([xs[0], xs[1]]) as tn.Tensor, [{ shape: [2, 3] }, { shape: [2, 3] }], { eps: 1e-3 });
    await roundTrip(layer, [a, b]);
  });
  test('three inputs, broadcasting, and the factory applied to a list at once', async () => {
    expectClose(await host(layers.add().apply([a, b, c])), zip(zip(await host(a), await host(b), (x, y) => x + y) as unknown as Float32Array, await host(c), (x, y) => x + y), 1e-5, 1e-5);
    const row = t([3, 1], 4);
    expect((layers.multiply().apply([a, row]) as tn.Tensor).shape).toEqual([3, 4]);
    expect(() => layers.multiply().apply([a, t([1, 4], 4)])).toThrow(/need one batch size/);
    const sa = tn.input({ shape: [4] });
    const sb = tn.input({ shape: [4] });
    const out = layers.add([sa, sb]);
    expect(out.shape).toEqual([null, 4]);
    expect(() => layers.subtract().apply([a, b, c])).toThrow(/needs a list of 2 inputs/);
    expect(() => layers.add().apply(a)).toThrow(/needs a list of at least 2/);
    expect(() => layers.add().apply([tn.input({ shape: [3] }), tn.input({ shape: [4] })])).toThrow(/do not broadcast/);
  });
  test('concatenate along the last or a given axis', async () => {
    const x = t([2, 3, 2], 5);
    const y = t([2, 3, 4], 6);
    const z = layers.concatenate().apply([x, y]) as tn.Tensor;
    expect(z.shape).toEqual([2, 3, 6]);
    const hx = await host(x);
    const hy = await host(y);
    const hz = await host(z);
    for (let r = 0; r < 6; r++) {
      expectClose(hz.slice(r * 6, r * 6 + 2), hx.slice(r * 2, r * 2 + 2));
      expectClose(hz.slice(r * 6 + 2, r * 6 + 6), hy.slice(r * 4, r * 4 + 4));
    }
    const s = layers.concatenate({ axis: 1 }).apply([tn.input({ shape: [3, 2] }), tn.input({ shape: [5, 2] })]) as tn.SymbolicTensor;
    expect(s.shape).toEqual([null, 8, 2]);
    expect(() => layers.concatenate({ axis: 1 }).apply([tn.input({ shape: [3, 2] }), tn.input({ shape: [5, 3] })])).toThrow(/must match except along axis 1/);
    await checkGradients((xs) => layers.concatenate().apply([xs[0], xs[1]]) as tn.Tensor, [{ shape: [2, 2] }, { shape: [2, 3] }], { eps: 1e-3 });
  });
  test('dot: batched dot products along axes, normalize gives cosine similarity', async () => {
    const x = t([3, 4], 7);
    const y = t([3, 4], 8);
    const d = layers.dot({ axes: 1 }).apply([x, y]) as tn.Tensor;
    expect(d.shape).toEqual([3, 1]);
    const hx = await host(x);
    const hy = await host(y);
    const ref = [0, 1, 2].map((r) => hx.slice(r * 4, r * 4 + 4).reduce((s, v, k) => s + v * hy[r * 4 + k], 0));
    expectClose(await host(d), ref, 1e-5, 1e-5);
    const cos = await host(layers.dot({ axes: -1, normalize: true }).apply([x, y]) as tn.Tensor);
    const norm = (v: Float32Array, r: number): number => Math.hypot(...v.slice(r * 4, r * 4 + 4));
    expectClose(cos, ref.map((v, r) => v / norm(hx, r) / norm(hy, r)), 1e-5, 1e-5);
    // [b, 2, 3] . [b, 3, 5] along (2, 1): a batched matmul.
    const m1 = t([2, 2, 3], 9);
    const m2 = t([2, 3, 5], 10);
    const mm = layers.dot({ axes: [2, 1] }).apply([m1, m2]) as tn.Tensor;
    expectClose(await host(mm), await host(tn.matmul(m1, m2)), 1e-5, 1e-5);
    expect((layers.dot({ axes: [2, 1] }).apply([tn.input({ shape: [2, 3] }), tn.input({ shape: [3, 5] })]) as tn.SymbolicTensor).shape).toEqual([null, 2, 5]);
    await checkGradients((xs) => layers.dot({ axes: 1, normalize: true }).apply([xs[0], xs[1]]) as tn.Tensor, [{ shape: [2, 3] }, { shape: [2, 3] }], { eps: 1e-3 });
    expect(() => layers.dot({ axes: 0 })).toThrow(/non-zero/);
  });
});

describe('activation layers', () => {
  const x = t([4, 5], 11, -3, 3);
  test('reLU (maxValue), leakyReLU (alpha 0.3), elu, thresholdedReLU, softmax(axis)', async () => {
    const hx = await host(x);
    expectClose(await host(layers.reLU().apply(x)), Array.from(hx, (v) => Math.max(0, v)));
    expectClose(await host(layers.reLU({ maxValue: 1.5 }).apply(x)), Array.from(hx, (v) => Math.min(1.5, Math.max(0, v))));
    expect(layers.leakyReLU().alpha).toBe(0.3);
    expectClose(await host(layers.leakyReLU().apply(x)), Array.from(hx, (v) => (v > 0 ? v : 0.3 * v)));
    expectClose(await host(layers.elu({ alpha: 0.5 }).apply(x)), Array.from(hx, (v) => (v > 0 ? v : 0.5 * Math.expm1(v))), 1e-5, 1e-6);
    expectClose(await host(layers.thresholdedReLU({ theta: 0.5 }).apply(x)), Array.from(hx, (v) => (v > 0.5 ? v : 0)));
    const sm = await host(layers.softmax({ axis: 0 }).apply(x));
    for (let col = 0; col < 5; col++) expect([0, 1, 2, 3].reduce((s, r) => s + sm[r * 5 + col], 0)).toBeCloseTo(1, 5);
    for (const l of [layers.elu({ alpha: 0.7 }), layers.leakyReLU({ alpha: 0.1 }), layers.softmax()]) {
      await checkGradients((xs) => l.apply(xs[0]), [{ shape: [2, 3], range: [0.1, 2] }, ], { eps: 1e-3 });
      await roundTrip(l, x);
    }
  });
  test('prelu: alpha of shape inputShape[1:], sharedAxes give size 1, gradients for x and alpha', async () => {
    const p = layers.prelu({ alphaInitializer: tn.initializers.constant({ value: 0.25 }) });
    const img = t([2, 3, 3, 4], 12);
    const y = await host(p.apply(img));
    expect(p.weights[0].shape).toEqual([3, 3, 4]);
    expect(p.weights[0].name).toBe(`${p.name}/alpha`);
    expectClose(y, Array.from(await host(img), (v) => (v > 0 ? v : 0.25 * v)));
    const shared = layers.prelu({ sharedAxes: [1, 2] });
    shared.apply(img);
    expect(shared.weights[0].shape).toEqual([1, 1, 4]);
    const q = layers.prelu({ alphaInitializer: tn.initializers.constant({ value: 0.3 }) });
    q.apply(tn.zeros([1, 3]));
    await checkGradients((xs) => q.apply(xs[0]), [{ shape: [2, 3], range: [-2, -0.1] }], { eps: 1e-3 });
    // The gradient reaches alpha: d/d alpha sum(prelu(x)) = sum of the negative x per unit.
    const xs = tn.tensor([[-1, 2, -3], [-4, -5, 6]]);
    q.weights[0].value.grad = null; // the gradient check above accumulated into it
    tn.sum(q.apply(xs)).backward();
    expectClose(await q.weights[0].value.grad!.data(), [-5, -5, -3]);
    await roundTrip(p, img);
  });
});

describe('reshaping layers', () => {
  test('repeatVector and permute', async () => {
    const x = t([2, 3], 13);
    const r = layers.repeatVector({ n: 4 }).apply(x);
    expect(r.shape).toEqual([2, 4, 3]);
    const hx = await host(x);
    const hr = await host(r);
    for (let b = 0; b < 2; b++) for (let k = 0; k < 4; k++) expectClose(hr.slice(b * 12 + k * 3, b * 12 + k * 3 + 3), hx.slice(b * 3, b * 3 + 3));
    await checkGradients((xs) => layers.repeatVector({ n: 3 }).apply(xs[0]), [{ shape: [2, 2] }], { eps: 1e-3 });
    const y = t([2, 3, 4], 14);
    const p = layers.permute({ dims: [2, 1] }).apply(y);
    expectClose(await host(p), await host(tn.transpose(y, [0, 2, 1])));
    expect((layers.permute({ dims: [2, 1] }).apply(tn.input({ shape: [3, 4] }))).shape).toEqual([null, 4, 3]);
    expect(() => layers.permute({ dims: [0, 1] })).toThrow(/permutation/);
  });
  test('masking zeroes the steps whose features all equal maskValue', async () => {
    const x = tn.tensor([[[1, 2], [0, 0], [0, 3]]]);
    expectClose(await host(layers.masking().apply(x)), [1, 2, 0, 0, 0, 3]);
    expectClose(await host(layers.masking({ maskValue: 3 }).apply(tn.tensor([[[3, 3], [3, 1]]]))), [0, 0, 3, 1]);
  });
  test('upSampling2d (nearest), zeroPadding2d and cropping2D, with gradients', async () => {
    const x = t([1, 2, 3, 2], 15);
    const hx = await host(x);
    const up = await host(layers.upSampling2d({ size: [2, 3] }).apply(x));
    for (let i = 0; i < 4; i++) for (let j = 0; j < 9; j++) for (let c = 0; c < 2; c++) {
      expect(up[(i * 9 + j) * 2 + c]).toBe(hx[((i >> 1) * 3 + Math.floor(j / 3)) * 2 + c]);
    }
    await checkGradients((xs) => layers.upSampling2d().apply(xs[0]), [{ shape: [1, 2, 2, 1] }], { eps: 1e-3 });
    const padded = layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] }).apply(x);
    expect(padded.shape).toEqual([1, 3, 5, 2]);
    const cropped = layers.cropping2D({ cropping: [[1, 0], [0, 2]] }).apply(padded);
    expectClose(await host(cropped), hx);
    expect(layers.zeroPadding2d().apply(tn.input({ shape: [4, 4, 1] })).shape).toEqual([null, 6, 6, 1]);
    expect(() => layers.cropping2D({ cropping: 2 }).apply(tn.input({ shape: [4, 4, 1] }))).toThrow(/leaves nothing/);
    await checkGradients((xs) => layers.cropping2D({ cropping: [1, 0] }).apply(layers.zeroPadding2d({ padding: 1 }).apply(xs[0])), [{ shape: [1, 2, 2, 1] }], { eps: 1e-3 });
    expect(() => layers.upSampling2d({ interpolation: 'bilinear' as 'nearest' })).toThrow(/nearest/);
  });
});

describe('noise layers: identity in inference, the documented statistics in training', () => {
  const x = tn.ones([200, 50]);
  test('gaussianNoise', async () => {
    const l = layers.gaussianNoise({ stddev: 0.5, seed: 1 });
    expectClose(await host(l.apply(x)), await host(x));
    const y = await host(l.apply(x, { training: true }));
    const m = y.reduce((s, v) => s + v, 0) / y.length;
    const sd = Math.sqrt(y.reduce((s, v) => s + (v - m) ** 2, 0) / y.length);
    expect(m).toBeCloseTo(1, 1);
    expect(sd).toBeGreaterThan(0.47);
    expect(sd).toBeLessThan(0.53);
  });
  test('gaussianDropout', async () => {
    const l = layers.gaussianDropout({ rate: 0.2, seed: 2 });
    const y = await host(l.apply(x, { training: true }));
    const m = y.reduce((s, v) => s + v, 0) / y.length;
    const sd = Math.sqrt(y.reduce((s, v) => s + (v - m) ** 2, 0) / y.length);
    expect(m).toBeCloseTo(1, 1);
    expect(sd).toBeCloseTo(Math.sqrt(0.2 / 0.8), 1);
  });
  test('spatialDropout1d drops whole channels', async () => {
    const l = layers.spatialDropout1d({ rate: 0.5, seed: 3 });
    const seq = tn.ones([20, 6, 8]);
    expectClose(await host(l.apply(seq)), await host(seq));
    const y = await host(l.apply(seq, { training: true }));
    let dropped = 0;
    for (let b = 0; b < 20; b++) {
      for (let c = 0; c < 8; c++) {
        const vals = [0, 1, 2, 3, 4, 5].map((s) => y[(b * 6 + s) * 8 + c]);
        expect(new Set(vals).size).toBe(1);
        expect([0, 2]).toContain(vals[0]);
        if (vals[0] === 0) dropped++;
      }
    }
    expect(dropped / 160).toBeGreaterThan(0.35);
    expect(dropped / 160).toBeLessThan(0.65);
    expect(() => layers.spatialDropout1d({ rate: 1 })).toThrow(tn.ValueError);
  });
});

describe('pooling over sequences and globally', () => {
  const x = t([2, 7, 3], 16);
  test('maxPooling1d / averagePooling1d: tfjs defaults (poolSize 2, strides = poolSize, valid) and same padding', async () => {
    const hx = await host(x);
    const ref = (f: (vs: number[]) => number, pool: number, stride: number, steps: number): number[] => {
      const out: number[] = [];
      for (let b = 0; b < 2; b++) for (let s = 0; s < steps; s++) for (let c = 0; c < 3; c++) {
        const vs: number[] = [];
        for (let k = 0; k < pool; k++) if (s * stride + k < 7) vs.push(hx[(b * 7 + s * stride + k) * 3 + c]);
        out.push(f(vs));
      }
      return out;
    };
    const mp = layers.maxPooling1d().apply(x);
    expect(mp.shape).toEqual([2, 3, 3]);
    expectClose(await host(mp), ref((v) => Math.max(...v), 2, 2, 3));
    const ap = layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x);
    expect(ap.shape).toEqual([2, 4, 3]);
    expect(layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, 7, 3])).toEqual([null, 4, 3]);
    await checkGradients((xs) => layers.maxPooling1d({ poolSize: 3, strides: 1 }).apply(xs[0]), [{ shape: [1, 5, 2] }], { eps: 1e-3 });
    await checkGradients((xs) => layers.averagePooling1d().apply(xs[0]), [{ shape: [1, 4, 2] }], { eps: 1e-3 });
  });
  test('global pooling 1-D and 2-D', async () => {
    const hx = await host(x);
    const gm = await host(layers.globalMaxPooling1d().apply(x));
    const ga = await host(layers.globalAveragePooling1d().apply(x));
    for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) {
      const col = [0, 1, 2, 3, 4, 5, 6].map((s) => hx[(b * 7 + s) * 3 + c]);
      expect(gm[b * 3 + c]).toBeCloseTo(Math.max(...col), 6);
      expect(ga[b * 3 + c]).toBeCloseTo(col.reduce((s, v) => s + v, 0) / 7, 5);
    }
    const img = t([2, 3, 3, 4], 17);
    const g2 = layers.globalMaxPooling2d().apply(img);
    expect(g2.shape).toEqual([2, 4]);
    expectClose(await host(g2), await host(tn.max(img, [1, 2])));
    expect(() => layers.globalMaxPooling1d().apply(img)).toThrow(/rank 3/);
  });
});

describe('layerNormalization', () => {
  test('normalizes each example over the last axis; gamma/beta [features]; gradients; config', async () => {
    const x = t([3, 6], 18);
    const ln = layers.layerNormalization({ epsilon: 1e-3 });
    const y = await host(ln.apply(x));
    expect(ln.weights.map((w) => [w.name.split('/')[1], w.shape])).toEqual([['gamma', [6]], ['beta', [6]]]);
    const hx = await host(x);
    for (let r = 0; r < 3; r++) {
      const row = Array.from(hx.slice(r * 6, r * 6 + 6));
      const m = row.reduce((s, v) => s + v, 0) / 6;
      const v = row.reduce((s, q) => s + (q - m) ** 2, 0) / 6;
      expectClose(y.slice(r * 6, r * 6 + 6), row.map((q) => (q - m) / Math.sqrt(v + 1e-3)), 1e-4, 1e-5);
    }
    ln.setWeights([t([6], 19), t([6], 20)]);
    await checkGradients((xs) => ln.apply(xs[0]), [{ shape: [2, 6] }], { eps: 1e-3, rtol: 3e-2, atol: 3e-3 });
    await roundTrip(ln, x);
    const multi = layers.layerNormalization({ axis: [1, 2], center: false });
    multi.apply(t([2, 3, 4], 21));
    expect(multi.weights.map((w) => w.shape)).toEqual([[3, 4]]);
    expect(() => layers.layerNormalization({ axis: 0 }).apply(x)).toThrow(/batch axis/);
  });
});

test('every new layer is in the registry (model files can recreate it)', () => {
  const names = tn.layers.registeredLayers();
  for (const n of ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'PReLU', 'RepeatVector', 'Permute', 'Masking', 'UpSampling2D', 'ZeroPadding2D', 'Cropping2D', 'GaussianNoise', 'GaussianDropout', 'SpatialDropout1D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'LayerNormalization', 'InputLayer']) {
    expect(names).toContain(n);
  }
});

test('a functional model with merge layers trains: the softmax layer fuses into the loss', async () => {
  tn.setSeed(3);
  const a = tn.input({ shape: [4] });
  const b = tn.input({ shape: [4] });
  const h = layers.concatenate().apply([layers.dense({ units: 8, activation: 'relu' }).apply(a), layers.dense({ units: 8, activation: 'relu' }).apply(b)]) as tn.SymbolicTensor;
  const merged = layers.add([layers.dense({ units: 8 }).apply(h), layers.dense({ units: 8 }).apply(h)]);
  const out = layers.softmax().apply(layers.dense({ units: 3 }).apply(layers.layerNormalization().apply(merged)));
  const m = tn.model({ inputs: [a, b], outputs: out });
  m.compile({ optimizer: tn.optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const n = 60;
  const xa = t([n, 4], 30);
  const xb = t([n, 4], 31);
  const ha = await host(xa);
  const labels = Int32Array.from({ length: n }, (_, i) => (ha[i * 4] > 0.5 ? 0 : ha[i * 4] < -0.5 ? 1 : 2));
  const h1 = await m.fit([xa, xb], tn.tensor(labels, [n], { dtype: 'int32' }), { epochs: 40, batchSize: 20, verbose: 0 });
  expect(h1.history.loss[39]).toBeLessThan(h1.history.loss[0] * 0.5);
  expect(h1.history.acc[39]).toBeGreaterThan(0.85);
});
