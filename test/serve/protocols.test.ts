// KServe v2 and TF Serving REST over real HTTP on loopback: metadata, health, infer/predict, errors and status codes, metrics.
import * as fs from 'fs';
import * as tn from '../../lib';
import { startServer, type RunningServer } from '../../lib/serve/http/server';
import { reference, rows, SAMPLE, smallCnn } from './models';
import { LogSink, request, saveVersion, tempRepo } from './server_helpers';
import { expectClose } from '../helpers/gradcheck';

const repo = tempRepo();
const model = smallCnn(11); // the same weights as the served 'cnn' version 1
let server: RunningServer;
let url = '';
const logs = new LogSink();

beforeAll(async () => {
  await saveVersion(repo, 'cnn', '1', 11);
  server = await startServer({ repository: repo, port: 0, bodyLimit: 200_000, logStream: logs, predictor: { maxBatchSize: 8, maxQueueDelayMs: 1 } });
  url = server.url;
});
afterAll(async () => {
  await server?.close(5000);
  model.dispose();
  fs.rmSync(repo, { recursive: true, force: true });
});

const nested = (x: Float32Array, n: number) => {
  const t = tn.tensor(x, [n, ...SAMPLE]);
  const a = t.arraySync();
  t.dispose();
  return a as number[][][][];
};
const kInput = (x: Float32Array, n: number, extra: Record<string, unknown> = {}) => ({ name: 'conv_input', shape: [n, ...SAMPLE], datatype: 'FP32', data: Array.from(x), ...extra });

describe('KServe v2', () => {
  test('health: live and ready are 200 with an empty body', async () => {
    for (const p of ['/v2/health/live', '/v2/health/ready', '/v2/models/cnn/ready', '/v2/models/cnn/versions/1/ready']) {
      const r = await request(url + p);
      expect([p, r.status, r.text]).toEqual([p, 200, '']);
    }
    expect((await request(`${url}/v2/models/cnn/versions/7/ready`)).status).toBe(404);
    expect((await request(`${url}/v2/models/nope/ready`)).status).toBe(404);
  });

  test('server and model metadata (batch dim -1, FP32)', async () => {
    const s = await request(`${url}/v2`);
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ name: 'tensornode', version: expect.any(String), extensions: [] });
    const meta = {
      name: 'cnn',
      versions: ['1'],
      platform: 'tensornode_tensornode',
      inputs: [{ name: 'conv_input', datatype: 'FP32', shape: [-1, 8, 8, 1] }],
      outputs: [{ name: 'probs', datatype: 'FP32', shape: [-1, 3] }],
    };
    expect((await request(`${url}/v2/models/cnn`)).body).toEqual(meta);
    expect((await request(`${url}/v2/models/cnn/versions/1`)).body).toEqual(meta);
    const missing = await request(`${url}/v2/models/cnn/versions/2`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/version '2' is not served/);
    expect((await request(`${url}/v2/models/nope`)).status).toBe(404);
  });

  test('infer: outputs equal the model on the same rows, id echoed, flat or nested data, version in the path', async () => {
    const x = rows(2, 1000);
    const ref = await reference(model, x);
    const r = await request(`${url}/v2/models/cnn/infer`, 'POST', { id: 'req-7', inputs: [kInput(x, 2)] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ model_name: 'cnn', model_version: '1', id: 'req-7', outputs: [{ name: 'probs', datatype: 'FP32', shape: [2, 3] }] });
    expect(r.body.outputs[0].data).toEqual(Array.from(ref)); // float32 values survive JSON exactly
    const r2 = await request(`${url}/v2/models/cnn/versions/1/infer`, 'POST', { inputs: [{ ...kInput(x, 2), data: nested(x, 2) }], outputs: [{ name: 'probs' }] });
    expect(r2.status).toBe(200);
    expect(r2.body.id).toBeUndefined();
    expectClose(r2.body.outputs[0].data, ref, 1e-6, 1e-7);
  });

  test('errors: 400 naming the input with expected vs actual, 404 for unknown models, 413 over the body limit', async () => {
    const x = rows(1, 1001);
    const cases: [unknown, number, RegExp][] = [
      [{ inputs: [kInput(x, 1, { datatype: 'INT32' })] }, 400, /input 'conv_input': expected datatype FP32, got "INT32"/],
      [{ inputs: [kInput(x, 1, { shape: [1, 64] })] }, 400, /input 'conv_input': expected shape \[-1,8,8,1\], got \[1,64\]/],
      [{ inputs: [kInput(x, 1, { shape: [2, 8, 8, 1] })] }, 400, /needs 128 values, got 64/],
      [{ inputs: [{ ...kInput(x, 1), name: 'image' }] }, 400, /unexpected input 'image'.*conv_input/],
      [{ inputs: [] }, 400, /'inputs' must be a non-empty array/],
      [{ inputs: [kInput(x, 1)], outputs: [{ name: 'logits' }] }, 400, /unknown output "logits"/],
      [{ inputs: [kInput(x, 1, { data: ['a'] })] }, 400, /expected numbers/],
    ];
    for (const [body, status, msg] of cases) {
      const r = await request(`${url}/v2/models/cnn/infer`, 'POST', body);
      expect([r.status, r.body.error]).toEqual([status, expect.stringMatching(msg)]);
    }
    const bad = await request(`${url}/v2/models/cnn/infer`, 'POST', '{"inputs": [');
    expect(bad.status).toBe(400);
    expect(typeof bad.body.error).toBe('string');
    const nf = await request(`${url}/v2/models/nope/infer`, 'POST', { inputs: [kInput(x, 1)] });
    expect([nf.status, nf.body.error]).toEqual([404, "model 'nope' is not served here"]);
    const big = await request(`${url}/v2/models/cnn/infer`, 'POST', { inputs: [kInput(rows(400, 3), 400)] });
    expect(big.status).toBe(413);
    expect(typeof big.body.error).toBe('string');
    const path404 = await request(`${url}/v3/whatever`);
    expect([path404.status, typeof path404.body.error]).toEqual([404, 'string']);
    // Still serving.
    expect((await request(`${url}/v2/models/cnn/infer`, 'POST', { inputs: [kInput(x, 1)] })).status).toBe(200);
  });
});

