// tf.io routers, CompositeArrayBuffer, loadWeights, weightsLoaderFactory and decodeWeightsStream against
// @tensorflow/tfjs: same bytes, same URLs fetched, same tensors; bad manifests refused before anything is fetched.
import * as os from 'os';
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';
import { randomArray } from '../helpers/gradcheck';
import { startServer, type TestServer } from '../helpers/http_server';
import { mulberry32 } from '../../lib/data/prng';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let server: TestServer;
let tmp: string;
beforeAll(async () => {
  server = await startServer();
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-weights-'));
});
afterAll(async () => {
  await server.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

const rng = mulberry32(7);
const randomBytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));

test('CompositeArrayBuffer: byteLength, slice (clipped, NaN, inverted, across shards) and join equal tfjs', () => {
  const T = tf();
  const shards = [randomBytes(5), randomBytes(0), randomBytes(8), randomBytes(3)].map((b) => b.slice().buffer);
  const mine = new tn.io.CompositeArrayBuffer(shards);
  const theirs = new T.io.CompositeArrayBuffer(shards);
  expect(mine.byteLength).toBe(theirs.byteLength);
  const cases: [number, number][] = [[0, 16], [2, 7], [4, 14], [13, 16], [-3, 4], [5, 100], [9, 3], [NaN, 6], [3, NaN], [7, 7]];
  for (let i = 0; i < 20; i++) cases.push([Math.floor(rng() * 18) - 1, Math.floor(rng() * 18)]);
  for (const [s, e] of cases) expect(Buffer.from(mine.slice(s, e)).equals(Buffer.from(theirs.slice(s, e)))).toBe(true);
  expect(Buffer.from(mine.slice()).equals(Buffer.from(theirs.slice()))).toBe(true);
  expect(Buffer.from(tn.io.CompositeArrayBuffer.join(shards)).equals(Buffer.from(T.io.CompositeArrayBuffer.join(shards)))).toBe(true);
  // Typed arrays that own their buffer read the same; a view into a larger buffer contributes only its bytes here.
  const typed = [new Float32Array([1.5, -2]), new Int32Array([7])];
  expect(Buffer.from(tn.io.CompositeArrayBuffer.join(typed)).equals(Buffer.from(T.io.CompositeArrayBuffer.join(typed)))).toBe(true);
  const view = new Uint8Array(shards[2], 2, 3);
  expect(Array.from(new Uint8Array(tn.io.CompositeArrayBuffer.join(view)))).toEqual(Array.from(view));
  expect(tn.io.concatenateArrayBuffers(shards).byteLength).toBe(16);
  expect(() => new tn.io.CompositeArrayBuffer([42 as Any])).toThrow(tn.ValueError);
});

/** A manifest of two groups (one of them sharded and quantized) and its files. */
function manifestAndFiles(): { manifest: Any; files: Record<string, Buffer>; specs: Any[]; bytes: Buffer } {
  const a = new Float32Array(randomArray(6, 1));
  const b = Int32Array.from(STORED_INT32['l1/b']);
  const q = QUANT;
  const c = new Float32Array(randomArray(5, 2));
  const g1 = Buffer.concat([Buffer.from(a.buffer), Buffer.from(b.buffer), Buffer.from(q)]);
  const specs1 = [
    { name: 'l1/a', shape: [2, 3], dtype: 'float32' },
    { name: 'l1/b', shape: [3], dtype: 'int32' },
    { name: 'l1/q', shape: [2, 2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.25, min: -1.5 } },
  ];
  const specs2 = [{ name: 'l2/c', shape: [5], dtype: 'float32' }];
  const manifest = [
    { paths: ['g1-1.bin', 'g1-2.bin'], weights: specs1 },
    { paths: ['g2.bin'], weights: specs2 },
  ];
  const g2 = Buffer.from(c.buffer);
  return { manifest, files: { 'g1-1.bin': g1.subarray(0, 11), 'g1-2.bin': g1.subarray(11), 'g2.bin': g2 }, specs: [...specs1, ...specs2], bytes: Buffer.concat([g1, g2]) };
}

// Inside Jest's vm context tfjs decodes int32 and uint8-quantized weights wrongly (Jest mixes typed arrays of two
// realms; in plain Node tfjs gives the stored values): those are compared with the values that were stored.
const STORED_INT32: Record<string, number[]> = { 'l1/b': [3, -9, 12] };
const QUANT = randomBytes(4);
const STORED: Record<string, number[]> = { ...STORED_INT32, 'l1/q': Array.from(QUANT, (v) => v * 0.25 - 1.5) };
const same = (mine: Record<string, tn.Tensor>, theirs: Any): void => {
  expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
  for (const k of Object.keys(theirs)) {
    expect(mine[k].shape).toEqual(theirs[k].shape);
    expect(mine[k].dtype).toBe(theirs[k].dtype);
    expect(Array.from(mine[k].dataSync())).toEqual(k in STORED ? STORED[k] : Array.from(theirs[k].dataSync()));
  }
};

