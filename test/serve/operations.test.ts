// The server under stress and change: overload -> 429 and it still answers, deadlines -> 504, hot swap under load loses
// nothing, a broken version is refused while the old one serves, pinned versions, the layout `train` saves.
import * as fs from 'fs';
import * as path from 'path';
import { startServer, type RunningServer } from '../../lib/serve/http/server';
import { reference, rows, SAMPLE, smallCnn } from './models';
import { LogSink, request, saveVersion, tempRepo } from './server_helpers';
import { expectClose } from '../helpers/gradcheck';

const repos: string[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close(5000);
  for (const r of repos) fs.rmSync(r, { recursive: true, force: true });
});

async function serve(setup: (repo: string) => Promise<void>, opts: Partial<Parameters<typeof startServer>[0]> = {}) {
  const repo = tempRepo();
  repos.push(repo);
  await setup(repo);
  const logs = new LogSink();
  const server = await startServer({ repository: repo, port: 0, logStream: logs, ...opts });
  servers.push(server);
  return { repo, server, logs, url: server.url };
}

const infer = (url: string, x: Float32Array, n: number, headers: Record<string, string> = {}, model = 'cnn') =>
  request(`${url}/v2/models/${model}/infer`, 'POST', { inputs: [{ name: 'conv_input', shape: [n, ...SAMPLE], datatype: 'FP32', data: Array.from(x) }] }, headers);

test('overload: a full queue answers 429 with Retry-After at once, never 5xx, and the server keeps answering', async () => {
  // Requests wait up to 1.5 s for a batch of 64, so the queue of 4 fills whatever the machine's speed.
  const { url } = await serve((r) => saveVersion(r, 'cnn', '1', 1), { predictor: { maxBatchSize: 64, maxQueueDelayMs: 1500, maxQueueSize: 4 } });
  const x = rows(1, 5);
  const burst = await Promise.all(Array.from({ length: 24 }, () => infer(url, x, 1)));
  const codes = burst.map((r) => r.status);
  expect(codes.filter((c) => c === 200).length).toBe(4);
  expect(codes.filter((c) => c === 429).length).toBe(20);
  for (const r of burst.filter((b) => b.status === 429)) {
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(r.body.error).toMatch(/queue full \(4 of 4 requests waiting\)/);
  }
  const after = await infer(url, rows(1, 6), 1);
  expect(after.status).toBe(200);
  const metrics = (await request(`${url}/metrics`)).text;
  expect(metrics).toMatch(/tensornode_inference_request_failure_total\{model="cnn",version="",protocol="kserve_v2",code="429"\} [1-9]/);
});

test('a request whose deadline passes while queued gets 504 and is never computed; the others are answered', async () => {
  // Requests wait up to 1.5 s for company, so a 50 ms deadline passes while queued whatever the machine's speed.
  const { url, server } = await serve((r) => saveVersion(r, 'cnn', '1', 2), { predictor: { maxBatchSize: 64, maxQueueDelayMs: 1500 } });
  const kept = infer(url, rows(2, 7), 2);
  const late = await infer(url, rows(1, 8), 1, { 'x-request-deadline-ms': '50' });
  expect([late.status, late.body.error]).toEqual([504, expect.stringMatching(/deadline of 50 ms passed while queued/)]);
  expect((await kept).status).toBe(200);
  expect(server.repository.get('cnn').predictor.stats()).toMatchObject({ expired: 1, completed: 1, rows: 2 });
  expect((await infer(url, rows(1, 9), 1, { 'x-request-deadline-ms': 'soon' })).status).toBe(400);
});

