// Model directories: bit-identical save/load round trips (weights, outputs, optimizer state), atomic saves, and clear typed errors on corrupt or hostile files.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { parseSafetensors, serializeSafetensors } from '../../lib/io/safetensors';
import type { WriteFn } from '../../lib/io/atomic';
import { mulberry32 } from '../../lib/data/prng';
import { scalars } from '../helpers/model_values';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'mf-'));
const rng = mulberry32(21);
const randomTensor = (shape: number[], scale = 1): tn.Tensor =>
  tn.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng() * 2 - 1) * scale), shape, { device: 'cpu' });

/** A CNN with every kind of weight: conv kernel/bias, batch-norm gamma/beta and moving statistics, dense. */
function cnn(seed: number): tn.Sequential {
  tn.setSeed(seed);
  const model = tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }),
      tn.layers.batchNormalization(),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.flatten(),
      tn.layers.dropout({ rate: 0.25 }),
      tn.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  model.to('cpu');
  return model;
}

async function trained(seed: number): Promise<{ model: tn.Sequential; x: tn.Tensor; y: tn.Tensor }> {
  const model = cnn(seed);
  model.compile({ optimizer: tn.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = randomTensor([8, 6, 6, 2]);
  const y = tn.oneHot(tn.tensor(Int32Array.from({ length: 8 }, (_, i) => i % 4), [8], { dtype: 'int32', device: 'cpu' }), 4);
  await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, shuffle: false });
  return { model, x, y };
}

const bytesOf = async (t: tn.Tensor): Promise<Buffer> => Buffer.from((await t.data()).buffer);

test('save then load gives bit-identical weights, outputs and training settings on CPU', async () => {
  const { model, x } = await trained(1);
  const dir = path.join(tmp(), 'model');
  await model.save(dir);
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'optimizer.safetensors', 'weights.safetensors']);

  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  expect(json.format).toBe('tensornode-model');
  expect(json.version).toBe(3);
  expect(json.className).toBe('Sequential');
  expect(json.config.layers.map((l: { className: string }) => l.className)).toEqual(['Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']);
  expect(json.trainingConfig.optimizer.className).toBe('Adam');
  expect(json.trainingConfig.loss).toBe('categoricalCrossentropy');
  const names = model.weights.map((v) => v.name);
  expect(json.weightsManifest.map((w: { name: string }) => w.name)).toEqual(names);
  const conv = model.layers[0].name;
  const bn = model.layers[1].name;
  expect(names).toEqual(expect.arrayContaining([`${conv}/kernel`, `${conv}/bias`, `${bn}/moving_mean`, `${bn}/moving_variance`]));

  // The weights file is plain safetensors: every weight by name, with the format metadata.
  const stored = parseSafetensors(fs.readFileSync(path.join(dir, 'weights.safetensors')));
  expect(stored.metadata).toEqual({ format: 'tensornode' });
  expect([...stored.tensors.keys()].sort()).toEqual([...names].sort());

  const loaded = await tn.loadModel(dir, { device: 'cpu' });
  expect(loaded.device).toBe('cpu');
  expect(loaded.weights.map((v) => v.name)).toEqual(names);
  for (let i = 0; i < names.length; i++) {
    expect(loaded.weights[i].shape).toEqual(model.weights[i].shape);
    expect((await bytesOf(loaded.weights[i].value)).equals(await bytesOf(model.weights[i].value))).toBe(true);
  }
  expect((await bytesOf(loaded.predict(x))).equals(await bytesOf(model.predict(x)))).toBe(true);
  // Compiled from trainingConfig: evaluate works and agrees.
  const y = tn.oneHot(tn.tensor(Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3]), [8], { dtype: 'int32', device: 'cpu' }), 4);
  expect(await scalars(loaded.evaluate(x, y))).toEqual(await scalars(model.evaluate(x, y)));
  model.dispose();
  loaded.dispose();
});

