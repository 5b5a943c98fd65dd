// The functional API: tf.input, layer.apply on symbolic tensors, tf.model with several inputs and outputs, shared
// layers, nested models, getLayer, per-output compile settings, dict data, tfjs return types, freezing, custom layers.
import * as os from 'os';
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tn from '../../lib';
import { layers } from '../../lib';
import { scalars } from '../helpers/model_values';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
};
const rand = (shape: number[], seed: number): tn.Tensor => tn.randn(shape, { seed });
const vals = async (t: tn.Tensor | tn.Tensor[]): Promise<Float32Array> => (await (t as tn.Tensor).data()) as Float32Array;

/** Two inputs (a: 3 features, b: 2) -> concat through dense layers -> two outputs (reg [1], cls [3] softmax). */
function twoHeads(): { m: tn.LayersModel; shared: tn.layers.Dense } {
  const a = tn.input({ shape: [3], name: 'a' });
  const b = tn.input({ shape: [2], name: 'b' });
  const ha = layers.dense({ units: 4, activation: 'tanh', name: 'ha' }).apply(a);
  const hb = layers.dense({ units: 4, activation: 'tanh', name: 'hb' }).apply(b);
  const shared = layers.dense({ units: 4, activation: 'relu', name: 'shared' });
  const sa = shared.apply(ha);
  const sb = shared.apply(hb);
  const reg = layers.dense({ units: 1, name: 'reg' }).apply(sa);
  const cls = layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(sb);
  return { m: tn.model({ inputs: [a, b], outputs: [reg, cls], name: 'two_heads' }), shared };
}

test('symbolic apply, topology, names, getLayer, layer.input/output, shared layers', async () => {
  tn.setSeed(1);
  const { m, shared } = twoHeads();
  expect(m.inputNames).toEqual(['a', 'b']);
  expect(m.outputNames).toEqual(['reg', 'cls']);
  expect(m.inputs.map((t) => t.shape)).toEqual([[null, 3], [null, 2]]);
  expect(m.outputs.map((t) => t.shape)).toEqual([[null, 1], [null, 3]]);
  expect(m.layers.map((l) => l.name).sort()).toEqual(['a', 'b', 'cls', 'ha', 'hb', 'reg', 'shared']);
  expect(m.layers.slice(0, 2).map((l) => l.className)).toEqual(['InputLayer', 'InputLayer']); // deepest first
  expect(m.getLayer('shared')).toBe(shared);
  expect(m.getLayer(undefined, 0)).toBe(m.layers[0]);
  expect(() => m.getLayer('nope')).toThrow(/no layer named "nope"/);
  expect(m.getLayer('ha').output).toBeInstanceOf(tn.SymbolicTensor);
  expect((m.getLayer('ha').input as tn.SymbolicTensor).name).toBe('a');
  expect(() => shared.input).toThrow(/called 2 times/);
  expect(shared.inboundNodes.length).toBe(2);
  expect(shared.getClassName()).toBe('Dense');
  // Weights: the shared layer's kernel counts once.
  expect(m.weights.length).toBe(10);
  expect(m.countParams()).toBe(3 * 4 + 4 + 2 * 4 + 4 + 4 * 4 + 4 + 4 * 1 + 1 + 4 * 3 + 3);

  // The graph equals the same layers called by hand.
  const xa = rand([5, 3], 2);
  const xb = rand([5, 2], 3);
  const [reg, cls] = m.predict([xa, xb]) as tn.Tensor[];
  const byHand = tn.noGrad(() => {
    const h = shared.apply(m.getLayer('hb').apply(xb));
    return [m.getLayer('reg').apply(shared.apply(m.getLayer('ha').apply(xa))), m.getLayer('cls').apply(h)];
  });
  close(await reg.data(), await byHand[0].data());
  close(await cls.data(), await byHand[1].data());
  // A dict keyed by input names is the same as the list.
  const viaDict = m.predict({ b: xb, a: xa }) as tn.Tensor[];
  close(await viaDict[1].data(), await cls.data());
  // predict in batches agrees with one batch.
  close(await vals((m.predict([xa, xb], { batchSize: 2 }) as tn.Tensor[])[0]), await reg.data());
  const asyncOut = (await m.predictAsync([xa, xb], { batchSize: 3 })) as tn.Tensor[];
  close(await asyncOut[1].data(), await cls.data());
});

