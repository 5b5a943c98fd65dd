// bench/serve: `tensornode serve` with the MNIST CNN under autocannon on loopback, batching off vs on, beside the same
// model in onnxruntime-node behind fastify; then overload at 2x the sustainable rate, and RSS over 100,000 requests.
//
//   node dist/bench/serve/serve_bench.js [--seconds 5] [--conc 1,16,64,256] [--rss-requests 100000] [--no-peer] [--no-save]
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { mnistCnn } from '../../lib/cli/mnist_model';
import { appendResultsMarkdown, machineInfo, machineMarkdown, markdownTable, repoRoot, writeResultsJson } from '../common';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const SECONDS = Number(flag('seconds', '5'));
const CONCURRENCY = flag('conc', '1,16,64,256').split(',').map(Number);
const RSS_REQUESTS = Number(flag('rss-requests', '100000'));
const OVERLOAD_QUEUE = Number(flag('overload-queue', '32'));
const PEER = !args.includes('--no-peer');
const SAVE = !args.includes('--no-save');
const ROOT = repoRoot();
const ONNX = path.join(ROOT, 'bench', 'serve', 'fixtures', 'mnist_cnn.onnx');

interface RssSummary {
  requests: number;
  non2xx: number;
  startMb: number;
  endMb: number;
  maxMb: number;
  samplesPerSecond: number[];
}

interface Run {
  server: string;
  batching: boolean;
  concurrency: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  status429: number;
  status5xx: number;
  errors: number;
}

/** A server child process; resolves once it logs its URL. */
async function startChild(cmd: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, cmd, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"msg":"serving"[^\n]*"url":"([^"]+)"|"url":"([^"]+)"[^\n]*"msg":"serving"/.exec(out);
      if (m) resolve(m[1] ?? m[2]);
    });
    child.on('exit', (code) => reject(new Error(`${cmd.join(' ')} exited with ${code}: ${out}`)));
  });
  return { child, url };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

function body(): string {
  const img = Array.from({ length: 784 }, (_, i) => Math.round(((i * 37) % 255) / 2.55) / 100);
  return JSON.stringify({ inputs: [{ name: 'conv2d_input', shape: [1, 28, 28, 1], datatype: 'FP32', data: img }] });
}