describe('TF Serving REST', () => {
  test('model status and signature metadata', async () => {
    const status = { model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] };
    expect((await request(`${url}/v1/models/cnn`)).body).toEqual(status);
    expect((await request(`${url}/v1/models/cnn/versions/1`)).body).toEqual(status);
    const meta = await request(`${url}/v1/models/cnn/metadata`);
    expect(meta.body.model_spec).toEqual({ name: 'cnn', signature_name: '', version: '1' });
    const sig = meta.body.metadata.signature_def.signature_def.serving_default;
    expect(sig.inputs.conv_input.dtype).toBe('DT_FLOAT');
    expect(sig.inputs.conv_input.tensor_shape.dim.map((d: { size: string }) => d.size)).toEqual(['-1', '8', '8', '1']);
    expect(Object.keys(sig.outputs)).toEqual(['probs']);
    const nf = await request(`${url}/v1/models/nope`);
    expect([nf.status, typeof nf.body.error]).toEqual([404, 'string']);
  });

  test(':predict in row format (instances -> predictions) and columnar format (inputs -> outputs)', async () => {
    const x = rows(3, 1100);
    const ref = await reference(model, x);
    const inst = nested(x, 3);
    const rowsOut = await request(`${url}/v1/models/cnn:predict`, 'POST', { instances: inst });
    expect(rowsOut.status).toBe(200);
    expect(rowsOut.body.predictions).toHaveLength(3);
    expect(rowsOut.body.predictions.flat()).toEqual(Array.from(ref));
    const named = await request(`${url}/v1/models/cnn/versions/1:predict`, 'POST', { signature_name: 'serving_default', instances: inst.map((v) => ({ conv_input: v })) });
    expect(named.body.predictions.flat()).toEqual(Array.from(ref));
    const cols = await request(`${url}/v1/models/cnn:predict`, 'POST', { inputs: inst });
    expect(cols.body.outputs.flat()).toEqual(Array.from(ref));
    const colsNamed = await request(`${url}/v1/models/cnn:predict`, 'POST', { inputs: { conv_input: inst } });
    expect(colsNamed.body.outputs.flat()).toEqual(Array.from(ref));
  });

  test('errors: 400 with the reason, 404 for unknown models and versions', async () => {
    const inst = nested(rows(1, 1200), 1);
    const cases: [string, unknown, number, RegExp][] = [
      ['cnn:predict', { instances: inst, inputs: inst }, 400, /exactly one of "instances"/],
      ['cnn:predict', { instances: [[1, 2, 3]] }, 400, /input 'conv_input': expected shape \[-1,8,8,1\], got \[1,3\]/],
      ['cnn:predict', { instances: [{ image: inst[0] }] }, 400, /unknown input 'image'/],
      ['cnn:predict', { signature_name: 'other', instances: inst }, 400, /unknown signature_name/],
      ['nope:predict', { instances: inst }, 404, /model 'nope' is not served/],
      ['cnn/versions/9:predict', { instances: inst }, 404, /version '9' is not served/],
      ['cnn:classify', { instances: inst }, 404, /no such resource/],
    ];
    for (const [p, body, status, msg] of cases) {
      const r = await request(`${url}/v1/models/${p}`, 'POST', body);
      expect([p, r.status, r.body.error]).toEqual([p, status, expect.stringMatching(msg)]);
    }
  });
});

