// Square matmul benchmark: GFLOP/s of n x n x n float32 GEMMs on one device, compute included (results awaited).
import * as tn from '../lib';
import { type BenchRow, timeSamples, waitOn } from './common';

export interface GemmBenchOptions {
  device?: tn.Device;
  sizes?: number[];
  /** Timed samples per size; the median is reported (default 7). */
  iters?: number;
  warmup?: number;
  /** Each sample runs enough matmuls to reach about this many flops, so small sizes are not all queue/readback latency. */
  flopsPerSample?: number;
  /** Row group name (default 'gemm'). */
  group?: string;
}

export async function runGemmBench(options: GemmBenchOptions = {}): Promise<BenchRow[]> {
  const device = options.device ?? tn.getDefaultDevice();
  const sizes = options.sizes ?? [256, 512, 1024, 2048];
  const iters = options.iters ?? 7;
  const warmup = options.warmup ?? 2;
  const target = options.flopsPerSample ?? 2e9;
  const rows: BenchRow[] = [];
  for (const n of sizes) {
    const flops = 2 * n * n * n;
    const reps = Math.max(1, Math.ceil(target / flops));
    const a = tn.randn([n, n], { device, seed: n });
    const b = tn.randn([n, n], { device, seed: n + 1 });
    const t = await timeSamples(
      async () => {
        const outs: tn.Tensor[] = [];
        for (let r = 0; r < reps; r++) outs.push(tn.matmul(a, b));
        // One stream per device: the last result being readable means every matmul before it ran.
        await waitOn(outs[outs.length - 1]);
        for (const o of outs) o.dispose();
      },
      iters,
      warmup,
      reps,
    );
    rows.push({ key: `gemm-${n}`, group: options.group ?? 'gemm', name: `matmul ${n}x${n}x${n} fp32`, ms: t.ms, bestMs: t.bestMs, gflops: flops / t.ms / 1e6, note: reps > 1 ? `${reps} per sample` : undefined });
    a.dispose();
    b.dispose();
  }
  return rows;
}
