// Convolution and pooling benchmark: conv2d forward+backward GFLOP/s on an MNIST-sized layer, plus pool timings.
import * as tn from '../lib';
import { convForwardBackward, gradOf, poolForwardBackward } from './common';

export interface ConvBenchOptions {
  device?: tn.Device;
  /** Batch size (default 64). */
  batch?: number;
  /** Timed iterations per case (default 10); the median is reported. */
  iters?: number;
  /** Untimed iterations first (default 2). */
  warmup?: number;
  /** Print a line per case (default true). */
  log?: boolean;
}

export interface ConvBenchResult {
  name: string;
  /** Median milliseconds per iteration, from queueing the work to its results being readable. */
  ms: number;
  /** Fastest iteration. */
  bestMs: number;
  /** Floating-point rate at the median, for the convolution cases. */
  gflops?: number;
}

/**
 * Times `step`, which queues work and returns the last tensor it produced. Awaiting a one-element slice of that tensor
 * (queued behind it on the same stream) makes every queued kernel count without timing a multi-MB copy to JS.
 * Outputs marked `owned` are disposed after each iteration.
 */
async function time(step: () => { last: tn.Tensor; owned: boolean }, iters: number, warmup: number): Promise<{ ms: number; bestMs: number }> {
  const samples: number[] = [];
  for (let i = 0; i < warmup + iters; i++) {
    const t0 = process.hrtime.bigint();
    const { last, owned } = step();
    const probe = tn.slice(last, last.shape.map((d) => d - 1), last.shape.map(() => 1));
    await probe.data();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    probe.dispose();
    if (owned) last.dispose();
    if (i >= warmup) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], bestMs: samples[0] };
}

export async function runConvBench(options: ConvBenchOptions = {}): Promise<ConvBenchResult[]> {
  const device = options.device ?? tn.getDefaultDevice();
  const N = options.batch ?? 64;
  const iters = options.iters ?? 10;
  const warmup = options.warmup ?? 2;
  const [H, W, C, O, k] = [28, 28, 32, 64, 3];
  const results: ConvBenchResult[] = [];
  const report = (r: ConvBenchResult) => {
    results.push(r);
    if (options.log !== false) {
      const rate = r.gflops === undefined ? '' : `  ${r.gflops.toFixed(1)} GFLOP/s`;
      console.log(`${r.name.padEnd(58)} ${r.ms.toFixed(2).padStart(8)} ms (best ${r.bestMs.toFixed(2)})${rate}`);
    }
  };

  const x = tn.randn([N, H, W, C], { device, seed: 1 });
  const w = tn.randn([k, k, C, O], { device, seed: 2, std: 0.1 });
  const dy = tn.randn([N, H, W, O], { device, seed: 3 });
  // One pass = 2*N*OH*OW*O*kh*kw*C flops ('same', stride 1: OH = H, OW = W); backward is two more passes.
  const passFlops = 2 * N * H * W * O * k * k * C;
  const shape = `N=${N} ${H}x${W} ${C}->${O} ${k}x${k} same`;

  const fwd = await time(() => ({ last: tn.noGrad(() => tn.conv2d(x, w, { padding: 'same' })), owned: true }), iters, warmup);
  report({ name: `conv2d forward (${shape})`, ...fwd, gflops: passFlops / fwd.ms / 1e6 });

  // Forward + backward through autograd: the conv kernel and both backward kernels, three passes in all.
  x.requiresGrad = true;
  w.requiresGrad = true;
  const both = await time(
    () => {
      convForwardBackward(x, w, dy);
      return { last: gradOf('conv_bench', w), owned: false }; // dx was queued before dw on the same stream: waiting on dw covers both
    },
    iters,
    warmup,
  );
  report({ name: `conv2d forward+backward (${shape})`, ...both, gflops: (3 * passFlops) / both.ms / 1e6 });
  x.requiresGrad = false;
  w.requiresGrad = false;

  // Pools on the conv's output shape: 2x2 stride 2, forward then forward+backward.
  for (const [name, pool] of [
    ['maxPool2d', tn.maxPool2d],
    ['avgPool2d', tn.avgPool2d],
  ] as const) {
    const f = await time(() => ({ last: tn.noGrad(() => pool(dy, { kernelSize: 2 })), owned: true }), iters, warmup);
    report({ name: `${name} 2x2 forward ([${dy.shape}])`, ...f });
    const src = dy.detach();
    src.requiresGrad = true;
    const fb = await time(
      () => {
        poolForwardBackward(pool, src);
        return { last: gradOf('conv_bench', src), owned: false };
      },
      iters,
      warmup,
    );
    report({ name: `${name} 2x2 forward+backward ([${dy.shape}])`, ...fb });
    src.grad?.dispose();
    src.dispose();
  }
  for (const t of [x, w, dy]) {
    t.grad?.dispose();
    t.dispose();
  }
  return results;
}

if (require.main === module) {
  runConvBench().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
