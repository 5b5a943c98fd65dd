// tf.io against @tensorflow/tfjs: fileSystem, withSaveHandler and fromMemory handlers with model.save and
// loadLayersModel, encodeWeights/decodeWeights bytes, getModelArtifactsInfoForJSON; bad artifacts are typed errors.
import * as os from 'os';
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';
import { expectClose, randomArray } from '../helpers/gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-tfjs-io-'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

function small(): tn.LayersModel {
  tn.setSeed(2);
  return tn.sequential({ layers: [tn.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), tn.layers.dense({ units: 2 })] });
}
const x = (): tn.Tensor => tn.tensor(randomArray(5 * 4, 1), [5, 4]);

test('encodeWeights gives the bytes and specs tfjs gives; decodeWeights reads tfjs-encoded bytes', async () => {
  const T = tf();
  const a = randomArray(6, 3);
  const theirs = await T.io.encodeWeights({ a: T.tensor(a, [2, 3]), b: T.tensor([7, -2], [2], 'int32') });
  const mine = await tn.io.encodeWeights({ a: tn.tensor(a, [2, 3]), b: tn.tensor([7, -2], [2], { dtype: 'int32' }) });
  expect(mine.specs).toEqual(theirs.specs);
  expect(Buffer.from(mine.data).equals(Buffer.from(theirs.data))).toBe(true);
  const decoded = tn.io.decodeWeights(theirs.data, theirs.specs as Any);
  expect(decoded.a.shape).toEqual([2, 3]);
  expect(Array.from(decoded.a.dataSync())).toEqual(Array.from(a));
  expect(decoded.b.dtype).toBe('int32');
  expect(Array.from(decoded.b.dataSync())).toEqual([7, -2]);
  // The list form.
  expect((await tn.io.encodeWeights([{ name: 'a', tensor: tn.tensor(a, [2, 3]) }])).specs).toEqual([theirs.specs[0]]);
  expect(() => tn.io.decodeWeights(new ArrayBuffer(8), theirs.specs as Any)).toThrow(/decodeWeights: the buffer holds 8 bytes, but the specs \[a, b\] take 32/);
});

test('withSaveHandler receives the artifacts tfjs would write; tfjs loads them to the same predictions', async () => {
  const T = tf();
  const model = small();
  let artifacts: Any = null;
  const result = await model.save(tn.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: tn.io.getModelArtifactsInfoForJSON(a) };
  }));
  expect(artifacts.format).toBe('layers-model');
  expect(artifacts.weightSpecs.map((s: Any) => s.name)).toEqual(model.weights.map((w) => w.name));
  const info = (result as Any).modelArtifactsInfo;
  const theirInfo = T.io.getModelArtifactsInfoForJSON(artifacts);
  expect({ ...info, dateSaved: 0 }).toEqual({ ...theirInfo, dateSaved: 0 });
  const theirs = await T.loadLayersModel(T.io.fromMemory(artifacts));
  expectClose(theirs.predict(T.tensor(x().dataSync(), [5, 4])).dataSync(), (model.predict(x()) as tn.Tensor).dataSync(), 1e-6, 1e-7);
});

test('fileSystem: model.save(tn.io.fileSystem(dir)) equals save("file://dir"); load reads it back bit-identically', async () => {
  const model = small();
  const a = path.join(tmp, 'a');
  const b = path.join(tmp, 'b');
  const r = (await model.save(tn.io.fileSystem(a))) as Any;
  expect(r.modelArtifactsInfo.modelTopologyType).toBe('JSON');
  expect(r.modelArtifactsInfo.weightDataBytes).toBe((4 * 3 + 3 + 3 * 2 + 2) * 4);
  expect(((await model.save(`file://${b}`)) as Any).modelArtifactsInfo.weightDataBytes).toBe(r.modelArtifactsInfo.weightDataBytes);
  expect((await fsp.readFile(path.join(a, 'weights.bin'))).equals(await fsp.readFile(path.join(b, 'weights.bin')))).toBe(true);
  const loaded = await tn.loadLayersModel(tn.io.fileSystem(path.join(a, 'model.json')));
  loaded.weights.forEach((w, i) => expect(Buffer.from(w.value.dataSync().buffer).equals(Buffer.from(model.weights[i].value.dataSync().buffer))).toBe(true));
  const artifacts = await tn.io.fileSystem(`file://${a}`).load();
  expect(artifacts.weightSpecs!.length).toBe(4);
  expect(artifacts.weightData!.byteLength).toBe(r.modelArtifactsInfo.weightDataBytes);
  // The model.json helpers, as tfjs.
  const json = JSON.parse(await fsp.readFile(path.join(a, 'model.json'), 'utf8'));
  expect(tn.io.getWeightSpecs(json.weightsManifest)).toEqual(tf().io.getWeightSpecs(json.weightsManifest));
  const viaJson = await tn.io.getModelArtifactsForJSON(json, async (m) => [tn.io.getWeightSpecs(m), artifacts.weightData!]);
  expect(viaJson.weightSpecs).toEqual(artifacts.weightSpecs);
  expect(tn.io.getModelArtifactsForJSONSync(json, artifacts.weightSpecs, artifacts.weightData).modelTopology).toEqual(json.modelTopology);
});

