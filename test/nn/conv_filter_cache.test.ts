// Conv layers keep their kernel reordered for the native kernels between calls (lib/ops/conv_cached.ts): the copy must
// follow every write to the kernel, let gradients through, and neither leak nor be freed by the caller's tidy scopes.
import * as tn from '../../lib';

const { layers } = tn;

function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(seed * 7.1 + i * 1.3) * 0.5;
  return v;
}

async function close(a: tn.Tensor, b: tn.Tensor): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [await a.data(), await b.data()];
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i], 5);
}

/** A conv2d layer (no bias, linear) built for 5x5x2 images with a 3x3x2x3 kernel. */
function convLayer(): tn.layers.Layer & { kernel: { value: tn.Tensor; assign(v: tn.Tensor): void } } {
  const l = layers.conv2d({ filters: 3, kernelSize: 3, useBias: false, padding: 'same' }) as never as tn.layers.Layer & { kernel: { value: tn.Tensor; assign(v: tn.Tensor): void } };
  tn.noGrad(() => l.apply(tn.zeros([1, 5, 5, 2]))).dispose();
  return l;
}

/** The op's result for the kernel's current values (the op reorders the filter on every call, never cached). */
const reference = (x: tn.Tensor, w: tn.Tensor): tn.Tensor => tn.conv2d(x, w, { padding: 'same' });

const image = (seed: number) => tn.tensor(values(50, seed), [1, 5, 5, 2]);

/** An inference call, as predict() makes it (no gradient recorded): the path that uses the cached copy. */
const infer = (l: tn.layers.Layer, x: tn.Tensor): tn.Tensor => tn.noGrad(() => l.apply(x) as tn.Tensor);

test('repeated inference calls give the op result', async () => {
  const l = convLayer();
  const x = image(1);
  for (let i = 0; i < 3; i++) await close(infer(l, x), reference(x, l.kernel.value));
  l.dispose();
});

test('assign() and setWeights() between calls: the next call sees the new kernel', async () => {
  const l = convLayer();
  const x = image(2);
  const first = infer(l, x);
  const w2 = tn.tensor(values(54, 3), [3, 3, 2, 3]);
  l.kernel.assign(w2);
  await close(infer(l, x), reference(x, w2));
  const w3 = tn.tensor(values(54, 4), [3, 3, 2, 3]);
  l.setWeights([w3]);
  const after = infer(l, x);
  await close(after, reference(x, w3));
  // Not the stale result of the first kernel.
  expect(Math.abs((await after.data())[0] - (await first.data())[0])).toBeGreaterThan(1e-4);
  l.dispose();
});

test('an optimizer step between predicts: predict follows the trained kernel', async () => {
  tn.setSeed(5);
  const model = tn.sequential({ layers: [layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 2] }), layers.flatten(), layers.dense({ units: 1 })] });
  model.compile({ optimizer: new tn.optim.SGD({ learningRate: 0.5 }), loss: 'meanSquaredError' });
  const x = tn.tensor(values(100, 6), [2, 5, 5, 2]);
  const y = tn.tensor([[1], [-1]]);
  const before = await model.predict(x).data();
  await model.trainOnBatch(x, y);
  const conv = model.layers[0] as never as { kernel: { value: tn.Tensor }; bias: { value: tn.Tensor } };
  const want = tn.add(tn.conv2d(x, conv.kernel.value, { padding: 'valid' }), conv.bias.value);
  const convOut = infer(model.layers[0] as tn.layers.Layer, x);
  await close(convOut, want);
  const after = await model.predict(x).data();
  expect(Math.abs(after[0] - before[0])).toBeGreaterThan(1e-4);
  model.dispose();
});

test('the kernel gradient still flows (recorded calls take the differentiable path), also after cached calls', async () => {
  const l = convLayer();
  const x = image(7);
  infer(l, x).dispose(); // fills the cache
  const w = l.kernel.value;
  const loss = tn.sum(tn.square(l.apply(x)));
  loss.backward();
  const g = tn.grad((wv: tn.Tensor) => tn.sum(tn.square(reference(x, wv))))(tn.clone(w));
  await close(w.grad!, g);
  l.dispose();
});

test('a frozen layer uses the cached copy while x needs a gradient; re-versioning mid-graph keeps backward working', async () => {
  const l = convLayer();
  l.trainable = false;
  const w = tn.clone(l.kernel.value);
  const x = image(8);
  x.requiresGrad = true;
  const y = l.apply(x); // the graph reads the cached copy
  l.kernel.assign(tn.tensor(values(54, 9), [3, 3, 2, 3]));
  l.apply(image(10)).dispose(); // replaces the copy the graph above still reads
  tn.sum(y).backward();
  const g = tn.grad((xv: tn.Tensor) => tn.sum(reference(xv, w)))(x);
  await close(x.grad!, g);
  l.dispose();
});

test('memory stays flat over many predicts and the copies go with the model', async () => {
  const start = tn.memory().numTensors;
  const model = tn.sequential({
    layers: [
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
      layers.conv2dTranspose({ filters: 2, kernelSize: 3 }),
      layers.flatten(),
      layers.dense({ units: 3 }),
    ],
  });
  model.build();
  const x = tn.ones([1, 8, 8, 1]);
  model.predict(x).dispose();
  const warm = tn.memory().numTensors;
  for (let i = 0; i < 200; i++) {
    const y = model.predict(x);
    await y.data();
    y.dispose();
  }
  expect(tn.memory().numTensors).toBe(warm);
  model.dispose();
  x.dispose();
  expect(tn.memory().numTensors).toBe(start);
});

test("a copy made inside the caller's tidy outlives it", async () => {
  const l = convLayer();
  const x = image(11);
  const first = tn.tidy(() => tn.clone(infer(l, x)));
  // The second call reuses the copy made inside the tidy: it must not have been disposed with the scope.
  await close(infer(l, x), first);
  l.dispose();
});

test('memory stays flat while a model trains and predicts in turn', async () => {
  const model = tn.sequential({ layers: [layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 2] }), layers.flatten(), layers.dense({ units: 1 })] });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = tn.tensor(values(100, 12), [2, 5, 5, 2]);
  const y = tn.tensor([[1], [-1]]);
  const round = async () => {
    await model.trainOnBatch(x, y);
    await model.predict(x).data();
  };
  await round();
  const warm = tn.memory().numTensors;
  for (let i = 0; i < 5; i++) await round();
  // One predict result per round is left undisposed above: count only the model's own tensors.
  expect(tn.memory().numTensors - warm).toBe(5);
  model.dispose();
});

test('conv2dTranspose layer: cached calls follow setWeights', async () => {
  const l = layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, useBias: false });
  const x = image(13);
  const op = (w: tn.Tensor) => tn.conv2dTranspose(x, w, [1, 11, 11, 2], 2, 'valid');
  infer(l, x).dispose();
  const w1 = tn.tensor(values(36, 14), [3, 3, 2, 2]);
  l.setWeights([w1]);
  await close(infer(l, x), op(w1));
  const w2 = tn.tensor(values(36, 15), [3, 3, 2, 2]);
  l.setWeights([w2]);
  await close(infer(l, x), op(w2));
  l.dispose();
});
