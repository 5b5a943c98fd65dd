// Per-shape conv/pool timings on the seed CNN's layers: tensornode's oneDNN and fallback CPU engines beside PyTorch
// (channels_last) and TensorFlow, forward and forward+backward (python/layer_shapes.py runs the same shapes).
import * as os from 'os';
import { Command } from 'commander';
import * as tn from '../lib';
import { runKernel } from '../lib/engine/kernel';
import { appendResultsMarkdown, type BenchRow, machineInfo, machineMarkdown, printColumns, timeSamples, waitOn, writeResultsJson } from './common';
import { compareRows, comparisonMarkdown, parsePeers, printComparison, runPeer, type PeerResult } from './compare';

/** One layer: conv (filters [O,kh,kw,C], kernel-contract layout) or 2x2/stride-2 pool, 'valid' padding. */
export interface LayerShape {
  key: string;
  kind: 'conv' | 'maxpool' | 'avgpool';
  x: [number, number, number, number];
  /** conv: [O, kh, kw]; pool: [kh, kw]. */
  k: number[];
}

/** The seed CNN (conv32-pool-conv64-pool-conv64) at batch `n`, plus the 28x28 32->64 layer of the main CPU bench. */
export function seedShapes(n: number): LayerShape[] {
  return [
    { key: 'conv1', kind: 'conv', x: [n, 28, 28, 1], k: [32, 3, 3] },
    { key: 'pool1', kind: 'maxpool', x: [n, 26, 26, 32], k: [2, 2] },
    { key: 'conv2', kind: 'conv', x: [n, 13, 13, 32], k: [64, 3, 3] },
    { key: 'pool2', kind: 'maxpool', x: [n, 11, 11, 64], k: [2, 2] },
    { key: 'conv3', kind: 'conv', x: [n, 5, 5, 64], k: [64, 3, 3] },
    { key: 'conv28', kind: 'conv', x: [n, 28, 28, 32], k: [64, 3, 3] },
    { key: 'avgpool28', kind: 'avgpool', x: [n, 28, 28, 64], k: [2, 2] },
  ];
}

function describe(s: LayerShape): string {
  const [n, h, w, c] = s.x;
  return s.kind === 'conv' ? `conv ${n}x${h}x${w}x${c} -> ${s.k[0]} ${s.k[1]}x${s.k[2]}` : `${s.kind} ${n}x${h}x${w}x${c} 2x2/2`;
}

/** Forward and forward+backward rows of one shape on the current engine (kernels called by their contract names). */
async function timeShape(s: LayerShape, iters: number, warmup: number): Promise<BenchRow[]> {
  const [N, H, W, C] = s.x;
  const x = tn.randn(s.x, { seed: 1 });
  const rows: BenchRow[] = [];
  if (s.kind === 'conv') {
    const [O, kh, kw] = s.k;
    const ws = [O, kh, kw, C];
    const ys = [N, H - kh + 1, W - kw + 1, O];
    const w = tn.randn(ws, { seed: 2, std: 0.1 });
    const dy = tn.randn(ys, { seed: 3 });
    const attrs = { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] };
    const f32 = 'float32' as const;
    const fwd = await timeSamples(async () => {
      const [y] = runKernel('conv2d', [x, w], [{ shape: ys, dtype: f32 }], attrs);
      await waitOn(y);
      y.dispose();
    }, iters, warmup);
    const both = await timeSamples(async () => {
      const [y] = runKernel('conv2d', [x, w], [{ shape: ys, dtype: f32 }], attrs);
      const [dx] = runKernel('conv2d_backward_input', [dy, w], [{ shape: s.x, dtype: f32 }], attrs);
      const [dw] = runKernel('conv2d_backward_filter', [x, dy], [{ shape: ws, dtype: f32 }], attrs);
      await waitOn(dw);
      for (const t of [y, dx, dw]) t.dispose();
    }, iters, warmup);
    const flops = 2 * N * ys[1] * ys[2] * O * kh * kw * C;
    rows.push({ key: `${s.key}-fwd`, group: 'layers', name: `${describe(s)} forward`, ...fwd, gflops: flops / fwd.ms / 1e6 });
    rows.push({ key: `${s.key}-fwdbwd`, group: 'layers', name: `${describe(s)} forward+backward`, ...both, gflops: (3 * flops) / both.ms / 1e6 });
    for (const t of [w, dy]) t.dispose();
  } else {
    const op = s.kind === 'maxpool' ? 'max_pool2d' : 'avg_pool2d';
    const ys = [N, Math.floor(H / 2), Math.floor(W / 2), C];
    const attrs = { kernel: s.k, strides: [2, 2], pads: [0, 0, 0, 0] };
    const dy = tn.randn(ys, { seed: 3 });
    const f32 = 'float32' as const;
    const fwd = await timeSamples(async () => {
      const [y] = runKernel(op, [x], [{ shape: ys, dtype: f32 }], attrs);
      await waitOn(y);
      y.dispose();
    }, iters, warmup);
    const both = await timeSamples(async () => {
      const [y] = runKernel(op, [x], [{ shape: ys, dtype: f32 }], attrs);
      const [dx] = s.kind === 'maxpool'
        ? runKernel('max_pool2d_backward', [x, y, dy], [{ shape: s.x, dtype: f32 }], attrs)
        : runKernel('avg_pool2d_backward', [dy], [{ shape: s.x, dtype: f32 }], attrs);
      await waitOn(dx);
      for (const t of [y, dx]) t.dispose();
    }, iters, warmup);
    rows.push({ key: `${s.key}-fwd`, group: 'layers', name: `${describe(s)} forward`, ...fwd });
    rows.push({ key: `${s.key}-fwdbwd`, group: 'layers', name: `${describe(s)} forward+backward`, ...both });
    dy.dispose();
  }
  x.dispose();
  return rows;
}

