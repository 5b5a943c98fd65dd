// Autograd across tidy scopes and disposal: a loss made inside tidy keeps its gradients, a disposed graph throws,
// and clearing a gradient frees it (issue 8 bugs 1 and 4, issue 9 finding 8).
import * as tn from '../../lib';

/** Reference gradient of mean(relu(x @ w)) with respect to w, computed outside any scope. */
async function referenceGrad(x: tn.Tensor, w: tn.Tensor): Promise<Float32Array> {
  const wr = tn.tensor(await w.data(), [...w.shape], { requiresGrad: true });
  const loss = tn.mean(tn.relu(tn.matmul(x, wr)));
  loss.backward();
  const g = (await wr.grad!.data()) as Float32Array;
  loss.dispose();
  wr.dispose();
  return g;
}

describe('tidy and backward', () => {
  let x: tn.Tensor;
  let w: tn.Tensor;
  beforeEach(() => {
    x = tn.randn([5, 4], { seed: 11 });
    w = tn.randn([4, 3], { seed: 12, requiresGrad: true });
  });
  afterEach(() => {
    w.grad = null;
    x.dispose();
    w.dispose();
  });

  test('a loss returned by tidy still backpropagates into the weights', async () => {
    const expected = await referenceGrad(x, w);
    const loss = tn.tidy(() => tn.mean(tn.relu(tn.matmul(x, w))));
    loss.backward();
    expect(w.grad).not.toBeNull();
    const got = (await w.grad!.data()) as Float32Array;
    expect(Array.from(got)).toEqual(Array.from(expected));
    expect(Array.from(expected).some((v) => v !== 0)).toBe(true);
    loss.dispose();
  });

  test('nested tidy scopes, softmax cross-entropy (owned probabilities) and dropout (owned mask)', async () => {
    const labels = tn.tensor([0, 2, 1, 1, 0], [5], 'int32');
    const loss = tn.tidy(() => tn.tidy(() => tn.softmaxCrossEntropy(tn.dropout(tn.matmul(x, w), 0.25, { seed: 3 }), labels)));
    loss.backward();
    const viaTidy = Array.from(await w.grad!.data());
    w.grad = null;
    const direct = tn.softmaxCrossEntropy(tn.dropout(tn.matmul(x, w), 0.25, { seed: 3 }), labels);
    direct.backward();
    expect(viaTidy).toEqual(Array.from(await w.grad!.data()));
    expect(viaTidy.some((v) => v !== 0)).toBe(true);
    loss.dispose();
    direct.dispose();
    labels.dispose();
  });

  test('the graph a tidy hands over is freed by backward: no tensor is left behind', () => {
    const before = tn.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const loss = tn.tidy(() => tn.mean(tn.sigmoid(tn.matmul(x, w))));
      loss.backward();
      loss.dispose();
      w.grad = null;
    }
    expect(tn.memory().numTensors).toBe(before);
  });

  test('disposing a loss without backward frees the graph it holds', () => {
    const before = tn.memory().numTensors;
    const loss = tn.tidy(() => tn.mean(tn.tanh(tn.matmul(tn.add(x, 1), w))));
    expect(tn.memory().numTensors).toBeGreaterThan(before + 1); // the intermediates live on for backward
    loss.dispose();
    expect(tn.memory().numTensors).toBe(before);
  });

  test('optimizer.minimize over a tidy loss updates the weights', async () => {
    const opt = tn.optimizers.sgd({ learningRate: 0.5 });
    const w0 = Array.from(await w.data());
    const expected = await referenceGrad(x, w);
    opt.minimize(() => tn.tidy(() => tn.mean(tn.relu(tn.matmul(x, w)))), [w]);
    const w1 = Array.from(await w.data());
    w1.forEach((v, i) => expect(v).toBeCloseTo(w0[i] - 0.5 * expected[i], 6));
    expect(w1).not.toEqual(w0);
    opt.dispose();
  });

  test('backward through an intermediate disposed by the user throws instead of skipping it', () => {
    const h = tn.relu(tn.matmul(x, w));
    const loss = tn.mean(h);
    h.dispose();
    expect(() => loss.backward()).toThrow(tn.DisposedError);
    expect(() => loss.backward()).toThrow(/input 0 of 'mean'.*disposed/);
    expect(w.grad).toBeNull();
    loss.dispose();
  });

  test('backward on a disposed loss throws', () => {
    const loss = tn.mean(tn.matmul(x, w));
    loss.dispose();
    expect(() => loss.backward()).toThrow(tn.DisposedError);
  });

  test('backward twice without retainGraph names the freed graph', () => {
    const loss = tn.tidy(() => tn.mean(tn.matmul(x, w)));
    loss.backward();
    expect(() => loss.backward()).toThrow(/already freed.*retainGraph/);
    loss.dispose();
  });

  test('retainGraph keeps a tidy-made graph for a second backward that accumulates', async () => {
    const loss = tn.tidy(() => tn.sum(tn.matmul(x, w)));
    loss.backward(undefined, { retainGraph: true });
    const once = Array.from(await w.grad!.data());
    loss.backward();
    const twice = Array.from(await w.grad!.data());
    twice.forEach((v, i) => expect(v).toBeCloseTo(2 * once[i], 5));
    loss.dispose();
  });
});

describe('clearing a gradient', () => {
  test('w.grad = null disposes the gradient: live tensors stay flat over a custom loop', () => {
    const x = tn.randn([8, 4], { seed: 1 });
    const w = tn.randn([4, 2], { seed: 2, requiresGrad: true });
    const counts: number[] = [];
    for (let step = 0; step < 12; step++) {
      tn.tidy(() => tn.mean(tn.matmul(x, w)).backward());
      const g = w.grad!;
      w.grad = null;
      expect(g.isDisposed).toBe(true);
      counts.push(tn.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    x.dispose();
    w.dispose();
  });

  test('replacing a gradient disposes the old one; assigning the same one keeps it', () => {
    const w = tn.zeros([3], { requiresGrad: true });
    const g1 = tn.ones([3]);
    const g2 = tn.ones([3]);
    w.grad = g1;
    w.grad = g1;
    expect(g1.isDisposed).toBe(false);
    w.grad = g2;
    expect(g1.isDisposed).toBe(true);
    expect(w.grad).toBe(g2);
    w.grad = null;
    expect(g2.isDisposed).toBe(true);
    w.dispose();
  });

  test('a non-tensor gradient is refused with a ValueError', () => {
    const w = tn.zeros([3], { requiresGrad: true });
    expect(() => {
      (w as unknown as { grad: unknown }).grad = 5;
    }).toThrow(tn.ValueError);
    w.dispose();
  });
});