test('weightsLoaderFactory: the same URLs requested and the same tensors as tfjs, all weights or some', async () => {
  const T = tf();
  const { manifest, files } = manifestAndFiles();
  const loader = (seen: string[][]) => async (urls: string[]) => {
    seen.push(urls);
    return urls.map((u) => {
      const b = files[u.slice(u.lastIndexOf('/') + 1)];
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    });
  };
  for (const [prefix, names] of [['', undefined], ['some/dir', undefined], ['some/dir/', ['l2/c']], ['p', ['l1/q', 'l1/a']]] as [string, string[] | undefined][]) {
    const [ms, ts]: string[][][] = [[], []];
    const mine = await tn.io.weightsLoaderFactory(loader(ms))(manifest, prefix, names);
    const theirs = await T.io.weightsLoaderFactory(loader(ts))(manifest, prefix, names);
    expect(ms).toEqual(ts);
    same(mine, theirs);
  }
  // A name the manifest lacks fails in both.
  await expect(T.io.weightsLoaderFactory(loader([]))(manifest, '', ['nope'])).rejects.toThrow();
  await expect(tn.io.weightsLoaderFactory(loader([]))(manifest, '', ['nope'])).rejects.toThrow(/no weight named 'nope'/);
});

test('weightsLoaderFactory: bad manifests are refused before the fetch function runs; wrong sizes are typed errors', async () => {
  const { manifest, files } = manifestAndFiles();
  let calls = 0;
  const fetchAll = async (urls: string[]) => (calls++, urls.map((u) => files[u.slice(u.lastIndexOf('/') + 1)]));
  const load = tn.io.weightsLoaderFactory(fetchAll);
  for (const bad of [
    [{ paths: ['g2.bin'], weights: [{ name: 'x', shape: [1e6, 1e6], dtype: 'float32' }] }],
    [{ paths: ['g2.bin'], weights: [{ name: 'x', shape: [-1], dtype: 'float32' }] }],
    [{ paths: ['g2.bin'], weights: [{ name: 'x', shape: [5], dtype: 'complex64' }] }],
    [{ paths: ['g2.bin'], weights: [{ name: 'x', shape: [5], dtype: 'float32', quantization: { dtype: 'uint8' } }] }],
    { paths: [] },
  ]) {
    await expect(load(bad as Any)).rejects.toThrow(tn.ModelFileError);
  }
  expect(calls).toBe(0);
  const short = [{ paths: ['g2.bin'], weights: [{ name: 'x', shape: [6], dtype: 'float32' }] }];
  await expect(load(short as Any)).rejects.toThrow(/hold 20 bytes, but their weights \[x\] take 24/);
  await expect(tn.io.weightsLoaderFactory(async () => [])(manifest)).rejects.toThrow(/one buffer per URL/);
  expect(() => tn.io.weightsLoaderFactory(3 as Any)).toThrow(tn.ValueError);
});

test('loadWeights: over http as tfjs (prefix, names, requestInit), and from a local directory', async () => {
  const T = tf();
  const { manifest, files } = manifestAndFiles();
  for (const [k, v] of Object.entries(files)) server.routes.set(`/w/${k}`, { body: v });
  const prefix = `${server.base}/w`;
  for (const names of [undefined, ['l1/b', 'l2/c']]) {
    let n = server.requests.length;
    await T.io.loadWeights(manifest, prefix, names, { headers: { 'x-k': '1' } });
    const theirUrls = server.requests.slice(n).map((r) => r.url).sort();
    // tfjs decodes fetch's buffers wrongly inside Jest's vm context (they come from Node's realm): its values are
    // taken from the same files through its weightsLoaderFactory instead.
    const fromFiles = async (urls: string[]) => urls.map((u) => new Uint8Array(files[u.slice(u.lastIndexOf('/') + 1)]).buffer);
    const theirs = await T.io.weightsLoaderFactory(fromFiles)(manifest, prefix, names);
    n = server.requests.length;
    const mine = await tn.io.loadWeights(manifest, prefix, names, { headers: { 'x-k': '1' } });
    const myReqs = server.requests.slice(n);
    expect(myReqs.map((r) => r.url).sort()).toEqual(theirUrls);
    expect(myReqs.every((r) => r.headers['x-k'] === '1')).toBe(true);
    same(mine, theirs);
    // The same files on disk, by path and by file:// URL.
    const dir = path.join(tmp, 'w');
    await fsp.mkdir(dir, { recursive: true });
    for (const [k, v] of Object.entries(files)) await fsp.writeFile(path.join(dir, k), v);
    same(await tn.io.loadWeights(manifest, dir, names), theirs);
    same(await tn.io.loadWeights(manifest, `file://${dir}`, names), theirs);
  }
  await expect(tn.io.loadWeights(manifest, path.join(tmp, 'missing'))).rejects.toThrow(/not found/);
  await expect(tn.io.loadWeights(manifest, `${server.base}/nothing`)).rejects.toThrow(/answered 404/);
});