test('bad graphs and bad data are typed errors naming the problem', () => {
  const a = tn.input({ shape: [3], name: 'ga' });
  const other = tn.input({ shape: [3], name: 'gother' });
  const y = layers.dense({ units: 2 }).apply(other);
  expect(() => tn.model({ inputs: a, outputs: y })).toThrow(/graph disconnected.*gother/);
  const h = layers.dense({ units: 2, name: 'h_in' }).apply(a);
  expect(() => tn.model({ inputs: h, outputs: h })).toThrow(/must come from tf.input/);
  const d1 = layers.dense({ units: 2, name: 'dup' }).apply(a);
  const d2 = layers.dense({ units: 2, name: 'dup' }).apply(d1);
  expect(() => tn.model({ inputs: a, outputs: d2 })).toThrow(/two layers are named 'dup'/);
  const m = tn.model({ inputs: a, outputs: d1 });
  expect(() => m.predict(tn.zeros([2, 4]))).toThrow(tn.ShapeError);
  expect(() => m.predict([tn.zeros([2, 3]), tn.zeros([2, 3])])).toThrow(/expected 1 tensor/);
  expect(() => m.predict({ nope: tn.zeros([2, 3]) })).toThrow(/unknown name 'nope'/);
  // A built layer called again on a different feature size.
  const dense = layers.dense({ units: 2 });
  dense.apply(tn.input({ shape: [3] }));
  expect(() => dense.apply(tn.input({ shape: [5] }))).toThrow(/built for inputs \[null,3\]/);
  expect(() => tn.input({ shape: [3], batchShape: [null, 3] })).toThrow(/exactly one/);
});

test('several outputs: per-output losses (dict), lossWeights, tfjs log keys, evaluate returns scalars', async () => {
  tn.setSeed(4);
  const { m } = twoHeads();
  m.compile({
    optimizer: tn.optimizers.sgd({ learningRate: 0.1 }),
    loss: { reg: 'meanSquaredError', cls: 'sparseCategoricalCrossentropy' },
    lossWeights: { reg: 0.5, cls: 2 },
    metrics: { cls: ['accuracy'] },
  });
  expect(m.metricsNames).toEqual(['loss', 'reg_loss', 'cls_loss', 'cls_acc']);
  const xa = rand([12, 3], 5);
  const xb = rand([12, 2], 6);
  const yr = rand([12, 1], 7);
  const yc = tn.tensor(Int32Array.from({ length: 12 }, (_, i) => i % 3), [12], { dtype: 'int32' });
  // The total is the weighted sum of the per-output losses, each as its loss function computes it.
  const [pr, pc] = m.predict([xa, xb]) as tn.Tensor[];
  const mse = (await tn.losses.meanSquaredError(yr, pr).data())[0];
  const sce = (await tn.losses.sparseCategoricalCrossentropy(yc, pc).data())[0];
  const ev = m.evaluate([xa, xb], { reg: yr, cls: yc }, { batchSize: 5 });
  expect(Array.isArray(ev)).toBe(true);
  const [total, lr, lc, acc] = await scalars(ev);
  expect(lr).toBeCloseTo(mse, 5);
  expect(lc).toBeCloseTo(sce, 5);
  expect(total).toBeCloseTo(0.5 * mse + 2 * sce, 5);
  expect(acc).toBeGreaterThanOrEqual(0);
  const tob = await m.trainOnBatch([xa, xb], [yr, yc]);
  expect(Array.isArray(tob) && tob.length).toBe(4);
  const h = await m.fit({ a: xa, b: xb }, { reg: yr, cls: yc }, { epochs: 3, batchSize: 4, verbose: 0, callbacks: null, validationData: [[xa, xb], [yr, yc]] });
  expect(Object.keys(h.history).sort()).toEqual(['cls_acc', 'cls_loss', 'loss', 'reg_loss', 'val_cls_acc', 'val_cls_loss', 'val_loss', 'val_reg_loss']);
  expect(h.history.loss[2]).toBeLessThan(total);
  expect(() => m.compile({ optimizer: 'sgd', loss: ['mse'] })).toThrow(/1 entries but the model has 2 output/);
  expect(() => m.compile({ optimizer: 'sgd', loss: { reg: 'mse', nope: 'mse' } })).toThrow(/'nope', which is not an output/);
});

