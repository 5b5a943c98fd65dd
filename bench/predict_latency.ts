// Batch-1 inference latency of the MNIST CNN (p50/p99 per predict, awaited), beside onnxruntime-node on the same model.
//
//   node dist/bench/predict_latency.js [--calls 3000] [--rounds 3] [--no-peer] [--record]
//
// tensornode: `model.predict(x)` then `await y.data()`, one image at a time, as a service answering single requests
// does. The peer: the same architecture exported to ONNX (bench/serve/fixtures/mnist_cnn.onnx, written by the serve
// bench's export step) run by onnxruntime-node (bench/serve/peer: `npm --prefix bench/serve/peer ci --ignore-scripts`).
// The two run interleaved, round by round, in one process; each round is `calls` predicts after a warm-up.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance, PerformanceObserver } from 'perf_hooks';

import * as tn from '../lib';
import { mnistCnn } from '../lib/cli/mnist_model';
import { machineInfo, machineMarkdown, markdownTable, appendResultsMarkdown, nowMs, repoRoot, round, writeResultsJson } from './common';
import { loadOrt } from './serve/ort_peer';

interface Latency {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

function percentiles(us: number[]): Latency {
  const s = [...us].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

function image(seed: number): Float32Array {
  const x = new Float32Array(28 * 28);
  let h = seed * 2654435761;
  for (let i = 0; i < x.length; i++) {
    h = (h ^ (h >>> 13)) * 1274126177;
    x[i] = ((h >>> 8) & 0xff) / 255;
  }
  return x;
}

/** Every garbage-collection pause (start, duration in ms, performance.now() clock): a p99 spike is often one of them. */
const gcPauses: [number, number][] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push([e.startTime, e.duration]);
});
gcObserver.observe({ entryTypes: ['gc'] });

/** The pauses that began inside one of `windows` (the tensornode rounds): count, total and longest, in ms. */
function pausesIn(windows: [number, number][]): { count: number; totalMs: number; maxMs: number } {
  const hit = gcPauses.filter(([t]) => windows.some(([a, b]) => t >= a && t <= b)).map(([, d]) => d);
  return { count: hit.length, totalMs: hit.reduce((a, b) => a + b, 0), maxMs: hit.length > 0 ? Math.max(...hit) : 0 };
}

async function timeTensornode(model: tn.Sequential, calls: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = nowMs();
    const x = tn.tensor(image(i), [1, 28, 28, 1]);
    const y = model.predict(x) as tn.Tensor;
    await y.data();
    out.push((nowMs() - t0) * 1000);
    x.dispose();
    y.dispose();
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, dflt: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const calls = flag('--calls', 3000);
  const rounds = flag('--rounds', 3);
  const onnxPath = path.join(repoRoot(), 'bench', 'serve', 'fixtures', 'mnist_cnn.onnx');

  const model = mnistCnn();
  model.build();
  await timeTensornode(model, 200);

  type Session = { inputNames: readonly string[]; outputNames: readonly string[]; run(f: Record<string, unknown>): Promise<Record<string, { data: Float32Array }>> };
  let peer: { session: Session; Tensor: new (t: 'float32', d: Float32Array, dims: number[]) => unknown } | null = null;
  let peerNote = '';
  if (!args.includes('--no-peer')) {
    try {
      if (!fs.existsSync(onnxPath)) throw new Error(`${onnxPath} is missing (the serve bench writes it)`);
      const ort = loadOrt();
      const session = (await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: os.cpus().length, interOpNumThreads: 1, executionProviders: ['cpu'] })) as unknown as Session;
      peer = { session, Tensor: ort.Tensor as never };
    } catch (e) {
      peerNote = `onnxruntime-node not run: ${(e as Error).message.split('\n')[0]}`;
    }
  }
  const timePeer = async (n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = nowMs();
      const x = new peer!.Tensor('float32', image(i), [1, 28, 28, 1]);
      const r = await peer!.session.run({ [peer!.session.inputNames[0]]: x });
      if (r[peer!.session.outputNames[0]].data.length !== 10) throw new Error('onnx peer: unexpected output');
      out.push((nowMs() - t0) * 1000);
    }
    return out;
  };
  if (peer) await timePeer(200);

  const tnAll: number[] = [];
  const peerAll: number[] = [];
  const loadAvgAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const tnWindows: [number, number][] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    tnAll.push(...(await timeTensornode(model, calls)));
    tnWindows.push([start, performance.now()]);
    if (peer) peerAll.push(...(await timePeer(calls)));
  }
  model.dispose();
  await new Promise((resolve) => setTimeout(resolve, 20)); // the observer hears of the last pauses asynchronously
  gcObserver.disconnect();
  const gc = pausesIn(tnWindows);

  const tnLat = percentiles(tnAll);
  const peerLat = peer ? percentiles(peerAll) : null;
  const m = machineInfo();
  const loadAvgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const fmt = (l: Latency) => [l.p50, l.p90, l.p99, l.mean].map((v) => v.toFixed(0));
  const lines = [['tensornode model.predict + await data()', ...fmt(tnLat)]];
  if (peerLat) lines.push(['onnxruntime-node session.run', ...fmt(peerLat)]);
  const table = markdownTable(['batch-1 MNIST CNN', 'p50 µs', 'p90 µs', 'p99 µs', 'mean µs'], lines);
  console.log(table);
  if (peerLat) console.log(`p50 ratio tensornode/onnxruntime: ${(tnLat.p50 / peerLat.p50).toFixed(2)}; tensornode p99/p50: ${(tnLat.p99 / tnLat.p50).toFixed(2)}`);
  const gcNote = `tensornode rounds: ${gc.count} GC pauses, ${gc.totalMs.toFixed(1)} ms in all (${((1000 * gc.totalMs) / tnAll.length).toFixed(1)} us per predict), longest ${gc.maxMs.toFixed(2)} ms`;
  console.log(gcNote);
  console.log(`load average at start ${loadAvgAtStart.join(' / ')}, at end ${loadAvgAtEnd.join(' / ')}`);
  if (peerNote) console.log(peerNote);
  if (args.includes('--record')) {
    const gcInRounds = { count: gc.count, totalMs: round(gc.totalMs, 1), maxMs: round(gc.maxMs, 2) };
    const record = { kind: 'predict-latency', machine: m, loadAvgAtStart, loadAvgAtEnd, gcInRounds, calls, rounds, tensornode: round4(tnLat), onnxruntime: peerLat ? round4(peerLat) : null, peerNote };
    const file = writeResultsJson('predict-latency', record);
    appendResultsMarkdown(`## Batch-1 predict latency (${m.date.slice(0, 10)})\n\n${machineMarkdown(m, [`load average at start ${loadAvgAtStart.join(' / ')}, at end ${loadAvgAtEnd.join(' / ')}`, gcNote, `${rounds} interleaved rounds of ${calls} predicts each; command: node dist/bench/predict_latency.js --record`])}\n\n${table}\n\nRecord: ${path.basename(file)}`);
    console.log(`recorded ${file}`);
  }
}

function round4(l: Latency): Latency {
  return { p50: round(l.p50, 1)!, p90: round(l.p90, 1)!, p99: round(l.p99, 1)!, mean: round(l.mean, 1)! };
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
