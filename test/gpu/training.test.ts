// Training on cuda:0 follows the CPU: the same small CNNs from the same initial weights give the same loss curves.
import * as tn from '../../lib';
import { randomArray } from '../helpers/gradcheck';
import { expectNear, toGpu, type Tol } from './compare';
import { CPU, describeGpu, GPU, pinDefaultDeviceToCpu, reportGpuGate } from './gpu_env';

reportGpuGate('training.test.ts');
pinDefaultDeviceToCpu();

const STEPS = 20;
/** Per-step loss agreement in fp32: the 1e-3 relative (the two backends sum in different orders). */
const FP32_CURVE: Tol = { rtol: 1e-3, atol: 1e-5 };

/**
 * `count` steps over 4 fixed random batches taken in turn (so later steps revisit data the model has fit): images
 * [n, 10, 10, 2] in [-1, 1) and int32 labels in [0, 4).
 */
function batches(count: number, n: number): { x: Float32Array; y: Int32Array }[] {
  const distinct = Array.from({ length: 4 }, (_, b) => {
    const x = randomArray(n * 10 * 10 * 2, 1000 + b);
    const u = randomArray(n, 2000 + b, 0, 1);
    return { x, y: Int32Array.from(u, (v) => Math.min(3, Math.floor(v * 4))) };
  });
  return Array.from({ length: count }, (_, i) => distinct[i % 4]);
}

const meanOf = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** Builds the same model twice from the same seed (CPU), moves the second to the GPU and checks the copies agree. */
async function twins(make: () => tn.Sequential): Promise<[tn.Sequential, tn.Sequential]> {
  tn.setSeed(42);
  const cpu = make();
  tn.setSeed(42);
  const gpu = make().to(GPU);
  expect(cpu.device).toBe(CPU);
  expect(gpu.device).toBe(GPU);
  const wc = cpu.weights;
  const wg = gpu.weights;
  expect(wg.length).toBe(wc.length);
  for (let i = 0; i < wc.length; i++) {
    expect(wg[i].value.device).toBe(GPU);
    expectNear(`initial weight ${wc[i].name}`, await wg[i].value.data(), await wc[i].value.data(), { rtol: 0, atol: 0 });
  }
  return [cpu, gpu];
}

/** trainOnBatch on both models over the same batches; returns the two loss curves. */
async function trainBoth(models: [tn.Sequential, tn.Sequential], data: { x: Float32Array; y: Int32Array }[], imgShape: number[]): Promise<[number[], number[]]> {
  const curves: [number[], number[]] = [[], []];
  for (const { x, y } of data) {
    for (let k = 0; k < 2; k++) {
      const device = k === 0 ? CPU : GPU;
      const xs = tn.tensor(x, [y.length, ...imgShape], { device });
      const ys = tn.tensor(y, [y.length], { device, dtype: 'int32' });
      const r = await models[k].trainOnBatch(xs, ys);
      curves[k].push(Array.isArray(r) ? r[0] : r);
      tn.dispose([xs, ys]);
    }
  }
  return curves;
}

const smallCnn = (): tn.Sequential =>
  tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [10, 10, 2] }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.conv2d({ filters: 8, kernelSize: 2, activation: 'relu' }),
      tn.layers.flatten(),
      tn.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });

