// tf.io.http against @tensorflow/tfjs on a local node:http server: loadLayersModel('http://...') reads what tfjs
// reads (sharded weights, query strings, weightPathPrefix, weightUrlConverter, onProgress, streamWeights), model.save
// POSTs the multipart form tfjs posts, and hostile servers (wrong sizes, bad manifests) are refused before allocation.
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';
import { expectClose, randomArray } from '../helpers/gradcheck';
import { formParts, startServer, type TestServer } from '../helpers/http_server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let server: TestServer;
let artifacts: Any;
let want: Float32Array;
const xs = randomArray(4 * 5, 11);

beforeAll(async () => {
  server = await startServer();
  const T = tf();
  const m = T.sequential({ layers: [T.layers.dense({ units: 3, inputShape: [5], activation: 'tanh' }), T.layers.dense({ units: 2 })] });
  await m.save(T.io.withSaveHandler(async (a: Any) => ((artifacts = a), { modelArtifactsInfo: T.io.getModelArtifactsInfoForJSON(a) })));
  want = m.predict(T.tensor(xs, [4, 5])).dataSync();
  // Served as tfjs's converter writes larger models: the weights in two shards of one group.
  const bytes = Buffer.from(artifacts.weightData);
  server.routes.set('/m/s1.bin', { body: bytes.subarray(0, 40) });
  server.routes.set('/m/s2.bin', { body: bytes.subarray(40), chunked: true });
  const json = { modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['s1.bin', 's2.bin'], weights: artifacts.weightSpecs }] };
  server.routes.set('/m/model.json', { body: JSON.stringify(json), contentType: 'application/json' });
});
afterAll(async () => {
  await server.close();
});

// Jest runs tests in their own realm, while fetch's json() builds objects in Node's: tfjs's config conversion
// (instanceof Array) then misreads the topology. tfjs gets a fetch whose JSON is parsed here; tensornode parses its own.
const tfjsFetch = async (u: string, init?: Any): Promise<Any> => {
  const r = await fetch(u, init);
  return { ok: r.ok, status: r.status, headers: r.headers, body: r.body, arrayBuffer: () => r.arrayBuffer(), text: () => r.text(), json: async () => JSON.parse(await r.text()) };
};

const predict = (m: tn.LayersModel): Float32Array => (m.predict(tn.tensor(xs, [4, 5])) as tn.Tensor).dataSync() as Float32Array;
const since = (n: number): string[] => server.requests.slice(n).map((r) => r.url);

test('loadLayersModel(http URL) fetches model.json and its shards as tfjs does, to the same predictions', async () => {
  const T = tf();
  const url = `${server.base}/m/model.json?v=3`;
  let n = server.requests.length;
  const theirs = await T.loadLayersModel(url, { fetchFunc: tfjsFetch });
  const theirUrls = since(n);
  n = server.requests.length;
  const mine = await tn.loadLayersModel(url);
  expect(since(n).sort()).toEqual(theirUrls.sort()); // the query string goes to every weight file too
  expectClose(predict(mine), theirs.predict(T.tensor(xs, [4, 5])).dataSync(), 1e-6, 1e-7);
  expectClose(predict(mine), want, 1e-6, 1e-7);
  // The same through the handler, and through tfjs's deprecated name.
  expectClose(predict(await tn.loadLayersModel(tn.io.http(url))), want, 1e-6, 1e-7);
  expectClose(predict(await tn.loadLayersModel(tn.io.browserHTTPRequest(url))), want, 1e-6, 1e-7);
  // Artifacts as tfjs's handler gives them: one ArrayBuffer per weight file.
  const a: Any = await tn.io.http(url).load();
  const b: Any = await T.io.http(url, { fetchFunc: tfjsFetch }).load();
  expect(a.weightSpecs).toEqual(b.weightSpecs);
  expect(a.weightData.length).toBe(b.weightData.length);
  a.weightData.forEach((buf: ArrayBuffer, i: number) => expect(Buffer.from(buf).equals(Buffer.from(b.weightData[i]))).toBe(true));
  expect(a.modelTopology).toEqual(b.modelTopology);
});

test('weightPathPrefix, weightUrlConverter, requestInit and onProgress behave as in tfjs', async () => {
  const T = tf();
  server.routes.set('/elsewhere/model.json', server.routes.get('/m/model.json')!);
  const url = `${server.base}/elsewhere/model.json`;
  const runs = [
    { weightPathPrefix: `${server.base}/m/` },
    { weightUrlConverter: async (p: string) => `${server.base}/m/${p}?c=1` },
    { weightPathPrefix: `${server.base}/m/`, requestInit: { headers: { 'x-token': 'abc' } } },
  ];
  for (const opts of runs) {
    const tp: number[] = [];
    const mp: number[] = [];
    let n = server.requests.length;
    const theirs = await T.loadLayersModel(url, { ...opts, fetchFunc: tfjsFetch, onProgress: (f: number) => tp.push(f) });
    const theirReqs = server.requests.slice(n);
    n = server.requests.length;
    const mine = await tn.loadLayersModel(url, { ...opts, onProgress: (f: number) => mp.push(f) });
    const myReqs = server.requests.slice(n);
    expect(myReqs.map((r) => r.url).sort()).toEqual(theirReqs.map((r) => r.url).sort());
    expect(myReqs.map((r) => r.headers['x-token'])).toEqual(theirReqs.map((r) => r.headers['x-token']));
    expect(mp).toEqual(tp);
    expectClose(predict(mine), theirs.predict(T.tensor(xs, [4, 5])).dataSync(), 1e-6, 1e-7);
  }
});

