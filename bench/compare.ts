// Runs the PyTorch / TensorFlow bench scripts as subprocesses (when their Python exists) and lines their rows up with ours.
import * as fs from 'fs';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';
import { appliedLibraryThreadDefaults } from '../lib/thread_env';
import { type BenchRow, markdownTable, printColumns, repoRoot } from './common';

export type Peer = 'torch' | 'tf';

/** What a Python bench script prints on its last stdout line. */
export interface PeerResult {
  framework: string;
  version: string;
  threads: number;
  device?: Record<string, unknown>;
  rows: { key: string; name: string; ms: number; gflops?: number; us?: number }[];
  /** Per-epoch seconds and accuracy, for the MNIST scripts. */
  [extra: string]: unknown;
}

export interface PeerSpec {
  peer: Peer;
  threads: number;
  /** Column label: 'torch', or 'torch@1' when the thread count differs from ours. */
  label: string;
}

/**
 * Parses a --peers list such as 'torch,tf' or 'torch,torch@1': each entry is a peer, optionally with its own thread
 * count (useful on a loaded machine, where OpenMP's spinning threads can collapse under oversubscription).
 */
export function parsePeers(list: string, defaultThreads: number): PeerSpec[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [peer, t] = entry.split('@');
      if (peer !== 'torch' && peer !== 'tf') throw new Error(`--peers: unknown peer '${peer}' (expected torch or tf, optionally @threads)`);
      const threads = t === undefined ? defaultThreads : Number(t);
      if (!Number.isInteger(threads) || threads < 1) throw new Error(`--peers: bad thread count in '${entry}'`);
      return { peer, threads, label: t === undefined ? peer : entry };
    });
}

/** The interpreter for a peer: TORCH_PYTHON / TF_PYTHON, else the conventional venv next to the repository. */
export function peerPython(peer: Peer): string | null {
  const env = peer === 'torch' ? process.env.TORCH_PYTHON : process.env.TF_PYTHON;
  if (env) return fs.existsSync(env) || !env.includes('/') ? env : null;
  const root = path.dirname(repoRoot());
  const candidates = peer === 'torch' ? [path.join(root, 'venv', 'bin', 'python')] : [path.join(root, 'venv-tf', 'bin', 'python')];
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  // Last resort: the python3 on PATH, if it can import the framework (e.g. a GPU host with torch installed system-wide).
  const probe = spawnSync('python3', ['-c', peer === 'torch' ? 'import torch' : 'import tensorflow'], { stdio: 'ignore', timeout: 120_000 });
  return probe.status === 0 ? 'python3' : null;
}

export function pythonScript(name: string): string {
  return path.join(repoRoot(), 'bench', 'python', name);
}

/**
 * Runs `python script args...`, passing stderr through, and parses the JSON object on its last stdout line.
 * Resolves to null (with a message on stderr) when the interpreter is missing or the script fails.
 */
export async function runPeer(peer: Peer, script: string, args: string[], timeoutMs = 30 * 60_000): Promise<PeerResult | null> {
  const python = peerPython(peer);
  if (!python) {
    const v = peer === 'torch' ? 'TORCH_PYTHON' : 'TF_PYTHON';
    console.error(`[compare] skipping ${peer}: no Python found (set ${v} to an interpreter that can import ${peer === 'torch' ? 'torch' : 'tensorflow'})`);
    return null;
  }
  const file = pythonScript(script);
  console.error(`[compare] ${python} ${path.relative(process.cwd(), file)} ${args.join(' ')}`);
  return new Promise((resolve) => {
    // Thread caps through the environment too, so the libraries' pools are sized before they start.
    const at = args.indexOf('--threads');
    const threads = at >= 0 && args[at + 1] ? args[at + 1] : '2';
    const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads, TF_CPP_MIN_LOG_LEVEL: '2' };
    // Peers run with their own library defaults, not the ones tensornode set for itself before loading the addon.
    for (const name of appliedLibraryThreadDefaults()) delete env[name];
    const child = spawn(python, [file, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      console.error(`[compare] ${peer} failed to start: ${e.message}`);
      resolve(null);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        console.error(`[compare] ${peer} script exited with ${code}`);
        resolve(null);
        return;
      }
      try {
        resolve(JSON.parse(last) as PeerResult);
      } catch {
        console.error(`[compare] ${peer} printed no JSON result line: ${last.slice(0, 200)}`);
        resolve(null);
      }
    });
  });
}

export interface ComparisonLine {
  key: string;
  name: string;
  ours: number;
  peers: Record<string, number | undefined>;
  /** 'time' values: lower is better, ratio = peer / ours (>1 means we are faster). */
  unit: 'ms' | 'µs' | 'GFLOP/s';
}

/**
 * One line per row of ours: the figure each peer reached on the same key, with "speed ratio" = how many times faster we
 * are (theirs/ours for times, ours/theirs for rates), so > 1 means tensornode wins.
 */
export function compareRows(ours: BenchRow[], peers: Record<string, PeerResult | null>): ComparisonLine[] {
  return ours.map((r) => {
    const unit: ComparisonLine['unit'] = r.gflops !== undefined ? 'GFLOP/s' : r.us !== undefined ? 'µs' : 'ms';
    const pick = (row: { ms: number; gflops?: number; us?: number } | undefined) =>
      row === undefined ? undefined : unit === 'GFLOP/s' ? row.gflops : unit === 'µs' ? row.us : row.ms;
    const values: Record<string, number | undefined> = {};
    for (const [peer, res] of Object.entries(peers)) values[peer] = pick(res?.rows.find((p) => p.key === r.key));
    return { key: r.key, name: r.name, ours: pick(r) as number, peers: values, unit };
  });
}

function speedRatio(line: ComparisonLine, peer: number | undefined): string {
  if (peer === undefined || !(peer > 0) || !(line.ours > 0)) return '';
  const x = line.unit === 'GFLOP/s' ? line.ours / peer : peer / line.ours;
  return `${x.toFixed(2)}x`;
}

function fmt(x: number | undefined): string {
  if (x === undefined) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3);
}

function comparisonCells(lines: ComparisonLine[], peerNames: string[]): { header: string[]; cells: string[][] } {
  const header = ['case', 'unit', 'tensornode', ...peerNames.flatMap((p) => [p, `tn speed vs ${p}`])];
  const cells = lines.map((l) => [l.name, l.unit, fmt(l.ours), ...peerNames.flatMap((p) => [fmt(l.peers[p]), speedRatio(l, l.peers[p])])]);
  return { header, cells };
}

export function printComparison(lines: ComparisonLine[], peerNames: string[]): void {
  const { header, cells } = comparisonCells(lines, peerNames);
  printColumns(header, cells);
  console.log('(speed ratio > 1: tensornode is faster; for GFLOP/s it is ours/theirs, for times theirs/ours)');
}

export function comparisonMarkdown(lines: ComparisonLine[], peerNames: string[]): string {
  const { header, cells } = comparisonCells(lines, peerNames);
  return markdownTable(header, cells) + '\n\nSpeed ratio > 1 means tensornode is faster (rates: ours/theirs; times: theirs/ours).';
}
