// Every example runs in its small mode and does its job: XOR solved, digits learned, CIFAR (synthetic offline) learned,
// and the HTTP service answers, batches concurrent requests and agrees with the model, over loopback.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { loadBundledDigits } from '../../lib/data/mnist_package';
import { main as cifar, syntheticCifar } from '../../examples/cifar10_cnn';
import { main as customLoop } from '../../examples/custom_training_loop';
import { main as mnist } from '../../examples/mnist_cnn';
import { startService, type Service } from '../../examples/prediction_service';
import { main as xor } from '../../examples/xor_mlp';
import { main as lstmText } from '../../examples/lstm_text_classifier';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-examples-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const lines: string[] = [];
const log = (l: string): void => void lines.push(l);

test('xor_mlp classifies all four XOR cases', async () => {
  const r = await xor({ small: true, log });
  expect(r.accuracy).toBe(1);
  expect(r.predictions[0]).toBeLessThan(0.5);
  expect(r.predictions[1]).toBeGreaterThan(0.5);
  expect(r.predictions[2]).toBeGreaterThan(0.5);
  expect(r.predictions[3]).toBeLessThan(0.5);
});

test('an example runs as a script: TENSORNODE_EXAMPLE_SMALL=1 node xor_mlp', () => {
  const root = path.resolve(__dirname, '../..');
  const r = spawnSync(process.execPath, ['-r', path.join(root, 'test/cli/transpile_hook.js'), path.join(root, 'examples/xor_mlp.ts')], {
    env: { ...process.env, TENSORNODE_EXAMPLE_SMALL: '1' },
    encoding: 'utf8',
    timeout: 60000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^accuracy: 1\.00, loss: \d\.\d{4}$/m);
});

test('lstm_text_classifier: an embedding > LSTM model trained with fitDataset reads the synthetic reviews', async () => {
  const r = await lstmText({ small: true, log });
  expect(r.accuracy).toBeGreaterThan(0.8); // chance is about 0.5
});

test('custom_training_loop: the loss falls and held-out digits are mostly right', async () => {
  const r = await customLoop({ small: true, log });
  expect(r.epochLosses[1]).toBeLessThan(r.epochLosses[0]);
  expect(r.testAccuracy).toBeGreaterThan(0.6); // chance is 0.1
});

test('cifar10_cnn without $CIFAR10_DIR trains on the labelled synthetic stand-in and learns it', async () => {
  const saved = process.env.CIFAR10_DIR;
  delete process.env.CIFAR10_DIR;
  const out: string[] = [];
  try {
    const r = await cifar({ small: true, log: (l) => out.push(l) });
    expect(r.synthetic).toBe(true);
    expect(out[0]).toMatch(/SYNTHETIC/);
    expect(r.testAccuracy).toBeGreaterThan(0.5);
  } finally {
    if (saved !== undefined) process.env.CIFAR10_DIR = saved;
  }
  const s = syntheticCifar(20, 10);
  expect(s.trainImages.shape).toEqual([20, 32, 32, 3]);
  expect(Math.min(...s.trainImages.data)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...s.trainImages.data)).toBeLessThanOrEqual(1);
});

describe('mnist_cnn, then prediction_service around the model it saved', () => {
  const modelDir = path.join(tmp, 'mnist-cnn');
  let service: Service;
  let accuracy = 0;
  beforeAll(async () => {
    const saved = process.env.MNIST_DIR;
    delete process.env.MNIST_DIR;
    try {
      accuracy = (await mnist({ small: true, saveTo: modelDir, log })).testAccuracy;
    } finally {
      if (saved !== undefined) process.env.MNIST_DIR = saved;
    }
    service = await startService({ modelDir, port: 0, maxWaitMs: 20, log });
  }, 60000);
  afterAll(() => service?.close());

  test('the CNN learns the bundled digits well above chance in one small epoch and saves the model', () => {
    expect(accuracy).toBeGreaterThan(0.5);
    expect(fs.existsSync(path.join(modelDir, 'model.json'))).toBe(true);
  });

  const post = (body: string) => fetch(`${service.url}/predict`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  test('listens on loopback, answers /health, and predicts what the saved model predicts', async () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${service.url}/health`)).json()).toMatchObject({ status: 'ok', inputShape: [28, 28, 1] });

    const d = loadBundledDigits({ trainSize: 0, testSize: 6, seed: 5 });
    const images = Array.from({ length: 6 }, (_, i) => Array.from(d.testImages.data.subarray(i * 784, (i + 1) * 784)));
    const res = await post(JSON.stringify({ images }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: { class: number; probability: number }[] };
    expect(body.predictions).toHaveLength(6);

    // Reference: the same model loaded independently, predicting the same rows.
    const model = await tn.loadModel(modelDir);
    const x = tn.tensor(d.testImages.data, d.testImages.shape);
    const probs = await model.predict(x).data();
    body.predictions.forEach((p, i) => {
      const row = Array.from(probs.subarray(i * 10, i * 10 + 10));
      expect(p.class).toBe(row.indexOf(Math.max(...row)));
      expect(p.probability).toBeCloseTo(Math.max(...row), 5);
    });
    model.dispose();
    x.dispose();
  });

  test('concurrent requests share a batch and each gets its own answer', async () => {
    const d = loadBundledDigits({ trainSize: 0, testSize: 8, seed: 9 });
    const one = (i: number) => Array.from(d.testImages.data.subarray(i * 784, (i + 1) * 784));
    const solo = await Promise.all([0, 1, 2, 3].map(async (i) => ((await (await post(JSON.stringify({ image: one(i) }))).json()) as { predictions: { class: number }[] }).predictions[0].class));
    const together = (await Promise.all([0, 1, 2, 3].map(async (i) => (await post(JSON.stringify({ image: one(i) }))).json()))) as {
      predictions: { class: number }[];
      batchSize: number;
    }[];
    expect(together.map((r) => r.predictions[0].class)).toEqual(solo);
    // Four requests sent at once within the 20 ms window: at least two shared a forward pass.
    expect(Math.max(...together.map((r) => r.batchSize))).toBeGreaterThan(1);
  });

  test('bad requests get 400/404 with a message, and the service keeps serving', async () => {
    const bad = await post('{"image": [1, 2, 3]}');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/expected 784 values, got 3/);
    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ image: new Array(784).fill(2) }))).status).toBe(400);
    expect((await fetch(`${service.url}/nope`)).status).toBe(404);
    expect((await post(JSON.stringify({ image: new Array(784).fill(0.5) }))).status).toBe(200);
  });
});