test('streamWeights: the weights are decoded from the stream as they arrive', async () => {
  const mine = await tn.loadLayersModel(`${server.base}/m/model.json`, { streamWeights: true });
  expectClose(predict(mine), want, 1e-6, 1e-7);
  // tfjs's handler gives the same stream of bytes.
  const a: Any = await tn.io.http(`${server.base}/m/model.json`, { streamWeights: true }).load();
  const decoded = await tn.io.decodeWeightsStream(a.getWeightStream(), a.weightSpecs);
  const theirs = await tf().io.decodeWeightsStream((await tf().io.http(`${server.base}/m/model.json`, { streamWeights: true }).load()).getWeightStream(), a.weightSpecs);
  for (const k of Object.keys(theirs)) expect(Array.from(decoded[k].dataSync())).toEqual(Array.from(theirs[k].dataSync()));
});

test("model.save('http://...') POSTs tfjs's multipart form: model.json and model.weights.bin", async () => {
  const T = tf();
  const theirs = await T.loadLayersModel(T.io.fromMemory(artifacts));
  const mine = await tn.loadLayersModel(tn.io.fromMemory(artifacts));
  let n = server.requests.length;
  const theirResult = await theirs.save(`${server.base}/upload`);
  const [theirReq] = server.requests.slice(n);
  n = server.requests.length;
  const myResult: Any = await mine.save(`${server.base}/upload`);
  const [myReq] = server.requests.slice(n);
  expect(myReq.method).toBe(theirReq.method);
  expect(String(myReq.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
  const [a, b] = [await formParts(myReq), await formParts(theirReq)];
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const k of a.keys()) {
    expect({ name: a.get(k)!.name, type: a.get(k)!.type }).toEqual({ name: b.get(k)!.name, type: b.get(k)!.type });
  }
  expect(a.get('model.weights.bin')!.bytes.equals(b.get('model.weights.bin')!.bytes)).toBe(true);
  const [ja, jb] = [JSON.parse(a.get('model.json')!.bytes.toString()), JSON.parse(b.get('model.json')!.bytes.toString())];
  expect(ja.weightsManifest).toEqual(jb.weightsManifest);
  expect(ja.format).toBe(jb.format);
  expect(Object.keys(ja).sort()).toEqual(Object.keys(jb).sort());
  expect(myResult.modelArtifactsInfo.weightDataBytes).toBe(theirResult.modelArtifactsInfo.weightDataBytes);
  expect(myResult.responses[0].ok).toBe(true);
  // A custom method through the handler; a failing server is an error.
  n = server.requests.length;
  await mine.save(tn.io.http(`${server.base}/upload`, { requestInit: { method: 'PUT' } }) as Any);
  expect(server.requests[n].method).toBe('PUT');
  server.routes.set('/refuse', { body: 'no', status: 500 });
  await expect(mine.save(`${server.base}/refuse`)).rejects.toThrow(/answered HTTP 500/);
});

test('hostile or broken servers: typed errors, sizes checked before the bodies are read', async () => {
  const base = server.base;
  const json = JSON.parse(String(server.routes.get('/m/model.json')!.body));
  const put = (dir: string, manifest: Any, files: Record<string, Buffer>, chunked = false): string => {
    server.routes.set(`/${dir}/model.json`, { body: JSON.stringify({ ...json, weightsManifest: manifest }) });
    for (const [k, v] of Object.entries(files)) server.routes.set(`/${dir}/${k}`, { body: v, chunked });
    return `${base}/${dir}/model.json`;
  };
  const bytes = Buffer.from(artifacts.weightData);
  await expect(tn.loadLayersModel(`${base}/none/model.json`)).rejects.toThrow(tn.ModelFileError);
  await expect(tn.loadLayersModel(`${base}/none/model.json`)).rejects.toThrow(/answered 404/);
  // A weights file longer than the manifest says: refused from its Content-Length, or while streaming when chunked.
  const long = Buffer.concat([bytes, Buffer.alloc(64)]);
  await expect(tn.loadLayersModel(put('long', [{ paths: ['w.bin'], weights: artifacts.weightSpecs }], { 'w.bin': long }))).rejects.toThrow(/more bytes than the \d+ expected/);
  await expect(tn.loadLayersModel(put('longc', [{ paths: ['w.bin'], weights: artifacts.weightSpecs }], { 'w.bin': long }, true))).rejects.toThrow(/more bytes than the \d+ expected/);
  await expect(tn.loadLayersModel(put('short', [{ paths: ['w.bin'], weights: artifacts.weightSpecs }], { 'w.bin': bytes.subarray(8) }))).rejects.toThrow(/hold \d+ bytes, but their weights/);
  // A manifest asking for a huge weight: refused before any weight file is requested.
  const n = server.requests.length;
  const huge = [{ paths: ['w.bin'], weights: [{ name: 'x', shape: [1e6, 1e6], dtype: 'float32' }] }];
  await expect(tn.loadLayersModel(put('huge', huge, { 'w.bin': bytes }))).rejects.toThrow(/exceeds/);
  expect(since(n)).toEqual(['/huge/model.json']);
  server.routes.set('/bad/model.json', { body: '{not json' });
  await expect(tn.loadLayersModel(`${base}/bad/model.json`)).rejects.toThrow(/not valid JSON/);
  server.routes.set('/empty/model.json', { body: '{}' });
  await expect(tn.loadLayersModel(`${base}/empty/model.json`)).rejects.toThrow(/neither 'modelTopology' nor 'weightsManifest'/);
  expect(() => tn.io.http('')).toThrow(tn.ValueError);
  expect(() => tn.io.http(`${base}/x`, { requestInit: { body: 'x' } })).toThrow(/no body/);
  expect(() => tn.io.http(`${base}/x`, { fetchFunc: 3 as Any })).toThrow(/fetchFunc/);
});