test('the optimizer state round trips: training resumed from a loaded model matches uninterrupted training exactly', async () => {
  const { model, x, y } = await trained(2);
  const dir = tmp();
  await model.save(dir);
  const loaded = await tn.loadModel(dir, { device: 'cpu' });
  const st = loaded.optimizer!.getState();
  const orig = model.optimizer!.getState();
  expect(st.iterations).toBe(orig.iterations);
  expect(st.steps).toEqual(orig.steps);
  expect(Object.keys(st.slots).sort()).toEqual(Object.keys(orig.slots).sort());
  for (const k of Object.keys(orig.slots)) expect((await bytesOf(st.slots[k])).equals(await bytesOf(orig.slots[k]))).toBe(true);

  // Dropout draws from the global seed: the same seed before each step gives both the same mask.
  tn.setSeed(99);
  await model.trainOnBatch(x, y);
  tn.setSeed(99);
  await loaded.trainOnBatch(x, y);
  for (let i = 0; i < model.weights.length; i++) {
    expect((await bytesOf(loaded.weights[i].value)).equals(await bytesOf(model.weights[i].value))).toBe(true);
  }
  // Control: the same step from fresh Adam moments lands elsewhere, so the match above is the restored state's doing.
  const fresh = await tn.loadModel(dir, { device: 'cpu', loadOptimizer: false });
  tn.setSeed(99);
  await fresh.trainOnBatch(x, y);
  expect((await bytesOf(fresh.weights[0].value)).equals(await bytesOf(model.weights[0].value))).toBe(false);
  model.dispose();
  loaded.dispose();
  fresh.dispose();
});

test('includeOptimizer: false writes no optimizer file (and removes a stale one); an uncompiled model saves with trainingConfig null', async () => {
  const { model } = await trained(3);
  const dir = tmp();
  await model.save(dir);
  await model.save(dir, { includeOptimizer: false });
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.safetensors']);
  const loaded = await tn.loadModel(dir, { device: 'cpu' });
  expect(loaded.optimizer!.getState().iterations).toBe(0);
  loaded.dispose();

  const plain = cnn(4);
  plain.build();
  const dir2 = tmp();
  await tn.saveModel(plain, dir2);
  expect(JSON.parse(fs.readFileSync(path.join(dir2, 'model.json'), 'utf8')).trainingConfig).toBeNull();
  const back = await tn.loadModel(dir2, { device: 'cpu' });
  expect(back.optimizer).toBeNull();
  expect((await bytesOf(back.weights[0].value)).equals(await bytesOf(plain.weights[0].value))).toBe(true);
  model.dispose();
  plain.dispose();
  back.dispose();
});