test('fromMemory: artifacts or (topology, specs, data) load here; tfjs-node-style sharded files load through fileSystem', async () => {
  const T = tf();
  const m = T.sequential({ layers: [T.layers.dense({ units: 2, inputShape: [3] })] });
  let a: Any = null;
  await m.save(T.io.withSaveHandler(async (art: Any) => ((a = art), { modelArtifactsInfo: T.io.getModelArtifactsInfoForJSON(art) })));
  const xs = randomArray(2 * 3, 4);
  const want = m.predict(T.tensor(xs, [2, 3])).dataSync();
  for (const h of [tn.io.fromMemory(a), tn.io.fromMemory(a.modelTopology, a.weightSpecs, a.weightData), tn.io.fromMemorySync(a)]) {
    const loaded = await tn.loadLayersModel(h);
    expectClose((loaded.predict(tn.tensor(xs, [2, 3])) as tn.Tensor).dataSync(), want, 1e-6, 1e-7);
  }
  // Two shards, as tfjs-node writes larger models.
  const dir = path.join(tmp, 'sharded');
  await fsp.mkdir(dir, { recursive: true });
  const bytes = Buffer.from(a.weightData);
  await fsp.writeFile(path.join(dir, 's1.bin'), bytes.subarray(0, 10));
  await fsp.writeFile(path.join(dir, 's2.bin'), bytes.subarray(10));
  await fsp.writeFile(path.join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['s1.bin', 's2.bin'], weights: a.weightSpecs }] }));
  const loaded = await tn.loadLayersModel(tn.io.fileSystem(dir));
  expectClose((loaded.predict(tn.tensor(xs, [2, 3])) as tn.Tensor).dataSync(), want, 1e-6, 1e-7);
});

test('bad handlers and artifacts are typed errors naming what is wrong', async () => {
  const T = tf();
  const m = T.sequential({ layers: [T.layers.dense({ units: 2, inputShape: [3] })] });
  let a: Any = null;
  await m.save(T.io.withSaveHandler(async (art: Any) => ((a = art), { modelArtifactsInfo: T.io.getModelArtifactsInfoForJSON(art) })));
  await expect(tn.loadLayersModel(tn.io.fromMemory({ ...a, weightData: a.weightData.slice(0, 8) }))).rejects.toThrow(/loadLayersModel\(IOHandler\): 'weightData' holds 8 bytes, but 'weightSpecs' \[.*\] take 32/);
  await expect(tn.loadLayersModel(tn.io.fromMemory({ ...a, modelTopology: { class_name: 'Nope', config: {} } }))).rejects.toThrow(tn.ModelFileError);
  await expect(tn.loadLayersModel(tn.io.fromMemory({ ...a, format: 'graph-model' }))).rejects.toThrow(/only 'layers-model'/);
  await expect(tn.loadLayersModel({ load: async () => 42 } as Any)).rejects.toThrow(/load\(\) must resolve to model artifacts/);
  await expect(tn.loadLayersModel(tn.io.fileSystem(path.join(tmp, 'missing')))).rejects.toThrow(/not found/);
  expect(() => tn.io.fileSystem('')).toThrow(tn.ValueError);
  expect(() => tn.io.withSaveHandler(42 as Any)).toThrow(/withSaveHandler: expected a function, got number/);
  await expect(tn.io.encodeWeights({ a: 3 as Any })).rejects.toThrow(/encodeWeights: 'a' is not a Tensor/);
});