describeGpu('a small CNN trains the same on cuda:0 as on the CPU', () => {
  test.each([
    ['SGD with momentum', () => tn.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 })],
    ['Adam', () => tn.optimizers.adam({ learningRate: 0.005 })],
  ] as [string, () => tn.optim.Optimizer][])('%s: 20 steps, loss curves agree per step', async (_name, opt) => {
    const models = await twins(smallCnn);
    for (const m of models) m.compile({ optimizer: opt(), loss: 'sparseCategoricalCrossentropy' });
    const [lc, lg] = await trainBoth(models, batches(STEPS, 16), [10, 10, 2]);
    expect(lc.length).toBe(STEPS);
    expect(lc.every(Number.isFinite)).toBe(true);
    // The model fits the data (the last pass over the 4 batches beats the first)...
    expect(meanOf(lc.slice(-4))).toBeLessThan(meanOf(lc.slice(0, 4)));
    expectNear('loss curve (GPU vs CPU)', lg, lc, FP32_CURVE);
    // ...and predictions after training still agree.
    const x = tn.tensor(randomArray(8 * 200, 77), [8, 10, 10, 2], { device: CPU });
    const xg = toGpu(x);
    const [pc, pg] = [models[0].predict(x), models[1].predict(xg)];
    expect(pg.device).toBe(GPU);
    expectNear('predictions after training', await pg.data(), await pc.data(), { rtol: 1e-2, atol: 1e-4 });
    tn.dispose([x, xg, pc, pg]);
    for (const m of models) m.dispose();
  });

  test('batch normalization, dropout (fixed seed) and global average pooling, with Adam: loss curves agree', async () => {
    const make = (): tn.Sequential =>
      tn.sequential({
        layers: [
          tn.layers.conv2d({ filters: 6, kernelSize: 3, inputShape: [10, 10, 2] }),
          tn.layers.batchNormalization(),
          tn.layers.activation({ activation: 'relu' }),
          tn.layers.averagePooling2d({ poolSize: 2 }),
          tn.layers.globalAveragePooling2d(),
          tn.layers.dropout({ rate: 0.25, seed: 9 }),
          tn.layers.dense({ units: 4, activation: 'softmax' }),
        ],
      });
    const models = await twins(make);
    for (const m of models) m.compile({ optimizer: tn.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    const [lc, lg] = await trainBoth(models, batches(STEPS, 16), [10, 10, 2]);
    expectNear('loss curve (GPU vs CPU)', lg, lc, FP32_CURVE);
    // Batch-norm moving statistics (non-trainable weights) follow too.
    const [nc, ng] = [models[0].nonTrainableWeights, models[1].nonTrainableWeights];
    expect(ng.length).toBe(nc.length);
    for (let i = 0; i < nc.length; i++) expectNear(`moving statistic ${nc[i].name}`, await ng[i].value.data(), await nc[i].value.data(), { rtol: 1e-3, atol: 1e-5 });
    for (const m of models) m.dispose();
  });

  test('a hand-written loop (ops + optimizer, no Sequential): losses and final parameters agree', async () => {
    const init = [
      [[3, 3, 2, 6], 11, 0.3],
      [[6], 12, 0.1],
      [[4 * 4 * 6, 4], 13, 0.2],
      [[4], 14, 0.1],
    ] as const;
    const pc = init.map(([shape, seed, r]) => tn.tensor(randomArray(shape.reduce((a: number, b: number) => a * b, 1), seed, -r, r), [...shape], { device: CPU }));
    const pg = pc.map(toGpu);
    const optC = tn.optimizers.sgd({ learningRate: 0.1, momentum: 0.5 });
    const optG = tn.optimizers.sgd({ learningRate: 0.1, momentum: 0.5 });
    for (const p of [...pc, ...pg]) p.requiresGrad = true;
    const lossOf = (x: tn.Tensor, y: tn.Tensor, [w1, b1, w2, b2]: tn.Tensor[]): tn.Tensor => {
      const h = tn.relu(tn.add(tn.conv2d(x, w1, { padding: 'same' }), b1));
      const p = tn.avgPool2d(h, { kernelSize: 2, padding: 'same' });
      const logits = tn.add(tn.matmul(tn.flatten(tn.slice(p, [0, 0, 0, 0], [-1, 4, 4, -1])), w2), b2);
      return tn.softmaxCrossEntropy(logits, y);
    };
    const curves: [number[], number[]] = [[], []];
    for (const { x, y } of batches(STEPS, 8)) {
      for (let k = 0; k < 2; k++) {
        const device = k === 0 ? CPU : GPU;
        const params = k === 0 ? pc : pg;
        const xs = tn.tensor(x, [8, 10, 10, 2], { device });
        const ys = tn.tensor(y, [8], { device, dtype: 'int32' });
        const loss = (k === 0 ? optC : optG).minimize(() => lossOf(xs, ys, params), params, true)!;
        expect(loss.device).toBe(device);
        curves[k].push((await loss.data())[0]);
        tn.dispose([xs, ys, loss]);
      }
    }
    expectNear('loss curve (GPU vs CPU)', curves[1], curves[0], FP32_CURVE);
    for (let i = 0; i < pc.length; i++) {
      expect(pg[i].device).toBe(GPU);
      expectNear(`final parameter ${i}`, await pg[i].data(), await pc[i].data(), { rtol: 1e-3, atol: 1e-5 });
    }
    optC.dispose();
    optG.dispose();
    tn.dispose([pc, pg]);
  });

  test('with setTF32(true) the GPU curve stays within TF32 bounds of the CPU curve', async () => {
    const models = await twins(smallCnn);
    for (const m of models) m.compile({ optimizer: tn.optimizers.sgd({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
    tn.setTF32(true);
    let curves: [number[], number[]];
    try {
      curves = await trainBoth(models, batches(10, 16), [10, 10, 2]);
    } finally {
      tn.setTF32(false);
    }
    expectNear('loss curve with TF32 (GPU vs CPU)', curves[1], curves[0], { rtol: 2e-2, atol: 1e-4 });
    for (const m of models) m.dispose();
  });
});