test('a save that fails mid-way (full disk) leaves the previous files intact and loadable', async () => {
  const a = await trained(5);
  const dir = tmp();
  await a.model.save(dir);
  const before = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
  const expected = await a.model.predict(a.x).data();

  const b = await trained(6);
  // Fail the k-th file write of the save: 1 = weights, 2 = optimizer, 3 = model.json (after both were replaced).
  for (const k of [1, 2, 3]) {
    let n = 0;
    const write: WriteFn = async (handle, data) => {
      if (++n === k) {
        await handle.write(data, 0, Math.floor(data.length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      await handle.write(data, 0, data.length);
    };
    await expect(tn.saveModel(b.model, dir, { write })).rejects.toThrow(/ENOSPC/);
    const after = fs.readdirSync(dir).sort();
    expect(after).toEqual(Object.keys(before).sort());
    for (const f of after) expect(fs.readFileSync(path.join(dir, f)).equals(before[f])).toBe(true);
    const loaded = await tn.loadModel(dir, { device: 'cpu' });
    expect(Array.from(await loaded.predict(a.x).data())).toEqual(Array.from(expected));
    loaded.dispose();
  }
  // A successful save then replaces everything.
  await b.model.save(dir);
  const loaded = await tn.loadModel(dir, { device: 'cpu' });
  expect(Array.from(await loaded.predict(a.x).data())).toEqual(Array.from(await b.model.predict(a.x).data()));
  a.model.dispose();
  b.model.dispose();
  loaded.dispose();
});

test('a crash after the new weights landed but before model.json did loads the previous model from the kept file', async () => {
  const a = await trained(7);
  const b = await trained(8);
  const dirA = tmp();
  const dirB = tmp();
  await a.model.save(dirA);
  await b.model.save(dirB);
  // The state a crash between the weights rename and the model.json rename leaves behind.
  fs.copyFileSync(path.join(dirA, 'weights.safetensors'), path.join(dirA, 'weights.prev.safetensors'));
  fs.copyFileSync(path.join(dirB, 'weights.safetensors'), path.join(dirA, 'weights.safetensors'));
  const loaded = await tn.loadModel(dirA, { device: 'cpu' });
  expect(Array.from(await loaded.predict(a.x).data())).toEqual(Array.from(await a.model.predict(a.x).data()));
  loaded.dispose();
  // Without the kept file the mismatch is an error, not a silently different model.
  fs.unlinkSync(path.join(dirA, 'weights.prev.safetensors'));
  await expect(tn.loadModel(dirA, { device: 'cpu' })).rejects.toThrow(/weights\.safetensors: its sha256 does not match model\.json's/);
  a.model.dispose();
  b.model.dispose();
});

describe('corrupt and hostile model directories fail with clear typed errors', () => {
  let good: string;
  let model: tn.Sequential;
  beforeAll(async () => {
    ({ model } = await trained(9));
    good = tmp();
    await model.save(good);
  });
  afterAll(() => model.dispose());

  /** A copy of the good directory with `edit` applied. */
  const variant = (edit: (dir: string) => void): string => {
    const dir = tmp();
    for (const f of fs.readdirSync(good)) fs.copyFileSync(path.join(good, f), path.join(dir, f));
    edit(dir);
    return dir;
  };
  const editJson = (dir: string, f: (j: Record<string, any>) => void): void => {
    const file = path.join(dir, 'model.json');
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    f(j);
    fs.writeFileSync(file, JSON.stringify(j));
  };
  /** Replaces the weights file (and its sha256 in model.json, so the content checks are what fails). */
  const replaceWeights = (dir: string, bytes: Uint8Array): void => {
    fs.writeFileSync(path.join(dir, 'weights.safetensors'), bytes);
    editJson(dir, (j) => (j.weightsSha256 = require('crypto').createHash('sha256').update(bytes).digest('hex')));
  };
  const storedWeights = (): Map<string, { data: Float32Array; shape: number[] }> => {
    const t = parseSafetensors(fs.readFileSync(path.join(good, 'weights.safetensors'))).tensors;
    return new Map([...t].map(([k, v]) => [k, { data: new Float32Array(Uint8Array.from(v.bytes).buffer), shape: v.shape }]));
  };
  const load = (dir: string): Promise<tn.Sequential> => tn.loadModel(dir, { device: 'cpu' });

  test('missing directory or model.json', async () => {
    await expect(load(path.join(good, 'nope'))).rejects.toThrow(tn.ModelFileError);
    await expect(load(path.join(good, 'nope'))).rejects.toThrow(/model\.json: not found/);
  });

  test('model.json that is not JSON, not an object, or of another format/version/class', async () => {
    const bad = variant((d) => fs.writeFileSync(path.join(d, 'model.json'), '{"format": "tensornode-model", '));
    await expect(load(bad)).rejects.toThrow(/model\.json: not valid JSON/);
    await expect(load(variant((d) => fs.writeFileSync(path.join(d, 'model.json'), '[1, 2]')))).rejects.toThrow(/not a JSON object/);
    await expect(load(variant((d) => editJson(d, (j) => (j.format = 'keras'))))).rejects.toThrow(/'format' is "keras", expected 'tensornode-model'/);
    await expect(load(variant((d) => editJson(d, (j) => (j.version = 4))))).rejects.toThrow(/format version 4 is not supported/);
    await expect(load(variant((d) => editJson(d, (j) => (j.className = 'Functional'))))).rejects.toThrow(/unknown model class "Functional"/);
    await expect(load(variant((d) => editJson(d, (j) => (j.config.layers = 'x'))))).rejects.toThrow(/'config' must be/);
    await expect(load(variant((d) => editJson(d, (j) => (j.weightsManifest[0].shape = [-1]))))).rejects.toThrow(/weightsManifest\[0\] must be/);
  });

  test('an unknown layer class or an invalid layer option names the layer', async () => {
    const unknown = variant((d) => editJson(d, (j) => (j.config.layers[2].className = 'MyPool')));
    await expect(load(unknown)).rejects.toThrow(tn.ModelFileError);
    await expect(load(unknown)).rejects.toThrow(/layer 2 '\S+' \(MyPool\): .*unknown layer class "MyPool"/);
    const badOption = variant((d) => editJson(d, (j) => (j.config.layers[0].config.filters = -3)));
    await expect(load(badOption)).rejects.toThrow(/layer 0 '\S+' \(Conv2D\): .*'filters' must be a positive integer/);
  });

  test('an architecture that no longer matches the weights: wrong shape named with layer, weight, expected and actual', async () => {
    // 5 filters instead of 3: the conv kernel, bias and everything after change shape.
    const dir = variant((d) =>
      editJson(d, (j) => {
        j.config.layers[0].config.filters = 5;
        j.weightsManifest[0].shape = [3, 3, 2, 5];
      }),
    );
    const conv = model.layers[0].name;
    await expect(load(dir)).rejects.toThrow(new RegExp(`weight 'kernel' of layer '${conv}' has shape \\[3, 3, 2, 3\\], expected \\[3, 3, 2, 5\\]`));
  });

  test('a missing weight, an extra weight, a wrong dtype', async () => {
    const w = storedWeights();
    const bn = model.layers[1].name;
    const missing = new Map(w);
    missing.delete(`${bn}/moving_variance`);
    await expect(load(variant((d) => replaceWeights(d, serializeSafetensors(missing))))).rejects.toThrow(
      new RegExp(`missing weight 'moving_variance' of layer '${bn}' \\('${bn}/moving_variance', shape \\[3\\]\\)`),
    );
    const extra = new Map<string, { data: Float32Array | Float64Array; shape: number[] }>(w);
    extra.set('dense_99/kernel', { data: new Float32Array(4), shape: [2, 2] });
    await expect(load(variant((d) => replaceWeights(d, serializeSafetensors(extra))))).rejects.toThrow(/unexpected weight 'dense_99\/kernel'/);
    const f64 = new Map<string, { data: Float32Array | Float64Array; shape: number[] }>(w);
    f64.set(`${bn}/gamma`, { data: new Float64Array(3).fill(1), shape: [3] });
    await expect(load(variant((d) => replaceWeights(d, serializeSafetensors(f64))))).rejects.toThrow(
      new RegExp(`weight 'gamma' of layer '${bn}' has dtype F64, expected F32 \\(float32\\)`),
    );
  });

  test('truncated, garbage or hostile safetensors surface as SafetensorsError naming the file', async () => {
    const bytes = fs.readFileSync(path.join(good, 'weights.safetensors'));
    const truncated = variant((d) => replaceWeights(d, bytes.subarray(0, bytes.length - 10)));
    await expect(load(truncated)).rejects.toThrow(tn.SafetensorsError);
    await expect(load(truncated)).rejects.toThrow(/weights\.safetensors: .*(data_offsets|belong to no tensor)/);
    const huge = Buffer.from(bytes);
    huge.writeBigUInt64LE(2n ** 62n, 0);
    await expect(load(variant((d) => replaceWeights(d, huge)))).rejects.toThrow(/weights\.safetensors: header length \d+ exceeds/);
    await expect(load(variant((d) => replaceWeights(d, Buffer.from('garbage'))))).rejects.toThrow(/weights\.safetensors: file is 7 bytes/);
    // Without fixing the sha256, any tampering is caught first.
    const flipped = variant((d) => {
      const b = Buffer.from(bytes);
      b[b.length - 1] ^= 1;
      fs.writeFileSync(path.join(d, 'weights.safetensors'), b);
    });
    await expect(load(flipped)).rejects.toThrow(/sha256 does not match/);
    await expect(load(variant((d) => fs.unlinkSync(path.join(d, 'weights.safetensors'))))).rejects.toThrow(/weights\.safetensors: not found/);
  });

  test('an optimizer file that does not fit the model is rejected', async () => {
    const opt = parseSafetensors(fs.readFileSync(path.join(good, 'optimizer.safetensors')));
    const slots = new Map([...opt.tensors].map(([k, v]) => [k, { data: new Float32Array(Uint8Array.from(v.bytes).buffer), shape: v.shape }]));
    const write = (d: string, tensors: Map<string, { data: Float32Array; shape: number[] }>, meta: Record<string, string>): void => {
      const b = serializeSafetensors(tensors, meta);
      fs.writeFileSync(path.join(d, 'optimizer.safetensors'), b);
      editJson(d, (j) => (j.optimizerSha256 = require('crypto').createHash('sha256').update(b).digest('hex')));
    };
    const renamed = new Map([...slots].map(([k, v]) => [k.replace(/^[^/]+/, 'ghost'), v]));
    await expect(load(variant((d) => write(d, renamed, opt.metadata)))).rejects.toThrow(/optimizer\.safetensors: slot 'ghost\/\w+\/\w+' does not name/);
    await expect(load(variant((d) => write(d, slots, { ...opt.metadata, className: 'SGD' })))).rejects.toThrow(/state of a "SGD" optimizer, but the model compiles a Adam/);
    await expect(load(variant((d) => write(d, slots, { ...opt.metadata, steps: '{"x": 1}' })))).rejects.toThrow(/step count for 'x'/);
    // Skipping the optimizer state loads the model anyway.
    const skipped = await tn.loadModel(variant((d) => write(d, renamed, opt.metadata)), { device: 'cpu', loadOptimizer: false });
    expect(skipped.optimizer!.getState().iterations).toBe(0);
    skipped.dispose();
  });

  test('a hostile model.json size is refused before parsing', async () => {
    const dir = variant((d) => fs.writeFileSync(path.join(d, 'model.json'), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20)));
    await expect(load(dir)).rejects.toThrow(/exceeds the 16777216-byte limit/);
  });
});

test('save/load on a GPU when one is present (bit-identical), else skipped', async () => {
  if (tn.cudaDevices().length === 0) return;
  const { model, x } = await trained(10);
  const dir = tmp();
  await model.save(dir);
  const gpu = await tn.loadModel(dir, { device: 'cuda:0' });
  expect(gpu.device).toBe('cuda:0');
  for (let i = 0; i < model.weights.length; i++) {
    expect(gpu.weights[i].value.device).toBe('cuda:0');
    expect((await bytesOf(gpu.weights[i].value)).equals(await bytesOf(model.weights[i].value))).toBe(true);
  }
  const dir2 = tmp();
  await gpu.save(dir2);
  expect(fs.readFileSync(path.join(dir2, 'weights.safetensors')).equals(fs.readFileSync(path.join(dir, 'weights.safetensors')))).toBe(true);
  const xg = x.to('cuda:0');
  const diff = Math.max(...Array.from(await gpu.predict(xg).data()).map((v, i) => Math.abs(v - (model.predict(x).dataSync()[i] as number))));
  expect(diff).toBeLessThan(1e-4);
  model.dispose();
  gpu.dispose();
});

test('ModelCheckpoint with a filepath template writes loadable model directories through model.save', async () => {
  const model = cnn(11);
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const x = randomTensor([4, 6, 6, 2]);
  const y = tn.oneHot(tn.tensor(Int32Array.from([0, 1, 2, 3]), [4], { dtype: 'int32', device: 'cpu' }), 4);
  const root = tmp();
  const ckpt = new tn.ModelCheckpoint({ filepath: path.join(root, 'epoch-{epoch}') });
  await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [ckpt] });
  expect(fs.readdirSync(root).sort()).toEqual(['epoch-1', 'epoch-2']);
  const last = await tn.loadModel(path.join(root, 'epoch-2'), { device: 'cpu' });
  expect((await bytesOf(last.predict(x))).equals(await bytesOf(model.predict(x)))).toBe(true);
  model.dispose();
  last.dispose();
});
