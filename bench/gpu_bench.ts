// GPU benchmarks on cuda:0 (matmul fp32/TF32, conv2d fwd+bwd, pooling, launch overhead), beside PyTorch on the same GPU.
import * as fs from 'fs';
import * as os from 'os';
import { Command } from 'commander';
import * as tn from '../lib';
import { mnistCnn } from '../lib/cli/mnist_model';
import { appendResultsMarkdown, type BenchRow, convForwardBackward, gradOf, machineInfo, machineMarkdown, markdownTable, poolForwardBackward, printTable, round, timeSamples, waitOn, writeResultsJson } from './common';
import { compareRows, comparisonMarkdown, printComparison, runPeer, type PeerResult } from './compare';
import { runConvBench } from './conv_bench';
import { runGemmBench } from './gemm_bench';
import { runOverheadBench } from './overhead_bench';

interface Options {
  device: string;
  quick?: boolean;
  sizes?: string;
  iters?: string;
  compare: boolean;
  cudnnBenchmark: boolean;
  save: boolean;
  record?: string;
}

/** conv2d N x H x W x C -> O, k x k 'same': forward and forward+backward (dx and dw), several steps per sample. */
async function convCase(device: tn.Device, dims: { N: number; H: number; W: number; C: number; O: number; k: number }, tag: string, iters: number, warmup: number): Promise<BenchRow[]> {
  const { N, H, W, C, O, k } = dims;
  const x = tn.randn([N, H, W, C], { device, seed: 11 });
  const w = tn.randn([k, k, C, O], { device, seed: 12, std: 0.05 });
  const dy = tn.randn([N, H, W, O], { device, seed: 13 });
  const pass = 2 * N * H * W * O * k * k * C;
  const reps = 5; // several steps per sample so the readback that ends a sample is a small share
  const shape = `N=${N} ${H}x${W} ${C}->${O} ${k}x${k} same`;
  const fwd = await timeSamples(
    async () => {
      const outs = tn.noGrad(() => Array.from({ length: reps }, () => tn.conv2d(x, w, { padding: 'same' })));
      await waitOn(outs[reps - 1]);
      outs.forEach((o) => o.dispose());
    },
    iters,
    warmup,
    reps,
  );
  x.requiresGrad = true;
  w.requiresGrad = true;
  const both = await timeSamples(
    async () => {
      for (let r = 0; r < reps; r++) {
        convForwardBackward(x, w, dy);
      }
      await waitOn(gradOf('gpu_bench', w));
    },
    iters,
    warmup,
    reps,
  );
  for (const t of [x, w]) t.grad?.dispose();
  for (const t of [x, w, dy]) t.dispose();
  return [
    { key: `conv56-fwd-${tag}`, group: 'conv', name: `conv2d forward (${shape}) ${tag}`, ms: fwd.ms, bestMs: fwd.bestMs, gflops: pass / fwd.ms / 1e6 },
    { key: `conv56-fwdbwd-${tag}`, group: 'conv', name: `conv2d forward+backward (${shape}) ${tag}`, ms: both.ms, bestMs: both.bestMs, gflops: (3 * pass) / both.ms / 1e6 },
  ];
}

/** 2x2 stride-2 max/avg pooling on N x 56 x 56 x 64: forward and forward+backward. */
async function poolCases(device: tn.Device, iters: number, warmup: number): Promise<BenchRow[]> {
  const x = tn.randn([64, 56, 56, 64], { device, seed: 21 });
  const rows: BenchRow[] = [];
  const reps = 10;
  for (const [name, key, pool] of [
    ['maxPool2d', 'maxpool56', tn.maxPool2d],
    ['avgPool2d', 'avgpool56', tn.avgPool2d],
  ] as const) {
    const f = await timeSamples(
      async () => {
        const outs = tn.noGrad(() => Array.from({ length: reps }, () => pool(x, { kernelSize: 2 })));
        await waitOn(outs[reps - 1]);
        outs.forEach((o) => o.dispose());
      },
      iters,
      warmup,
      reps,
    );
    const src = x.detach();
    src.requiresGrad = true;
    const fb = await timeSamples(
      async () => {
        for (let r = 0; r < reps; r++) {
          poolForwardBackward(pool, src);
        }
        await waitOn(gradOf('gpu_bench', src));
      },
      iters,
      warmup,
      reps,
    );
    src.grad?.dispose();
    src.dispose();
    rows.push({ key: `${key}-fwd`, group: 'pool', name: `${name} 2x2 forward ([64,56,56,64])`, ...f });
    rows.push({ key: `${key}-fwdbwd`, group: 'pool', name: `${name} 2x2 forward+backward ([64,56,56,64])`, ...fb });
  }
  x.dispose();
  return rows;
}

