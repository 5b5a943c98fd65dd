// `npm run bench`: CPU GEMM, conv2d, pooling and per-op overhead; optionally side by side with PyTorch and TensorFlow (--compare).
import * as os from 'os';
import { Command } from 'commander';
import * as tn from '../lib';
import { appendResultsMarkdown, type BenchRow, machineInfo, machineMarkdown, markdownTable, printTable, round, writeResultsJson } from './common';
import { compareRows, comparisonMarkdown, parsePeers, type PeerResult, printComparison, runPeer } from './compare';
import { runConvBench } from './conv_bench';
import { runGemmBench } from './gemm_bench';
import { runOverheadBench } from './overhead_bench';

const GROUPS = ['gemm', 'conv', 'pool', 'overhead'] as const;
type Group = (typeof GROUPS)[number];

interface Options {
  quick?: boolean;
  only?: string;
  threads?: string;
  sizes?: string;
  iters?: string;
  compare?: boolean;
  peers: string;
  stat: 'median' | 'best';
  save: boolean;
}

/** The shared key of a conv_bench row, from its name (conv_bench names its cases; the Python scripts use these keys). */
function convKey(name: string): { key: string; group: Group } {
  const back = name.includes('forward+backward') ? 'fwdbwd' : 'fwd';
  if (name.startsWith('conv2d')) return { key: `conv-${back}`, group: 'conv' };
  if (name.startsWith('maxPool2d')) return { key: `maxpool-${back}`, group: 'pool' };
  if (name.startsWith('avgPool2d')) return { key: `avgpool-${back}`, group: 'pool' };
  return { key: name, group: 'conv' };
}

function parseGroups(only: string | undefined): Set<Group> {
  if (!only) return new Set(GROUPS);
  const picked = only.split(',').map((s) => s.trim()).filter(Boolean);
  for (const g of picked) {
    if (!(GROUPS as readonly string[]).includes(g)) throw new Error(`--only: unknown group '${g}' (expected ${GROUPS.join(', ')})`);
  }
  return new Set(picked as Group[]);
}

/** Replaces each row's median by its best sample (for --stat best: less sensitive to other load on a shared machine). */
function useBest(rows: BenchRow[]): BenchRow[] {
  return rows.map((r) => {
    if (r.bestMs === undefined) return r;
    const scale = r.ms / r.bestMs;
    return { ...r, ms: r.bestMs, gflops: r.gflops === undefined ? undefined : r.gflops * scale };
  });
}

