// Model directories of format version 1 (conv kernels [filters, kh, kw, in]) load into today's [kh, kw, in, filters] layout.

import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { MODEL_FORMAT_VERSION } from '../../lib/io/model_files';

const V1 = path.join(__dirname, '..', 'fixtures', 'io', 'model-v1');
const expected = JSON.parse(fs.readFileSync(path.join(V1, 'expected.json'), 'utf8'));

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
};

test('a version-1 model (saved by the old code, predictions recorded then) loads with HWIO kernels and predicts the same', async () => {
  const json = JSON.parse(fs.readFileSync(path.join(V1, 'model.json'), 'utf8'));
  expect(json.version).toBe(1);
  const stored = json.weightsManifest.find((w: { name: string }) => w.name === 'conv2d/kernel');
  expect(stored.shape).toEqual([3, 2, 3, 2]); // [filters, kh, kw, in] as version 1 stored it

  const model = await tn.loadModel(V1, { device: 'cpu' });
  const kernel = model.layers[0].weights.find((v) => v.name === 'conv2d/kernel')!;
  expect(kernel.shape).toEqual([2, 3, 2, 3]);
  const x = tn.tensor(Float32Array.from(expected.input), expected.inputShape, { device: 'cpu' });
  const y = model.predict(x) as tn.Tensor;
  expect(y.shape).toEqual(expected.outputShape);
  close(await y.data(), expected.output);

  // The optimizer's moments of the kernels were converted too: training goes on without a shape error.
  expect(model.optimizer).toBeTruthy();
  const state = model.optimizer!.getState();
  const slot = Object.entries(state.slots).find(([k]) => k.startsWith('conv2d/kernel/'));
  expect(slot![1].shape).toEqual([2, 3, 2, 3]);
  await model.fit(x, tn.zeros([3, 4], { device: 'cpu' }), { epochs: 1, batchSize: 3, verbose: 0 });

  // Saving writes the current version, which loads back to the same outputs.
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mu-')), 'model');
  await model.save(dir);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).version).toBe(MODEL_FORMAT_VERSION);
  const again = await tn.loadModel(dir, { device: 'cpu' });
  close(await (again.predict(x) as tn.Tensor).data(), await (model.predict(x) as tn.Tensor).data(), 0);
  model.dispose();
  again.dispose();
});

test('an unknown format version is refused with the versions this build reads', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mu-')), 'model');
  fs.cpSync(V1, dir, { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  json.version = 99;
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  await expect(tn.loadModel(dir)).rejects.toThrow(/format version 99 is not supported \(this tensornode reads versions 1, 2, 3\)/);
});

/** Renames tensors in a safetensors file in place (the header is JSON after an 8-byte length; offsets are kept). */
function renameSafetensors(file: string, rename: (key: string) => string): void {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const renamed = Object.fromEntries(Object.entries(header).map(([k, v]) => [k === '__metadata__' ? k : rename(k), v]));
  let text = JSON.stringify(renamed);
  text += ' '.repeat((8 - ((8 + Buffer.byteLength(text)) % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  fs.writeFileSync(file, Buffer.concat([len, Buffer.from(text), buf.subarray(8 + n)]));
}

test('a version-2 model with wrapped layers (their weights stored under the inner names) loads under tfjs names', async () => {
  const model = tn.sequential({
    layers: [
      tn.layers.bidirectional({ layer: tn.layers.lstm({ units: 2, returnSequences: true, name: 'enc' }), inputShape: [3, 2], name: 'bi' }),
      tn.layers.timeDistributed({ layer: tn.layers.dense({ units: 2, name: 'proj' }), name: 'td' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = tn.randn([2, 3, 2], { seed: 1 });
  await model.fit(x, tn.randn([2, 3, 2], { seed: 2 }), { epochs: 1, verbose: 0 });
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mu-')), 'model');
  await model.save(dir);
  // Rewrite it as version 2 stored it: 'forward_enc/kernel', 'proj/kernel' (and their Adam slots alike).
  const old = (k: string): string => k.replace(/^bi\//, '').replace(/^td\//, 'proj/');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  json.version = 2;
  for (const w of json.weightsManifest) w.name = old(w.name);
  expect(json.weightsManifest.map((w: { name: string }) => w.name)).toContain('forward_enc/kernel');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors'))) renameSafetensors(path.join(dir, f), old);
  // model.json records each file's sha256 ('weights.safetensors' -> weightsSha256, 'optimizer...' -> optimizerSha256).
  for (const [key, file] of [['weightsSha256', 'weights.safetensors'], ['optimizerSha256', 'optimizer.safetensors']]) {
    if (json[key]) json[key] = createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');
  }
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));

  const loaded = await tn.loadModel(dir, { device: 'cpu' });
  expect(loaded.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
  expect(loaded.weights.map((w) => w.name)).toContain('bi/forward_enc/kernel');
  close(await (loaded.predict(x) as tn.Tensor).data(), await (model.predict(x) as tn.Tensor).data(), 0);
  // The optimizer state came along under the new names: training continues.
  await loaded.fit(x, tn.randn([2, 3, 2], { seed: 2 }), { epochs: 1, verbose: 0 });
  model.dispose();
  loaded.dispose();
});