test('/metrics: counters, histograms and the queue gauge move as requests are served, plus process metrics', async () => {
  const scrape = async () => (await request(`${url}/metrics`)).text;
  const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  const before = await scrape();
  const x = rows(1, 1300);
  await Promise.all(Array.from({ length: 6 }, () => request(`${url}/v2/models/cnn/infer`, 'POST', { inputs: [kInput(x, 1)] })));
  await request(`${url}/v1/models/cnn:predict`, 'POST', { instances: [[1]] }); // a 400
  const after = await scrape();
  const lbl = '{model="cnn",version="1"}';
  expect(value(after, 'tensornode_inference_request_success_total{model="cnn",version="1",protocol="kserve_v2"}') - value(before, 'tensornode_inference_request_success_total{model="cnn",version="1",protocol="kserve_v2"}')).toBe(6);
  expect(value(after, `tensornode_inference_count_total${lbl}`) - value(before, `tensornode_inference_count_total${lbl}`)).toBe(6);
  const execs = value(after, `tensornode_inference_exec_count_total${lbl}`) - value(before, `tensornode_inference_exec_count_total${lbl}`);
  expect(execs).toBeGreaterThanOrEqual(1);
  expect(execs).toBeLessThanOrEqual(6);
  expect(value(after, 'tensornode_inference_request_failure_total{model="cnn",version="",protocol="tf_serving",code="400"}')).toBeGreaterThanOrEqual(1);
  expect(value(after, `tensornode_inference_compute_duration_seconds_count${lbl}`)).toBeGreaterThan(value(before, `tensornode_inference_compute_duration_seconds_count${lbl}`));
  expect(after).toMatch(/^tensornode_inference_queue_duration_seconds_bucket\{le="0.001",model="cnn",version="1"\} \d+$/m);
  expect(after).toMatch(/^tensornode_inference_queue_depth\{model="cnn",version="1"\} 0$/m);
  expect(after).toMatch(/^process_resident_memory_bytes \d+/m);
});

test('one-line JSON logs: the model load and the listening address', () => {
  expect(logs.lines.find((l) => l.msg === 'model loaded')).toMatchObject({ model: 'cnn', version: '1', level: 30 });
  expect(logs.lines.find((l) => l.msg === 'serving')).toMatchObject({ url, models: ['cnn@1'] });
});