async function main(): Promise<void> {
  const opts = new Command()
    .name('layer_shapes')
    .description('Seed-CNN conv/pool layers: oneDNN vs fallback engine, beside PyTorch (channels_last) and TensorFlow')
    .option('--batch <n>', 'batch size', '64')
    .option('--iters <n>', 'timed samples per case (median reported)', '7')
    .option('--warmup <n>', 'untimed samples first', '2')
    .option('--threads <n>', 'threads for every framework (default: tensornode backend default)')
    .option('--compare', 'also run bench/python/layer_shapes.py with the peers')
    .option('--peers <list>', 'peers for --compare (torch, tf, name@threads)', 'torch,tf')
    .option('--no-save', 'do not write bench/results/')
    .parse()
    .opts<{ batch: string; iters: string; warmup: string; threads?: string; compare?: boolean; peers: string; save: boolean }>();
  if (opts.threads) tn.setNumThreads(Number(opts.threads));
  tn.setDefaultDevice('cpu');
  const machine = machineInfo();
  const shapes = seedShapes(Number(opts.batch));
  const iters = Number(opts.iters);
  const warmup = Number(opts.warmup);
  console.log(`layer-shape bench: batch ${opts.batch}, ${machine.tensornode.cpuThreads} threads, load ${machine.loadAvgAtStart.join(' ')}`);

  // The two engines interleaved shape by shape, so that both see the same machine load.
  const engines = tn.backendInfo().cpu.onednn.compiled ? (['onednn', 'fallback'] as const) : (['fallback'] as const);
  const byEngine: Record<string, BenchRow[]> = { onednn: [], fallback: [] };
  for (const s of shapes) {
    for (const e of engines) {
      tn.setCpuEngine(e);
      byEngine[e].push(...(await timeShape(s, iters, warmup)));
    }
  }
  tn.setCpuEngine(engines[0]);
  const peers: Record<string, PeerResult | null> = {};
  if (engines.length > 1) peers.fallback = { framework: 'tensornode-fallback', version: '', threads: machine.tensornode.cpuThreads, rows: byEngine.fallback };
  if (opts.compare) {
    for (const spec of parsePeers(opts.peers, machine.tensornode.cpuThreads)) {
      peers[spec.label] = await runPeer(spec.peer, 'layer_shapes.py', ['--framework', spec.peer, '--threads', String(spec.threads), '--batch', opts.batch, '--iters', opts.iters, '--warmup', opts.warmup]);
    }
  }
  const ours = byEngine[engines[0]];
  const lines = compareRows(ours, peers);
  const peerNames = Object.keys(peers);
  console.log(`\ntensornode column: engine ${engines[0]}`);
  printComparison(lines, peerNames);
  const loadAvgAtEnd = os.loadavg().map((v) => Math.round(v * 100) / 100);
  console.log(`load average at end: ${loadAvgAtEnd.join(' ')}`);
  if (!opts.save) return;
  const file = writeResultsJson('layer-shapes', { kind: 'layer-shapes', machine, loadAvgAtEnd, batch: Number(opts.batch), iters, byEngine, peers });
  appendResultsMarkdown(
    [
      `## Seed-CNN layer shapes ${machine.date.slice(0, 10)}: ${machine.cpuModel}`,
      '',
      machineMarkdown(machine, [`Load average at end ${loadAvgAtEnd.join(' / ')}`, `tensornode column: ${engines[0]} engine; 'fallback' is tensornode's im2col/loop engine in the same run, shape by shape interleaved`]),
      `- JSON: \`bench/results/${file.split('/').pop()}\``,
      '',
      comparisonMarkdown(lines, peerNames),
    ].join('\n'),
  );
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
