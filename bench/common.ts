// Shared bench plumbing: timing by median, machine description, table printing and the results files (JSON + README section).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as tn from '../lib';

/** One measured case. `ms` is the median per unit of work (one matmul, one conv step, one op call). */
export interface BenchRow {
  /** Stable id shared with the Python scripts so rows can be compared (e.g. 'gemm-1024', 'conv-fwdbwd'). */
  key: string;
  group: string;
  name: string;
  ms: number;
  bestMs?: number;
  gflops?: number;
  /** Microseconds per call, for the overhead cases. */
  us?: number;
  note?: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Runs `sample` warmup + iters times; each call queues work and resolves once its results are readable, so queued
 * kernels count. Returns the median and best wall time of one sample, divided by `perSample` units.
 */
export async function timeSamples(sample: () => Promise<void>, iters: number, warmup: number, perSample = 1): Promise<{ ms: number; bestMs: number }> {
  const times: number[] = [];
  for (let i = 0; i < warmup + iters; i++) {
    const t0 = nowMs();
    await sample();
    const dt = nowMs() - t0;
    if (i >= warmup) times.push(dt / perSample);
  }
  return { ms: median(times), bestMs: Math.min(...times) };
}

/** Waits until everything queued before `t` on its stream is done by reading one element of it (not the whole buffer). */
export async function waitOn(t: tn.Tensor): Promise<void> {
  const probe = tn.slice(t, t.shape.map((d) => Math.max(d - 1, 0)), t.shape.map(() => 1));
  await probe.data();
  probe.dispose();
}

/** The gradient backward() just left on a leaf; `bench` names the caller in the error. */
export function gradOf(bench: string, t: tn.Tensor): tn.Tensor {
  if (!t.grad) throw new Error(`${bench}: backward() left no gradient`);
  return t.grad;
}

/** Drops the gradients a previous backward() left, so the next one writes fresh ones rather than accumulating. */
function clearGrads(...ts: tn.Tensor[]): void {
  for (const t of ts) {
    t.grad?.dispose();
    t.grad = null;
  }
}

/** One conv2d 'same' forward + backward with upstream gradient `dy` (x and w must require grads). */
export function convForwardBackward(x: tn.Tensor, w: tn.Tensor, dy: tn.Tensor): void {
  clearGrads(x, w);
  const y = tn.conv2d(x, w, { padding: 'same' });
  y.backward(dy);
  y.dispose();
}

/** One 2x2 pool forward + backward with a ones upstream gradient (src must require grad). */
export function poolForwardBackward(pool: typeof tn.maxPool2d, src: tn.Tensor): void {
  clearGrads(src);
  const y = pool(src, { kernelSize: 2 });
  const g = tn.onesLike(y);
  y.backward(g);
  g.dispose();
  y.dispose();
}

export interface MachineInfo {
  date: string;
  host: string;
  cpuModel: string;
  cores: number;
  loadAvgAtStart: number[];
  node: string;
  tensornode: { cpuBlas: string; cpuBlasCoreType: string; cpuEngine: string; onednn: string; cpuThreads: number; threading: string; cuda: tn.BackendInfo['cuda'] };
  gitCommit: string | null;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The repository root (bench/ compiles to dist/bench/, so walk up to the directory holding package.json). */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'bench'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export function machineInfo(): MachineInfo {
  const info = tn.backendInfo();
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    host: os.hostname(),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    tensornode: {
      cpuBlas: info.cpu.blas,
      cpuBlasCoreType: info.cpu.blasCoreType,
      cpuEngine: info.cpu.engine,
      onednn: info.cpu.onednn.compiled ? `${info.cpu.onednn.version} (${info.cpu.onednn.isa}, ${info.cpu.onednn.runtime})` : 'not compiled',
      cpuThreads: info.cpu.threads,
      threading: info.cpu.threading,
      cuda: info.cuda,
    },
    gitCommit: gitCommit(),
  };
}

/** Prints rows as an aligned text table; columns are chosen from what the rows carry. */
export function printTable(rows: BenchRow[]): void {
  const lines = rows.map((r) => [
    r.group,
    r.name,
    r.ms.toFixed(r.ms < 1 ? 4 : 2),
    r.gflops === undefined ? '' : r.gflops.toFixed(1),
    r.us === undefined ? '' : r.us.toFixed(2),
    r.note ?? '',
  ]);
  const header = ['group', 'case', 'ms (median)', 'GFLOP/s', 'µs/op', 'note'];
  printColumns(header, lines);
}

export function printColumns(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

export function markdownTable(header: string[], lines: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}

export function resultsDir(): string {
  const dir = path.join(repoRoot(), 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes `<prefix>-<YYYY-MM-DD>[-n].json` without overwriting an earlier run of the same day; returns its path. */
export function writeResultsJson(prefix: string, record: unknown): string {
  const dir = resultsDir();
  const day = new Date().toISOString().slice(0, 10);
  let file = path.join(dir, `${prefix}-${day}.json`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(dir, `${prefix}-${day}-${n}.json`);
  fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}

/** Appends a markdown section to bench/results/README.md (created with a title if missing). */
export function appendResultsMarkdown(section: string): string {
  const file = path.join(resultsDir(), 'README.md');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(
      file,
      '# Benchmark results\n\nEach section is appended by a bench runner (see `bench/README.md`); the JSON file it names ' +
        'holds every number. Timings are medians of repeated samples; each section records the load average around it.\n',
    );
  }
  fs.appendFileSync(file, '\n' + section.trim() + '\n');
  return file;
}

export function machineMarkdown(m: MachineInfo, extra: string[] = []): string {
  const cuda = m.tensornode.cuda;
  const lines = [
    `- Date: ${m.date}; commit ${m.gitCommit ?? 'unknown'}; Node ${m.node}`,
    `- CPU: ${m.cpuModel}, ${m.cores} logical cores; load average at start ${m.loadAvgAtStart.join(' / ')}`,
    `- tensornode CPU backend: BLAS ${m.tensornode.cpuBlas} (${m.tensornode.cpuBlasCoreType || 'n/a'}), conv/pool engine ${m.tensornode.cpuEngine}, oneDNN ${m.tensornode.onednn}; ${m.tensornode.threading}`,
    `- CUDA: ${cuda.usable ? `usable (${cuda.devices.map((d) => d.name).join(', ')})` : `not usable (${cuda.reason ?? 'unknown reason'})`}`,
    ...extra.map((e) => `- ${e}`),
  ];
  return lines.join('\n');
}

/** Rounds for the JSON files so they stay readable. */
export function round(x: number | undefined, digits = 4): number | undefined {
  if (x === undefined || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