test('hot swap under load: a new version is picked up by polling and no request fails or is lost', async () => {
  const { repo, url, logs } = await serve((r) => saveVersion(r, 'cnn', '1', 21), { pollSeconds: 0.2, predictor: { maxBatchSize: 4, maxQueueDelayMs: 1 } });
  const x = rows(1, 10);
  const v2 = smallCnn(22);
  const ref2 = await reference(v2, x);
  v2.dispose();
  const seen: { status: number; version: string; data: number[] }[] = [];
  let swapped = false;
  let sent = 0;
  const worker = async () => {
    // Bounded: stops 20 requests after the swap is visible, or at 2000 requests in all.
    let after = 0;
    while (sent < 2000 && after < 20) {
      sent++;
      const r = await infer(url, x, 1);
      seen.push({ status: r.status, version: r.body?.model_version, data: r.body?.outputs?.[0]?.data });
      if (r.body?.model_version === '2') after++;
    }
  };
  const load = Promise.all([worker(), worker(), worker(), worker()]);
  await new Promise((r) => setTimeout(r, 100));
  await saveVersion(repo, 'cnn', '2', 22); // model.json is written last, so a poll never sees half a version
  expect(logs.has('new version refused; the previous version keeps serving')).toBe(false);
  await load;
  swapped = seen.some((s) => s.version === '2');
  expect(swapped).toBe(true);
  expect(seen.every((s) => s.status === 200)).toBe(true);
  expect(seen.length).toBe(sent);
  const first2 = seen.findIndex((s) => s.version === '2');
  expect(seen.slice(first2 + 8).every((s) => s.version === '2')).toBe(true); // a few v1 answers were already in flight
  for (const s of seen.filter((q) => q.version === '2')) expectClose(s.data, ref2, 1e-5, 1e-7);
  expect(logs.has('model version swapped in')).toBe(true);
  expect(logs.has('previous version drained and unloaded')).toBe(true);
  expect((await request(`${url}/v2/models/cnn`)).body.versions).toEqual(['2']);

  // A broken version 3 (its weights file is missing) is refused with a log line; version 2 keeps serving.
  await saveVersion(repo, 'cnn', '3', 23);
  fs.unlinkSync(path.join(repo, 'cnn', '3', 'weights.safetensors'));
  const deadline = Date.now() + 10000;
  while (!logs.has('new version refused; the previous version keeps serving') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const refused = logs.lines.find((l) => l.msg === 'new version refused; the previous version keeps serving');
  expect(refused).toMatchObject({ model: 'cnn', version: '3', serving: '2', level: 40 });
  const still = await infer(url, x, 1);
  expect([still.status, still.body.model_version]).toEqual([200, '2']);
  expect((await request(`${url}/v2/health/ready`)).status).toBe(200);
});

test('pinned versions, and a model saved directly in <repo>/<name>/ (what `tensornode train` writes) is version 1', async () => {
  const { url } = await serve(
    async (r) => {
      await saveVersion(r, 'cnn', '1', 31);
      await saveVersion(r, 'cnn', '2', 32);
      await saveVersion(r, 'flat', null, 33);
    },
    { pinned: { cnn: '1' } },
  );
  expect((await request(`${url}/v2/models/cnn`)).body.versions).toEqual(['1']);
  expect((await request(`${url}/v2/models/flat`)).body.versions).toEqual(['1']);
  expect((await infer(url, rows(1, 11), 1, {}, 'flat')).status).toBe(200);
  expect((await request(`${url}/v1/models/cnn/versions/2`)).status).toBe(404);
});

test('a repository without loadable models fails readiness but stays up; a missing directory is an error', async () => {
  const { url, logs } = await serve(async (r) => {
    fs.mkdirSync(path.join(r, 'junk', '1'), { recursive: true });
    fs.writeFileSync(path.join(r, 'junk', '1', 'model.json'), 'not json');
  });
  expect((await request(`${url}/v2/health/live`)).status).toBe(200);
  expect((await request(`${url}/v2/health/ready`)).status).toBe(400);
  expect(logs.has('no model could be loaded; serving none until one appears')).toBe(true);
  await expect(startServer({ repository: path.join(repos[0], 'does-not-exist'), port: 0, logStream: new LogSink() })).rejects.toThrow(/no such model repository/);
});
