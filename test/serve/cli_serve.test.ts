// `tensornode serve` as a child process: serves the layout `train` saves, logs one JSON line per event, and on SIGTERM
// drains (the request in flight is answered) and exits 0.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { rows, SAMPLE } from './models';
import { request, saveVersion, tempRepo } from './server_helpers';

const root = path.resolve(__dirname, '../..');
const repo = tempRepo();
let child: ChildProcess | null = null;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(repo, { recursive: true, force: true });
});

test('serves models/<name>/ over both protocols; SIGTERM drains the request in flight, then exits 0', async () => {
  await saveVersion(repo, 'mnist-like', null, 41); // like `tensornode train mnist` saving to models/mnist-cnn
  const c = spawn(process.execPath, ['-r', path.join(root, 'test/cli/transpile_hook.js'), path.join(root, 'lib/cli/main.ts'), 'serve', repo, '--port', '0', '--drain-seconds', '20', '--max-batch-size', '1', '--pad-batches'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = c;
  let out = '';
  let err = '';
  c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => c.on('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!/"msg":"serving"/.test(out) && Date.now() - started < 150000 && c.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const url = lines.find((l) => l.msg === 'serving')?.url as string;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  const x = Array.from(rows(1, 1));
  const k = await request(`${url}/v2/models/mnist-like/infer`, 'POST', { inputs: [{ name: 'conv_input', shape: [1, ...SAMPLE], datatype: 'FP32', data: x }] });
  expect([k.status, k.body.model_version]).toEqual([200, '1']);
  const t = await request(`${url}/v1/models/mnist-like:predict`, 'POST', { inputs: { conv_input: [x.slice(0, 64)] } });
  expect(t.status).toBe(400); // flat 64 values are not an [8, 8, 1] row
  expect(t.body.error).toMatch(/expected shape \[-1,8,8,1\], got \[1,64\]/);

  // A slow request (3000 rows) is in flight when SIGTERM arrives: it is still answered.
  const big = Array.from(rows(3000, 2));
  const inflight = request(`${url}/v2/models/mnist-like/infer`, 'POST', { inputs: [{ name: 'conv_input', shape: [3000, ...SAMPLE], datatype: 'FP32', data: big }] });
  await new Promise((r) => setTimeout(r, 300));
  c.kill('SIGTERM');
  const r = await inflight;
  expect(r.status).toBe(200);
  expect(r.body.outputs[0].shape).toEqual([3000, 3]);
  expect(await exited).toBe(0);
  expect(out).toMatch(/"signal":"SIGTERM","msg":"shutdown requested"/);
  expect(out).toMatch(/"msg":"stopped"/);
  for (const l of out.trim().split('\n')) expect(() => JSON.parse(l)).not.toThrow(); // every log line is one JSON object
  expect(err).toBe('');
}, 240000); // the child transpiles the TypeScript sources at start: slow on a busy machine