/** One training step (forward, backward, Adam) of the seed CNN (the CLI's mnistCnn, dropout off), batch 128, fp32. */
async function cnnStepCase(device: tn.Device, iters: number, warmup: number): Promise<BenchRow[]> {
  const batch = 128;
  const reps = 5;
  tn.setSeed(0);
  const model = mnistCnn({ dropout: 0 }).to(device);
  const x = tn.rand([batch, 28, 28, 1], { device, seed: 31 });
  const y = tn.oneHot(tn.cast(tn.mul(tn.rand([batch], { device, seed: 32 }), 10), 'int32'), 10);
  // trainOnBatch resolves the loss, so every queued kernel of the step is inside the interval.
  const t = await timeSamples(
    async () => {
      for (let r = 0; r < reps; r++) await model.trainOnBatch(x, y);
    },
    iters,
    warmup,
    reps,
  );
  tn.dispose([x, y]);
  model.dispose();
  return [{ key: 'cnn-step', group: 'train', name: `seed CNN training step (batch ${batch}, Adam) fp32`, ms: t.ms, bestMs: t.bestMs }];
}

async function main(): Promise<void> {
  const opts = new Command()
    .name('gpu_bench')
    .description('tensornode GPU benchmarks on one CUDA device, with PyTorch side by side when it imports')
    .option('--device <d>', 'CUDA device', 'cuda:0')
    .option('--quick', 'fewer sizes and iterations')
    .option('--sizes <list>', 'square matmul sizes (default 1024,2048,4096,8192)')
    .option('--iters <n>', 'timed samples per case')
    .option('--no-compare', 'skip PyTorch (bench/python/torch_gpu_bench.py via TORCH_PYTHON, ../venv or python3)')
    .option('--no-cudnn-benchmark', 'use cuDNN heuristics instead of benchmarked algorithms (both sides)')
    .option('--no-save', 'do not write bench/results/')
    .option('--record <file>', 'write the JSON record to this file instead of bench/results/ (tools/gpu-check)')
    .parse()
    .opts<Options>();
  const info = tn.backendInfo().cuda;
  if (!info.usable) {
    console.log(`gpu_bench: skipped, CUDA is not usable here: ${info.reason ?? 'no reason given'}`);
    return;
  }
  const device = opts.device;
  const quick = !!opts.quick;
  const iters = opts.iters ? Number(opts.iters) : quick ? 5 : 20;
  const warmup = quick ? 2 : 5;
  const sizes = opts.sizes ? opts.sizes.split(',').map(Number) : quick ? [1024, 4096] : [1024, 2048, 4096, 8192];
  tn.setDefaultDevice(device);
  tn.setCudnnBenchmark(opts.cudnnBenchmark);
  const machine = machineInfo();
  console.log(`tensornode GPU bench on ${device}: ${info.devices.map((d) => d.name).join(', ')}; CUDA runtime ${info.runtimeVersion}, driver ${info.driverVersion}, cuBLAS ${info.cublasVersion}, cuDNN ${info.cudnnVersion}`);

  const rows: BenchRow[] = [];
  for (const tf32 of [false, true]) {
    tn.setTF32(tf32);
    const tag = tf32 ? 'tf32' : 'fp32';
    const gemm = await runGemmBench({ device, sizes, iters, warmup, flopsPerSample: 2e11 });
    rows.push(...gemm.map((r) => ({ ...r, key: `${r.key}-${tag}`, name: r.name.replace('fp32', tag) })));
    rows.push(...(await convCase(device, { N: 64, H: 56, W: 56, C: 64, O: 64, k: 3 }, tag, iters, warmup)));
  }
  tn.setTF32(false);
  rows.push(...(await poolCases(device, iters, warmup)));
  // The CPU bench's MNIST-sized conv/pool cases on the GPU too (fp32).
  for (const r of await runConvBench({ device, iters, warmup, log: false })) {
    const back = r.name.includes('forward+backward') ? 'fwdbwd' : 'fwd';
    const base = r.name.startsWith('conv2d') ? 'conv' : r.name.startsWith('maxPool2d') ? 'maxpool' : 'avgpool';
    rows.push({ key: `${base}-${back}`, group: 'mnist-shapes', name: r.name, ms: r.ms, bestMs: r.bestMs, gflops: r.gflops });
  }
  rows.push(...(await cnnStepCase(device, iters, warmup)));
  rows.push(...(await runOverheadBench({ device, iters: quick ? 3 : 5 })));
  console.log();
  printTable(rows);

  let torch: PeerResult | null = null;
  if (opts.compare) {
    const args = ['--sizes', sizes.join(','), '--iters', String(iters), '--warmup', String(warmup), '--device', device];
    if (!opts.cudnnBenchmark) args.push('--no-cudnn-benchmark');
    torch = await runPeer('torch', 'torch_gpu_bench.py', args);
  }
  const comparison = torch ? compareRows(rows, { torch }) : [];
  if (torch) {
    console.log(`\nSide by side with PyTorch ${torch.version} (median):`);
    printComparison(comparison, ['torch']);
  }
  if (opts.record || opts.save) {
    const record = {
      kind: 'gpu',
      machine,
      loadAvgAtEnd: os.loadavg(),
      cuda: info,
      options: { device, quick, sizes, iters, warmup, cudnnBenchmark: opts.cudnnBenchmark },
      rows: rows.map((r) => ({ ...r, ms: round(r.ms, 5), bestMs: round(r.bestMs, 5), gflops: round(r.gflops, 1), us: round(r.us, 3) })),
      torch,
      comparison,
    };
    if (opts.record) {
      fs.writeFileSync(opts.record, JSON.stringify(record, null, 2) + '\n');
      console.log(`wrote ${opts.record}`);
      return;
    }
    const file = writeResultsJson('gpu', record);
    const gpu = info.devices.map((d) => `${d.name} (cc ${d.computeCapability}, ${(d.totalMemory / 2 ** 30).toFixed(0)} GiB)`).join(', ');
    const torchDev = torch?.device ? JSON.stringify(torch.device) : 'not run';
    const section = [
      `## GPU ${machine.date.slice(0, 10)}: ${gpu}`,
      '',
      machineMarkdown(machine, [
        `tensornode CUDA: runtime ${info.runtimeVersion}, driver ${info.driverVersion}, cuBLAS ${info.cublasVersion}, cuDNN ${info.cudnnVersion}; cuDNN benchmark mode ${opts.cudnnBenchmark ? 'on' : 'off'}`,
        `PyTorch: ${torch ? torch.version : 'not run'}; ${torchDev}`,
      ]),
      `- JSON: \`bench/results/${file.split('/').pop()}\``,
      '',
      markdownTable(
        ['case', 'ms (median)', 'GFLOP/s', 'µs/op'],
        rows.map((r) => [r.name, r.ms.toFixed(r.ms < 1 ? 4 : 3), r.gflops?.toFixed(0) ?? '', r.us?.toFixed(2) ?? '']),
      ),
      ...(torch ? ['', 'Side by side with PyTorch (median):', '', comparisonMarkdown(comparison, ['torch'])] : []),
    ].join('\n');
    appendResultsMarkdown(section);
    console.log(`wrote ${file}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