test('one output: evaluate returns a Scalar, trainOnBatch a number; callbacks as one object', async () => {
  tn.setSeed(5);
  const x = tn.input({ shape: [2] });
  const m = tn.model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(layers.dense({ units: 3, activation: 'relu' }).apply(x)) });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const xs = rand([8, 2], 1);
  const ys = rand([8, 1], 2);
  const ev = m.evaluate(xs, ys);
  expect(Array.isArray(ev)).toBe(false);
  expect((ev as tn.Tensor).shape).toEqual([]);
  expect(typeof (await m.trainOnBatch(xs, ys))).toBe('number');
  const epochs: number[] = [];
  await m.fit(xs, ys, { epochs: 2, verbose: 0, callbacks: { onEpochEnd: (e) => void epochs.push(e) } });
  expect(epochs).toEqual([0, 1]);
});

test('trainable = false freezes a layer, and model.trainable a whole (nested) model', async () => {
  tn.setSeed(6);
  const inner = tn.sequential({ layers: [layers.dense({ units: 3, inputShape: [2], activation: 'tanh' })] });
  const x = tn.input({ shape: [2] });
  const head = layers.dense({ units: 1 });
  const m = tn.model({ inputs: x, outputs: head.apply(inner.apply(x) as tn.SymbolicTensor) });
  expect(m.layers.map((l) => l.className)).toEqual(['InputLayer', 'Sequential', 'Dense']);
  m.compile({ optimizer: tn.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
  const xs = rand([6, 2], 3);
  const ys = rand([6, 1], 4);
  inner.trainable = false;
  expect(m.trainableWeights.length).toBe(2);
  const before = await Promise.all(m.getWeights().map((w) => w.data()));
  await m.trainOnBatch(xs, ys);
  const after = await Promise.all(m.getWeights().map((w) => w.data()));
  close(after[0], before[0], 0); // inner kernel frozen
  expect(Array.from(after[2]).some((v, i) => v !== before[2][i])).toBe(true); // head trained
  inner.trainable = true;
  head.trainable = false;
  expect(m.trainableWeights.map((v) => v.name)).toEqual(inner.weights.map((v) => v.name));
  m.trainable = false;
  expect(m.trainableWeights.length).toBe(0);
  expect(m.nonTrainableWeights.length).toBe(4);
});

test('a nested model computes what its layers compute, and summary lists the graph', async () => {
  tn.setSeed(7);
  const innerIn = tn.input({ shape: [4], name: 'inner_in' });
  const inner = tn.model({ inputs: innerIn, outputs: layers.dense({ units: 2, name: 'inner_dense' }).apply(innerIn), name: 'inner' });
  const x = tn.input({ shape: [4], name: 'outer_in' });
  const out = layers.dense({ units: 1, name: 'outer_dense' }).apply(inner.apply(x) as tn.SymbolicTensor);
  const m = tn.model({ inputs: x, outputs: out, name: 'outer' });
  const xs = rand([3, 4], 8);
  const expected = tn.noGrad(() => m.getLayer('outer_dense').apply(inner.getLayer('inner_dense').apply(xs)));
  close(await vals(m.predict(xs)), await expected.data());
  const lines: string[] = [];
  m.summary(undefined, undefined, (l) => lines.push(l));
  const text = lines.join('\n');
  expect(text).toMatch(/inner \(Model\)\s+\[null,2\]\s+10\s+outer_in/);
  expect(text).toMatch(/outer_dense \(Dense\)\s+\[null,1\]\s+3\s+inner/);
  expect(text).toMatch(/Total params: 13/);
});

test('save and load a functional model with a nested model and a shared layer (tensornode format)', async () => {
  tn.setSeed(8);
  const { m } = twoHeads();
  m.compile({ optimizer: 'adam', loss: ['meanSquaredError', 'sparseCategoricalCrossentropy'], metrics: [['mae'], ['accuracy']] });
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-functional-'));
  try {
    await m.save(dir);
    const loaded = await tn.loadModel(dir);
    expect(loaded.className).toBe('Model');
    expect(loaded.inputNames).toEqual(['a', 'b']);
    expect(loaded.outputNames).toEqual(['reg', 'cls']);
    expect(loaded.metricsNames).toEqual(m.metricsNames);
    const xs = [rand([4, 3], 9), rand([4, 2], 10)];
    const p0 = m.predict(xs) as tn.Tensor[];
    const p1 = loaded.predict(xs) as tn.Tensor[];
    close(await p1[0].data(), await p0[0].data());
    close(await p1[1].data(), await p0[1].data());
    // The JSON round trip alone gives the same architecture.
    const again = tn.modelFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(again.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    expect(again.getLayer('shared').inboundNodes.length).toBe(2);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
});

test('custom layers: class extends tf.layers.Layer with static className, one input or a list, registered for loading', async () => {
  class Scale extends tn.layers.Layer {
    static className = 'Scale';
    readonly factor: number;
    constructor(config: { factor?: number; name?: string } = {}) {
      super(config);
      this.factor = config.factor ?? 2;
    }
    protected call(x: tn.Tensor | tn.Tensor[]): tn.Tensor {
      const list = Array.isArray(x) ? x : [x];
      return tn.mul(list.reduce((a, b) => tn.add(a, b)), this.factor);
    }
    override computeOutputShape(s: tn.layers.Shape | tn.layers.Shape[]): tn.layers.Shape {
      return Array.isArray(s[0]) ? [...(s[0] as tn.layers.Shape)] : [...(s as tn.layers.Shape)];
    }
    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), factor: this.factor };
    }
  }
  tn.serialization.registerClass(Scale);
  const a = tn.input({ shape: [2] });
  const b = tn.input({ shape: [2] });
  const s = new Scale({ factor: 3 });
  expect(s.getClassName()).toBe('Scale');
  expect(s.name).toBe('scale');
  const m = tn.model({ inputs: [a, b], outputs: new Scale().apply(s.apply([a, b]) as tn.SymbolicTensor) });
  const xa = tn.tensor([[1, 2]]);
  const xb = tn.tensor([[10, 20]]);
  close(await vals(m.predict([xa, xb])), [66, 132]);
  const copy = tn.modelFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
  close(await vals(copy.predict([xa, xb])), [66, 132]);
  expect(() => tn.serialization.registerClass(class NotALayer {} as never)).toThrow(/subclass of tf.layers.Layer/);
});

test('Sequential is a LayersModel: inputs, outputs, names, nested in a functional model', async () => {
  tn.setSeed(9);
  const seq = tn.sequential({ layers: [layers.dense({ units: 3, inputShape: [2], name: 's1' }), layers.dense({ units: 1, name: 's2' })] });
  expect(seq).toBeInstanceOf(tn.LayersModel);
  expect(seq.inputs[0].shape).toEqual([null, 2]);
  expect(seq.outputNames).toEqual(['s2']);
  expect(seq.layers.map((l) => l.name)).toEqual(['s1', 's2']);
  expect(seq.getLayer(undefined, 1).name).toBe('s2');
  // Lazy: without an input shape, the first data builds it.
  const lazy = tn.sequential({ layers: [layers.dense({ units: 2 })] });
  expect(lazy.inputs.length).toBe(0);
  expect(lazy.predict(tn.zeros([1, 5])).shape).toEqual([1, 2]);
  expect(lazy.inputs[0].shape).toEqual([null, 5]);
  lazy.add(layers.dense({ units: 4 }));
  expect(lazy.predict(tn.zeros([1, 5])).shape).toEqual([1, 4]);
  lazy.pop();
  expect(lazy.outputs[0].shape).toEqual([null, 2]);
});
