// tf.models.modelFromJSON against @tensorflow/tfjs: a tfjs topology with a weights manifest served over http (and
// from a local directory) gives tfjs's predictions; a bare topology gives the architecture; the top-level
// modelFromJSON takes the same topologies synchronously.
import * as os from 'os';
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';
import { expectClose, randomArray } from '../helpers/gradcheck';
import { startServer, type TestServer } from '../helpers/http_server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let server: TestServer;
let tmp: string;
let artifacts: Any;
let T: Any;
let tfModel: Any;
const xs = randomArray(3 * 4, 21);

beforeAll(async () => {
  server = await startServer();
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-mfj-'));
  T = tf();
  const input = T.input({ shape: [4] });
  const h = T.layers.dense({ units: 5, activation: 'relu' }).apply(input);
  const out = T.layers.dense({ units: 2, activation: 'softmax' }).apply(h);
  tfModel = T.model({ inputs: input, outputs: out });
  await tfModel.save(T.io.withSaveHandler(async (a: Any) => ((artifacts = a), { modelArtifactsInfo: T.io.getModelArtifactsInfoForJSON(a) })));
  server.routes.set('/mfj/w.bin', { body: Buffer.from(artifacts.weightData) });
  await fsp.writeFile(path.join(tmp, 'w.bin'), Buffer.from(artifacts.weightData));
});
afterAll(async () => {
  await server.close();
  await fsp.rm(tmp, { recursive: true, force: true });
});

test('models.modelFromJSON with a weights manifest gives the predictions tfjs gives (http and local prefixes)', async () => {
  const manifest = [{ paths: ['w.bin'], weights: artifacts.weightSpecs }];
  const want = tfModel.predict(T.tensor(xs, [3, 4])).dataSync();
  const n = server.requests.length;
  await T.models.modelFromJSON({ modelTopology: artifacts.modelTopology, weightsManifest: manifest, pathPrefix: `${server.base}/mfj` });
  const theirUrls = server.requests.slice(n).map((r) => r.url);
  const m = server.requests.length;
  const mine = await tn.models.modelFromJSON({ modelTopology: artifacts.modelTopology, weightsManifest: manifest, pathPrefix: `${server.base}/mfj` });
  expect(server.requests.slice(m).map((r) => r.url)).toEqual(theirUrls);
  expectClose((mine.predict(tn.tensor(xs, [3, 4])) as tn.Tensor).dataSync(), want, 1e-6, 1e-7);
  const local = await tn.models.modelFromJSON({ modelTopology: artifacts.modelTopology, weightsManifest: manifest, pathPrefix: tmp });
  expectClose((local.predict(tn.tensor(xs, [3, 4])) as tn.Tensor).dataSync(), want, 1e-6, 1e-7);
  // Weights the model lacks are ignored, as tfjs ignores them; a weight the manifest lacks is an error in both.
  const extra = [{ paths: ['w.bin'], weights: artifacts.weightSpecs }, { paths: ['none.bin'], weights: [{ name: 'unused', shape: [1], dtype: 'float32' }] }];
  expect((await tn.models.modelFromJSON({ modelTopology: artifacts.modelTopology, weightsManifest: extra, pathPrefix: tmp })).weights.length).toBe(4);
  const missing = [{ paths: ['w.bin'], weights: artifacts.weightSpecs.slice(0, 2) }];
  await expect(T.models.modelFromJSON({ modelTopology: artifacts.modelTopology, weightsManifest: missing, pathPrefix: tmp })).rejects.toThrow();
  await expect(tn.models.modelFromJSON({ modelTopology: artifacts.modelTopology, weightsManifest: missing, pathPrefix: tmp })).rejects.toThrow(/no weight named/);
});

test('a bare topology (snake_case or camelCase) gives the architecture with fresh weights, async and sync', async () => {
  const theirs = await T.models.modelFromJSON(artifacts.modelTopology);
  for (const m of [await tn.models.modelFromJSON(artifacts.modelTopology), await tn.models.modelFromJSON({ modelTopology: artifacts.modelTopology }), tn.modelFromJSON(artifacts.modelTopology)]) {
    expect(m.layers.map((l) => l.getClassName())).toEqual(theirs.layers.map((l: Any) => l.getClassName()));
    expect(m.weights.map((w) => w.shape)).toEqual(theirs.weights.map((w: Any) => w.shape));
    expect((m.predict(tn.tensor(xs, [3, 4])) as tn.Tensor).shape).toEqual([3, 2]);
  }
  // The converter's {model_config} wrapper, and tensornode's own toJSON.
  const wrapped = await tn.models.modelFromJSON({ model_config: artifacts.modelTopology, training_config: {} });
  expect(wrapped.weights.length).toBe(4);
  const own = tn.sequential({ layers: [tn.layers.dense({ units: 2, inputShape: [3] })] });
  expect((await tn.models.modelFromJSON(own.toJSON() as Any)).weights.map((w) => w.shape)).toEqual([[3, 2], [2]]);
  // Errors.
  await expect(tn.models.modelFromJSON(3 as Any)).rejects.toThrow(tn.ValueError);
  await expect(tn.models.modelFromJSON({ modelTopology: { class_name: 'Nope', config: { layers: [] } } })).rejects.toThrow(/unknown model class 'Nope'/);
  await expect(tn.models.modelFromJSON(artifacts.modelTopology, { Custom: class {} })).rejects.toThrow(/customObjects/);
  expect(() => tn.modelFromJSON({ modelTopology: artifacts.modelTopology, weightsManifest: [] } as Any)).toThrow(/async tf.models.modelFromJSON/);
});