function peerUseBest(res: PeerResult | null): PeerResult | null {
  if (!res) return res;
  return { ...res, rows: useBest(res.rows.map((r) => ({ ...r, group: '', bestMs: (r as { bestMs?: number }).bestMs }))) };
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench')
    .description('tensornode CPU benchmarks: GEMM, conv2d, pooling, per-op overhead')
    .option('--quick', 'fewer sizes and iterations (a smoke run)')
    .option('--only <groups>', `comma list of ${GROUPS.join(', ')}`)
    .option('--threads <n>', 'CPU threads for tensornode (and the peers with --compare); default: the backend default')
    .option('--sizes <list>', 'square matmul sizes (default 256,512,1024,2048)')
    .option('--iters <n>', 'timed samples per case (median reported)')
    .option('--compare', 'also run bench/python/{torch,tf}_cpu_bench.py (TORCH_PYTHON / TF_PYTHON or ../venv, ../venv-tf) and print ratios')
    .option('--peers <list>', 'peers for --compare; name@threads overrides their thread count (e.g. torch,tf,torch@1)', 'torch,tf')
    .option('--stat <which>', "figure compared: 'median' or 'best' sample", 'median')
    .option('--no-save', 'do not write bench/results/')
    .parse();
  const opts = program.opts<Options>();
  if (opts.stat !== 'median' && opts.stat !== 'best') throw new Error(`--stat: expected median or best, got ${opts.stat}`);
  const groups = parseGroups(opts.only);
  const machineThreads = tn.backendInfo().cpu.threads;
  // Validate --peers before any timing (thread counts default to ours, known after --threads is applied below).
  parsePeers(opts.peers, machineThreads);
  if (opts.threads) tn.setNumThreads(Number(opts.threads));
  tn.setDefaultDevice('cpu');
  const quick = !!opts.quick;
  const iters = opts.iters ? Number(opts.iters) : quick ? 3 : 7;
  const warmup = quick ? 1 : 2;
  const sizes = opts.sizes ? opts.sizes.split(',').map(Number) : quick ? [256, 512, 1024] : [256, 512, 1024, 2048];
  const calls = quick ? 2000 : 10_000;
  const roundTrips = quick ? 500 : 2000;
  const machine = machineInfo();
  const threads = machine.tensornode.cpuThreads;
  console.log(`tensornode CPU bench: ${machine.cpuModel}, ${machine.cores} cores, BLAS ${machine.tensornode.cpuBlas}, ${threads} threads, load ${machine.loadAvgAtStart.join(' ')}`);

  let rows: BenchRow[] = [];
  if (groups.has('gemm')) rows.push(...(await runGemmBench({ device: 'cpu', sizes, iters, warmup })));
  if (groups.has('conv') || groups.has('pool')) {
    const conv = await runConvBench({ device: 'cpu', iters, warmup, log: false });
    for (const r of conv) {
      const { key, group } = convKey(r.name);
      if (groups.has(group)) rows.push({ key, group, name: r.name, ms: r.ms, bestMs: r.bestMs, gflops: r.gflops });
    }
  }
  if (groups.has('overhead')) rows.push(...(await runOverheadBench({ device: 'cpu', calls, roundTrips, iters: quick ? 3 : 5 })));
  console.log();
  printTable(rows);

  const peers: Record<string, PeerResult | null> = {};
  if (opts.compare) {
    const args = ['--sizes', sizes.join(','), '--iters', String(iters), '--warmup', String(warmup), '--calls', String(calls), '--round-trips', String(roundTrips)];
    if (opts.only) args.push('--only', [...groups].join(','));
    for (const spec of parsePeers(opts.peers, threads)) {
      const script = spec.peer === 'torch' ? 'torch_cpu_bench.py' : 'tf_cpu_bench.py';
      peers[spec.label] = await runPeer(spec.peer, script, ['--threads', String(spec.threads), ...args]);
    }
  }
  const statRows = opts.stat === 'best' ? useBest(rows) : rows;
  const statPeers = opts.stat === 'best' ? Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, peerUseBest(v)])) : peers;
  const livePeers = Object.keys(peers).filter((p) => peers[p]);
  const comparison = livePeers.length ? compareRows(statRows, statPeers) : [];
  if (livePeers.length) {
    console.log(`\nSide by side (${opts.stat} sample, ${threads} threads each):`);
    printComparison(comparison, livePeers);
  }
  const loadAvgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  console.log(`\nload average at end: ${loadAvgAtEnd.join(' ')} (${machine.cores} cores; above ~0.5 other processes share the CPU and timings are pessimistic)`);

  if (opts.save) {
    const record = {
      kind: 'cpu',
      machine,
      loadAvgAtEnd,
      options: { quick, groups: [...groups], sizes, iters, warmup, calls, roundTrips, stat: opts.stat },
      rows: rows.map((r) => ({ ...r, ms: round(r.ms, 5), bestMs: round(r.bestMs, 5), gflops: round(r.gflops, 2), us: round(r.us, 3) })),
      peers,
      comparison,
    };
    const file = writeResultsJson('cpu', record);
    const peerVersions = livePeers.map((p) => `${peers[p]?.framework} ${peers[p]?.version} (${peers[p]?.threads} threads)`);
    const table = markdownTable(
      ['case', 'ms (median)', 'best ms', 'GFLOP/s', 'µs/op'],
      rows.map((r) => [r.name, r.ms.toFixed(r.ms < 1 ? 4 : 2), r.bestMs?.toFixed(2) ?? '', r.gflops?.toFixed(1) ?? '', r.us?.toFixed(2) ?? '']),
    );
    const section = [
      `## CPU ${machine.date.slice(0, 10)}${quick ? ' (quick)' : ''}: ${machine.cpuModel}`,
      '',
      machineMarkdown(machine, [`Load average at end ${loadAvgAtEnd.join(' / ')}`, ...(peerVersions.length ? [`Peers: ${peerVersions.join('; ')}`] : [])]),
      `- JSON: \`bench/results/${file.split('/').pop()}\``,
      '',
      table,
      ...(livePeers.length ? ['', `Side by side (${opts.stat} sample):`, '', comparisonMarkdown(comparison, livePeers)] : []),
    ].join('\n');
    const md = appendResultsMarkdown(section);
    console.log(`wrote ${file} and a section of ${md}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