async function load(url: string, opts: { connections: number; duration?: number; amount?: number; overallRate?: number }): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/v2/models/mnist-cnn/infer`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(),
    connections: opts.connections,
    // autocannon rejects keys set to undefined
    ...(opts.duration !== undefined ? { duration: opts.duration } : {}),
    ...(opts.amount !== undefined ? { amount: opts.amount } : {}),
    ...(opts.overallRate !== undefined ? { overallRate: opts.overallRate } : {}),
    timeout: 30,
  });
}

function summarize(server: string, batching: boolean, concurrency: number, r: autocannon.Result): Run {
  return {
    server,
    batching,
    concurrency,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    status429: (r.statusCodeStats as Record<string, { count: number }>)['429']?.count ?? 0,
    status5xx: r['5xx'],
    errors: r.errors + r.timeouts,
  };
}

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`load average at start: ${machine.loadAvgAtStart.join(' ')}`);
  // The CLI's MNIST CNN (architecture of `tensornode train mnist`, seed 0); throughput does not depend on the weights.
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-serve-bench-'));
  const modelDir = path.join(repo, 'mnist-cnn', '1');
  tn.setSeed(0);
  const model = mnistCnn();
  model.build();
  await model.save(modelDir, { includeOptimizer: false });
  model.dispose();
  const cli = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');
  const serveArgs = (batching: boolean, extra: string[] = []) => [
    cli, 'serve', repo, '--port', '0', '--poll-seconds', '0', '--log-level', 'warn',
    ...(batching ? ['--max-batch-size', '64', '--max-queue-delay-ms', '2'] : ['--max-batch-size', '1', '--max-queue-delay-ms', '0']),
    ...extra,
  ];
  // `--log-level warn` hides the 'serving' line; the URL comes from a tiny info-level wrapper: use info and filter.
  const start = (batching: boolean, extra: string[] = []) => startChild(serveArgs(batching, extra).map((a) => (a === 'warn' ? 'info' : a)));

  const runs: Run[] = [];
  for (const batching of [false, true]) {
    const { child, url } = await start(batching, ['--max-queue-size', '4096']);
    await load(url, { connections: 8, duration: 1 }); // warm the connections and the JIT
    for (const c of CONCURRENCY) {
      const r = summarize('tensornode', batching, c, await load(url, { connections: c, duration: SECONDS }));
      console.log(JSON.stringify(r));
      runs.push(r);
    }
    await stopChild(child);
  }

  let peerNote = '';
  let onnxCheck: number | null = null;
  if (PEER) {
    const py = process.env.TORCH_PYTHON ?? path.join(ROOT, '..', 'venv', 'bin', 'python');
    const exported = spawnSync(py, [path.join(ROOT, 'bench', 'serve', 'export_onnx.py'), modelDir, ONNX], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: process.env.ONNX_PYTHONPATH ?? '' } });
    if (exported.status !== 0) console.log(`(ONNX export failed, using the committed fixture: ${(exported.stderr ?? String(exported.error)).trim().split("\n").at(-1)})`);
    try {
      const { child, url } = await startChild([path.join(ROOT, 'dist', 'bench', 'serve', 'ort_peer.js'), ONNX, '0', String(os.cpus().length)]);
      // Same body to both: the answers must agree (the export converts layouts; this checks it did so right).
      const tnServer = await start(true);
      const [a, b] = await Promise.all([url, tnServer.url].map(async (u) => (await (await fetch(`${u}/v2/models/mnist-cnn/infer`, { method: 'POST', body: body(), headers: { 'content-type': 'application/json' } })).json()) as { outputs: { data: number[] }[] }));
      onnxCheck = Math.max(...a.outputs[0].data.map((v, i) => Math.abs(v - b.outputs[0].data[i])));
      await stopChild(tnServer.child);
      await load(url, { connections: 8, duration: 1 });
      for (const c of CONCURRENCY) {
        const r = summarize('onnxruntime-node + fastify', false, c, await load(url, { connections: c, duration: SECONDS }));
        console.log(JSON.stringify(r));
        runs.push(r);
      }
      await stopChild(child);
    } catch (e) {
      peerNote = `peer skipped: ${(e as Error).message.split('\n')[0]} (install it: npm --prefix bench/serve/peer ci)`;
      console.log(peerNote);
    }
  }

  // Overload: twice the best sustained batching rate, against a bounded queue.
  const sustainable = Math.max(...runs.filter((r) => r.server === 'tensornode' && r.batching).map((r) => r.rps));
  const over = await start(true, ['--max-queue-size', String(OVERLOAD_QUEUE)]);
  const ov = await load(over.url, { connections: 256, duration: SECONDS * 2, overallRate: sustainable * 2 });
  const overload = { offeredRps: sustainable * 2, ...summarize('tensornode', true, 256, ov) };
  console.log(JSON.stringify({ overload }));
  await stopChild(over.child);

  // RSS across many requests (batching on, 64 connections), sampled every second: as batches form (any row count),
  // and with --pad-batches (every pass one of a few fixed sizes, so the CPU block cache reuses its blocks).
  const rssRuns: Record<string, RssSummary> = {};
  for (const pad of [false, true]) {
    const rssRun = await start(true, pad ? ['--pad-batches'] : []);
    await load(rssRun.url, { connections: 64, amount: 5000 }); // warm up, then take the baseline
    const rss: number[] = [rssOf(rssRun.child.pid!)];
    const inst = load(rssRun.url, { connections: 64, amount: RSS_REQUESTS });
    const sampler = setInterval(() => rss.push(rssOf(rssRun.child.pid!)), 1000);
    const rr = await inst;
    clearInterval(sampler);
    rss.push(rssOf(rssRun.child.pid!));
    await stopChild(rssRun.child);
    const summary = { requests: rr.requests.total, non2xx: rr.non2xx, startMb: Math.round(rss[0]), endMb: Math.round(rss.at(-1)!), maxMb: Math.round(Math.max(...rss)), samplesPerSecond: rss.map(Math.round) };
    rssRuns[pad ? 'padded' : 'unpadded'] = summary;
    console.log(JSON.stringify({ rss: summary, padBatches: pad }));
  }
  fs.rmSync(repo, { recursive: true, force: true });

  const loadAvgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const record = { kind: 'serve', machine, loadAvgAtEnd, secondsPerRun: SECONDS, runs, overload, rss: rssRuns, onnxMaxAbsDiff: onnxCheck, peerNote };
  if (!SAVE) return;
  const file = writeResultsJson('serve', record);
  const row = (r: Run) => [r.server, r.batching ? 'on' : 'off', String(r.concurrency), String(r.rps), String(r.p50), String(r.p99), String(r.status429), String(r.status5xx + r.errors)];
  const md = [
    `## serve: MNIST CNN over HTTP (${machine.date.slice(0, 10)})`,
    '',
    machineMarkdown(machine, [
      `load average at end ${loadAvgAtEnd.join(' / ')}`,
      `autocannon on loopback, ${SECONDS} s per row, batch-1 KServe v2 infer bodies (784 floats); batching on = --max-batch-size 64 --max-queue-delay-ms 2`,
      onnxCheck === null ? peerNote : `peer: the same weights exported to ONNX (bench/serve/export_onnx.py), onnxruntime-node ${os.cpus().length} intra-op threads behind fastify; max |difference| of the answers ${onnxCheck.toExponential(2)}`,
      `JSON: ${path.basename(file)}`,
    ]),
    '',
    markdownTable(['server', 'batching', 'connections', 'req/s', 'p50 ms', 'p99 ms', '429', '5xx+errors'], runs.map(row)),
    '',
    `Overload: offered ${overload.offeredRps} req/s (2x the best batching rate) on 256 connections, --max-queue-size ${OVERLOAD_QUEUE}: ${overload.rps} req/s answered, ${overload.ok} 2xx, ${overload.status429} 429, ${overload.status5xx} 5xx, ${overload.errors} errors; p50 ${overload.p50} ms, p99 ${overload.p99} ms (all responses).`,
    '',
    ...Object.entries(rssRuns).map(([how, r]) => `RSS over ${r.requests} requests (64 connections, batching on, ${how === 'padded' ? '--pad-batches' : 'unpadded'}): ${r.startMb} MB after warmup -> ${r.endMb} MB at the end (max ${r.maxMb} MB), ${r.non2xx} non-2xx.`),
  ].join('\n');
  appendResultsMarkdown(md);
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