test('decodeWeightsStream: the tensors tfjs decodes from a stream split at random points; a short stream is an error', async () => {
  const T = tf();
  const { specs, bytes } = manifestAndFiles();
  const streamOf = (cuts: number[]): ReadableStream<Uint8Array> => {
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const c of [...cuts, bytes.length]) {
      parts.push(new Uint8Array(bytes.subarray(at, c)));
      at = c;
    }
    return new ReadableStream({
      pull(controller) {
        const p = parts.shift();
        if (p) controller.enqueue(p);
        else controller.close();
      },
    });
  };
  for (let k = 0; k < 4; k++) {
    const cuts = Array.from({ length: 1 + k * 2 }, () => Math.floor(rng() * bytes.length)).sort((a, b) => a - b);
    same(await tn.io.decodeWeightsStream(streamOf(cuts), specs), await T.io.decodeWeightsStream(streamOf(cuts), specs));
  }
  const cut = new ReadableStream({ pull: (c) => (c.enqueue(new Uint8Array(bytes.subarray(0, 30))), c.close()) });
  await expect(tn.io.decodeWeightsStream(cut, specs)).rejects.toThrow(/ended 6 bytes short of weight 'l1\/b'/);
});

test('routers: a registered scheme is used by model.save and loadLayersModel; handler lists as in tfjs', async () => {
  const T = tf();
  for (const lib of [T, tn] as Any[]) {
    const store = new Map<string, Any>();
    const router = (url: Any) => (typeof url === 'string' && url.startsWith('mem://') ? {
      save: async (a: Any) => (store.set(url, a), { modelArtifactsInfo: lib.io.getModelArtifactsInfoForJSON(a) }),
      load: async () => store.get(url),
    } : null);
    lib.io.registerSaveRouter(router);
    lib.io.registerLoadRouter(router);
    expect(lib.io.getSaveHandlers('mem://x').length).toBe(1);
    expect(lib.io.getLoadHandlers('mem://x').length).toBe(1);
    expect(lib.io.getLoadHandlers('other://x').length).toBe(0);
    expect(lib.io.getLoadHandlers(`${server.base}/m.json`).length).toBe(1); // the built-in http(s) router
  }
  // Save with tensornode through the router, load it back in both libraries through theirs.
  tn.setSeed(3);
  const model = tn.sequential({ layers: [tn.layers.dense({ units: 2, inputShape: [3] })] });
  const saved: Any = await model.save('mem://one');
  expect(saved.modelArtifactsInfo.weightDataBytes).toBe((3 * 2 + 2) * 4);
  const xs = randomArray(6, 5);
  const mine = await tn.loadLayersModel('mem://one');
  const artifacts = await (tn.io.getLoadHandlers('mem://one')[0] as Any).load();
  const theirs = await T.loadLayersModel(T.io.fromMemory(artifacts));
  expect(Array.from((mine.predict(tn.tensor(xs, [2, 3])) as tn.Tensor).dataSync())).toEqual(Array.from((model.predict(tn.tensor(xs, [2, 3])) as tn.Tensor).dataSync()));
  const diff = theirs.predict(T.tensor(xs, [2, 3])).dataSync().map((v: number, i: number) => Math.abs(v - (model.predict(tn.tensor(xs, [2, 3])) as tn.Tensor).dataSync()[i]));
  expect(Math.max(...diff)).toBeLessThan(1e-6);
  // Two routers for one URL: an error in both; so is a scheme no router takes.
  const dup = (url: Any) => (String(url).startsWith('mem://') ? { save: async () => ({}), load: async () => ({}) } : null);
  tn.io.registerSaveRouter(dup);
  tn.io.registerLoadRouter(dup);
  T.io.registerLoadRouter(dup);
  await expect(T.loadLayersModel('mem://one')).rejects.toThrow(/more than one/);
  await expect(tn.loadLayersModel('mem://one')).rejects.toThrow(/found 2 load handlers/);
  await expect(model.save('mem://one')).rejects.toThrow(/found 2 save handlers/);
  await expect(model.save('nowhere://x')).rejects.toThrow(/no save handler/);
  await expect(tn.loadLayersModel('nowhere://x')).rejects.toThrow(/no load handler/);
  expect(() => tn.io.registerLoadRouter(5 as Any)).toThrow(tn.ValueError);
  // file:// is a router too (tfjs-node's): its handler is the file system one.
  expect(tn.io.getSaveHandlers('file:///tmp/x')[0]).toBeInstanceOf(tn.io.fileSystem('x').constructor);
});
