// Thread settings judged by the process outcome, each in a child process: concurrent setNumThreads from worker_threads
// (issue 9, finding 4) and TENSORNODE_NUM_THREADS validation (finding 5).
import { spawnSync } from 'child_process';
import * as path from 'path';

const lib = path.resolve(__dirname, '../../dist/lib/index.js');

function runChild(script: string, env: Record<string, string | undefined> = {}) {
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  return spawnSync(process.execPath, ['-e', script], { env: childEnv, encoding: 'utf8', timeout: 60000 });
}

describe('setNumThreads from several worker_threads at once', () => {
  test('pool resizes are serialized: the process computes correctly and exits 0', () => {
    const script = `
      const { Worker } = require('worker_threads');
      const tn = require(${JSON.stringify(lib)});
      const workerScript = \`
        const { parentPort, workerData } = require('worker_threads');
        const tn = require(\${JSON.stringify(${JSON.stringify(lib)})});
        for (let i = 0; i < 40; i++) tn.setNumThreads(1 + ((i + workerData) % 4));
        parentPort.postMessage('done');
      \`;
      (async () => {
        // Kernels keep the pool busy on the main thread's stream while the workers resize it.
        const x = tn.randn([8, 32, 32, 8], { seed: 1 });
        const w = tn.randn([8, 3, 3, 8], { seed: 2 });
        const pending = [];
        for (let i = 0; i < 20; i++) pending.push(tn.sum(tn.relu(tn.matmul(tn.randn([128, 128], { seed: i }), tn.randn([128, 128], { seed: i + 1 })))));
        const workers = [0, 1, 2].map((k) => new Promise((resolve, reject) => {
          const wk = new Worker(workerScript, { eval: true, workerData: k });
          wk.once('message', resolve);
          wk.once('error', reject);
        }));
        await Promise.all(workers);
        const sums = await Promise.all(pending.map((t) => t.data()));
        if (!sums.every((s) => Number.isFinite(s[0]) && s[0] > 0)) throw new Error('bad results ' + sums);
        tn.setNumThreads(2);
        const info = tn.backendInfo().cpu;
        console.log(JSON.stringify({ threads: info.threads }));
      })().catch((e) => { console.error(e); process.exit(3); });
    `;
    const r = runChild(script);
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/terminate called/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ threads: 2 });
  });
});

describe('one thread pool', () => {
  test('after conv, pool and GEMM work, no library thread keeps spinning (idle process CPU stays near zero)', () => {
    // OpenBLAS workers or OpenMP threads left spinning would burn up to a core each during the idle second.
    const script = `
      const tn = require(${JSON.stringify(lib)});
      tn.setNumThreads(2);
      (async () => {
        for (let i = 0; i < 3; i++) {
          // [3,3,8,8] filters read the same way in the [O,kh,kw,C] and [kh,kw,C,O] layouts.
          const y = tn.conv2d(tn.randn([16, 28, 28, 8], { seed: i }), tn.randn([3, 3, 8, 8], { seed: 9 }));
          const z = tn.maxPool2d(y, { kernelSize: 2 });
          const m = tn.matmul(tn.randn([256, 256], { seed: i }), tn.randn([256, 256], { seed: 7 }));
          await Promise.all([z.data(), m.data()]);
        }
        const before = process.cpuUsage();
        const t0 = Date.now();
        while (Date.now() - t0 < 1000) await new Promise((r) => setTimeout(r, 100));
        const used = process.cpuUsage(before);
        console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, info: tn.backendInfo().cpu.threading }));
      })().catch((e) => { console.error(e); process.exit(3); });
    `;
    const r = runChild(script);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.cpuMs).toBeLessThan(250);
  });
});

describe('TENSORNODE_NUM_THREADS', () => {
  const threadsWith = (value: string) =>
    runChild(`const tn = require(${JSON.stringify(lib)}); console.log(tn.backendInfo().cpu.threads); tn.sum(tn.ones([4])).dataSync();`, {
      TENSORNODE_NUM_THREADS: value,
    });
  const defaultThreads = Number(runChild(`console.log(require(${JSON.stringify(lib)}).backendInfo().cpu.threads)`, { TENSORNODE_NUM_THREADS: undefined }).stdout.trim());

  test('a valid value is used as is, without a warning', () => {
    const r = threadsWith('3');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('3');
    expect(r.stderr).not.toMatch(/TENSORNODE_NUM_THREADS/);
  });
  test('100000 is clamped to the setNumThreads cap (1024) with a message, and the process lives', () => {
    const r = threadsWith('100000');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('1024');
    expect(r.stderr).toMatch(/TENSORNODE_NUM_THREADS=100000 is outside \[1, 1024\]; using 1024/);
  });
  test('0 and negative values become 1 with a message', () => {
    for (const v of ['0', '-5']) {
      const r = threadsWith(v);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe('1');
      expect(r.stderr).toMatch(/outside \[1, 1024\]; using 1/);
    }
  });
  test('a non-number falls back to the default with a message', () => {
    for (const v of ['abc', '2.5', '4threads']) {
      const r = threadsWith(v);
      expect(r.status).toBe(0);
      expect(Number(r.stdout.trim())).toBe(defaultThreads);
      expect(r.stderr).toMatch(/is not a whole number; using the default/);
    }
  });
});
