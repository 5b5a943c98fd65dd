// Model files are checked against their weights before anything is allocated (issue 9, findings 10 and 15): configs
// that disagree with the weights fail with ModelFileError and leave memory as it was, valid loads run no initializer,
// every stored field is type- and range-checked, and non-finite weights warn (or fail with {strict: true});
// tensornode's own format, tfjs layers-model files and Keras .keras files alike.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import * as tn from '../../lib';
import { native } from '../../lib/native';
import { currentCallBuffer } from '../../lib/engine/kernel';
import { parseSafetensors, serializeSafetensors } from '../../lib/io/safetensors';
import { readZipMembers } from '../../lib/io/keras/zip';
import { zipStored } from '../helpers/zip_store';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-validate-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let count = 0;
/** A copy of directory `src` with model.json edited by `edit`. */
function variant(src: string, edit: (json: any) => void): string {
  const dir = path.join(tmp, `v${count++}`);
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  edit(json);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

/** Loads and expects ModelFileError matching `message` and naming the directory, with memory as before the call. */
async function expectRefused(load: () => Promise<unknown>, dir: string, message: RegExp): Promise<void> {
  const before = tn.memory();
  const err = await load().then(
    (m) => {
      (m as tn.LayersModel).dispose();
      return null;
    },
    (e: Error) => e,
  );
  expect(err).toBeInstanceOf(tn.ModelFileError);
  expect(err!.message).toMatch(message);
  expect(err!.message).toContain(dir);
  const after = tn.memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
}

/** Every initializer class's init() spied: how many times any ran. */
function spyInitializers(): { calls: () => number; restore: () => void } {
  const protos = new Set<object>();
  for (const make of Object.values(tn.initializers)) protos.add(Object.getPrototypeOf((make as (o: object) => object)({ value: 0 })));
  const spies = [...protos].map((p) => jest.spyOn(p as { init: () => unknown }, 'init'));
  return { calls: () => spies.reduce((n, s) => n + s.mock.calls.length, 0), restore: () => spies.forEach((s) => s.mockRestore()) };
}

describe('tensornode model directories', () => {
  let good: string;
  beforeAll(async () => {
    const m = tn.sequential({ layers: [tn.layers.dense({ units: 3, inputShape: [4], name: 'd1' }), tn.layers.dense({ units: 2, name: 'd2' })] });
    m.compile({ optimizer: tn.optimizers.sgd(0.1), loss: 'meanSquaredError', metrics: ['mse'] });
    good = path.join(tmp, 'good');
    await m.save(good);
    m.dispose();
  });
  const load = (dir: string, opts: tn.LoadModelOptions = {}) => () => tn.loadModel(dir, { device: 'cpu', ...opts });

  test('finding 10: a Dense of 2.5e7 units whose weights disagree fails before allocating anything', async () => {
    // The manifest still says [3, 2]: the layer's request is compared with it before its kernel exists.
    const units = variant(good, (j) => (j.config.layers[1].config.units = 2.5e7));
    await expectRefused(load(units), units, /weight 'kernel' of layer 'd2' has shape \[3, 2\] in weightsManifest, but the architecture expects \[3, 25000000\]/);
    // Manifest edited to agree with the architecture: the weights file itself disagrees with the manifest.
    const both = variant(good, (j) => {
      j.config.layers[1].config.units = 2.5e7;
      j.weightsManifest[2].shape = [3, 2.5e7];
    });
    await expectRefused(load(both), both, /weights\.safetensors: weight 'kernel' of layer 'd2' has shape \[3, 2\], expected \[3, 25000000\]/);
  });

  test('a valid model loads without running any initializer', async () => {
    // Large-ish: 512x512 kernels (a random initializer would have to fill 1 MB each).
    const m = tn.sequential({ layers: [tn.layers.dense({ units: 512, inputShape: [512], name: 'big1' }), tn.layers.dense({ units: 512, kernelInitializer: 'orthogonal', name: 'big2' })] });
    const dir = path.join(tmp, 'big');
    await m.save(dir);
    const spy = spyInitializers();
    const ops: string[] = [];
    // Kernel calls are packed (op id in slot 0 of lib's call buffer): name them through the op ids of every kernel.
    const names = new Map(native.kernels('cpu').map((k) => [native.opId(k), k]));
    const original = native.call;
    const run = jest.spyOn(native, 'call').mockImplementation((attrs) => {
      ops.push(names.get(currentCallBuffer()[0]) ?? '?');
      return original(attrs);
    });
    let loaded: tn.LayersModel;
    try {
      // A control: building the same architecture the ordinary way does run initializers (so the spy works).
      tn.sequential({ layers: [tn.layers.dense({ units: 2, inputShape: [2] })] }).dispose();
      expect(spy.calls()).toBeGreaterThan(0);
      expect(ops).toContain('random_uniform');
      const controlCalls = spy.calls();
      ops.length = 0;
      loaded = await tn.loadModel(dir, { device: 'cpu' });
      expect(spy.calls()).toBe(controlCalls);
    } finally {
      spy.restore();
      run.mockRestore();
    }
    // No kernel at all ran during the load: the weights came from the file's bytes.
    expect(ops).toEqual([]);
    const a = await loaded.weights[2].value.data();
    const b = await m.weights[2].value.data();
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    loaded.dispose();
    m.dispose();
  });

  test('finding 15: manifest shapes and dtypes are compared with the weights file', async () => {
    const shape = variant(good, (j) => (j.weightsManifest[0].shape = [4, 4]));
    await expectRefused(load(shape), shape, /weights\.safetensors: weight 'kernel' of layer 'd1' has shape \[4, 3\], expected \[4, 4\] as model\.json's weightsManifest states/);
    const dtype = variant(good, (j) => (j.weightsManifest[1].dtype = 'int32'));
    await expectRefused(load(dtype), dtype, /weight 'bias' of layer 'd1' has dtype F32, expected I32 \(int32\)/);
    const dup = variant(good, (j) => (j.weightsManifest[1].name = j.weightsManifest[0].name));
    await expectRefused(load(dup), dup, /weightsManifest lists 'd1\/kernel' twice/);
    const extraField = variant(good, (j) => (j.weightsManifest[0].quant = 1));
    await expectRefused(load(extraField), extraField, /weightsManifest\[0\] must be/);
  });

  test.each([
    ['a non-boolean trainable', (j: any) => (j.config.layers[0].config.trainable = 'yes'), /'trainable' must be a boolean, got "yes"/],
    ['a non-string layer name', (j: any) => (j.config.layers[1].config.name = 5), /'name' must be a non-empty string, got 5/],
    ['an unknown layer option', (j: any) => (j.config.layers[0].config.bogus = 1), /layer 'd1' \(Dense\) has unknown option\(s\) 'bogus' \(1\); Dense takes: name, trainable/],
    ['an unknown top-level key', (j: any) => (j.extra = 1), /unknown key 'extra'/],
    ['an unknown key in a layer entry', (j: any) => (j.config.layers[0].weights = []), /layer 0 has the unknown key 'weights'/],
    ['a learning rate beyond float32', (j: any) => (j.trainingConfig.optimizer.config.learningRate = 1e300), /optimizer option 'learningRate' must be a positive finite number within float32 range, got 1e\+300/],
    ['a zero learning rate', (j: any) => (j.trainingConfig.optimizer.config.learningRate = 0), /'learningRate' must be a positive/],
    ['a string hyperparameter', (j: any) => (j.trainingConfig.optimizer.config.momentum = '0.9'), /optimizer option 'momentum' must be .* got "0\.9"/],
    ['an unknown optimizer option', (j: any) => (j.trainingConfig.optimizer.config.warp = 2), /SGD optimizer has the unknown option 'warp'/],
    ['metrics that are not names', (j: any) => (j.trainingConfig.metrics = 42), /'metrics' must be a metric name, a list of names, or \{output: names\}, got 42/],
    ['a metric list with a number', (j: any) => (j.trainingConfig.metrics = ['mse', 5]), /'metrics' must be/],
    ['an unknown metric name', (j: any) => (j.trainingConfig.metrics = 'nope'), /unknown metric "nope"/],
    ['an unknown trainingConfig key', (j: any) => (j.trainingConfig.sampleWeightMode = 'temporal'), /trainingConfig: unknown key 'sampleWeightMode'/],
    ['a negative loss weight', (j: any) => (j.trainingConfig.lossWeights = [-1]), /'lossWeights' entries must be >= 0/],
    ['units beyond int32', (j: any) => (j.config.layers[1].config.units = 2 ** 40), /'units' must be a positive integer up to 2147483647/],
    ['fractional units', (j: any) => (j.config.layers[1].config.units = 2.5), /'units' must be a positive integer/],
  ])('finding 15: %s is refused naming the field', async (_name, edit, message) => {
    const dir = variant(good, edit);
    await expectRefused(load(dir), dir, message);
  });

  describe('non-finite weights', () => {
    let nan: string;
    beforeAll(() => {
      // d1's kernel with two NaN and one Infinity (model.json's sha256 updated so the content check is what acts).
      nan = variant(good, () => undefined);
      const file = path.join(nan, 'weights.safetensors');
      const stored = parseSafetensors(fs.readFileSync(file)).tensors;
      const tensors = new Map([...stored].map(([k, v]) => [k, { data: new Float32Array(Uint8Array.from(v.bytes).buffer), shape: v.shape }]));
      const k = tensors.get('d1/kernel')!.data;
      k[0] = NaN;
      k[5] = NaN;
      k[7] = -Infinity;
      const bytes = serializeSafetensors(tensors);
      fs.writeFileSync(file, bytes);
      const json = JSON.parse(fs.readFileSync(path.join(nan, 'model.json'), 'utf8'));
      json.weightsSha256 = createHash('sha256').update(bytes).digest('hex');
      fs.writeFileSync(path.join(nan, 'model.json'), JSON.stringify(json));
    });

    test('load: one warning naming the weight and its count; the values load as stored', async () => {
      const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        const m = await tn.loadModel(nan, { device: 'cpu' });
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0][0])).toMatch(/weights\.safetensors: non-finite \(NaN\/Infinity\) values in 1 weight\(s\): 'd1\/kernel' \(3\)/);
        const k = await m.weights[0].value.data();
        expect([Number.isNaN(k[0]), Number.isNaN(k[5]), k[7]]).toEqual([true, true, -Infinity]);
        m.dispose();
        // A clean file warns about nothing.
        (await tn.loadModel(good, { device: 'cpu' })).dispose();
        expect(warn).toHaveBeenCalledTimes(1);
      } finally {
        warn.mockRestore();
      }
    });

    test('{strict: true}: ModelFileError naming the weight and count, nothing allocated', async () => {
      await expectRefused(load(nan, { strict: true }), nan, /weight 'kernel' of layer 'd1' \('d1\/kernel'\) holds 3 non-finite value\(s\)/);
    });
  });
});

describe('tfjs layers-model files', () => {
  let good: string;
  beforeAll(async () => {
    const m = tn.sequential({ layers: [tn.layers.dense({ units: 3, inputShape: [4], name: 't1' }), tn.layers.dense({ units: 2, name: 't2' })] });
    good = path.join(tmp, 'tfjs_good');
    await m.save(`file://${good}`);
    m.dispose();
  });
  const load = (dir: string, opts: tn.LoadLayersModelOptions = {}) => () => tn.loadLayersModel(`file://${dir}/model.json`, opts);
  const layer = (j: any, i: number) => j.modelTopology.config.layers[i].config;

  test('finding 10: a 2.5e7-unit Dense that disagrees with the manifest fails before allocating', async () => {
    const dir = variant(good, (j) => (layer(j, 1).units = 2.5e7));
    await expectRefused(load(dir), dir, /weight 't2\/kernel' has shape \[3, 2\] in weightsManifest, but the architecture expects \[3, 25000000\]/);
  });

  test.each([
    ['a non-boolean trainable', (j: any) => (layer(j, 0).trainable = 1), /'trainable' must be a boolean, got 1/],
    ['an unknown layer option', (j: any) => (layer(j, 0).kernel_quantizer = { class_name: 'Int8', config: {} }), /layer 't1' \(Dense\) has unknown option\(s\) 'kernelQuantizer'/],
    ['a manifest dtype change', (j: any) => (j.weightsManifest[0].weights[1].dtype = 'int32'), /weight 't1\/bias' is int32 in weightsManifest, but the architecture has float32/],
  ])('finding 15: %s is refused', async (_name, edit, message) => {
    const dir = variant(good, edit);
    await expectRefused(load(dir), dir, message);
  });

  test('non-finite weights warn by default and fail with {strict: true}', async () => {
    const dir = variant(good, () => undefined);
    const bin = fs.readFileSync(path.join(dir, 'weights.bin'));
    bin.writeFloatLE(NaN, 4);
    fs.writeFileSync(path.join(dir, 'weights.bin'), bin);
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      (await tn.loadLayersModel(`file://${dir}`)).dispose();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/'t1\/kernel' \(1\)/);
    } finally {
      warn.mockRestore();
    }
    await expectRefused(load(dir, { strict: true }), dir, /'t1\/kernel'\) holds 1 non-finite value/);
  });
});

describe('Keras .keras files', () => {
  const fixture = path.join(__dirname, '../fixtures/keras/mlp.keras');
  let members: Map<string, Buffer>;
  beforeAll(async () => {
    members = await readZipMembers(fixture, fs.readFileSync(fixture), { wanted: { 'config.json': 1 << 24, 'model.weights.h5': 1 << 30 }, maxEntries: 64 });
  });
  /** mlp.keras with config.json edited, rebuilt as a zip. */
  const edited = (edit: (config: any) => void): string => {
    const config = JSON.parse(members.get('config.json')!.toString('utf8'));
    edit(config);
    const file = path.join(tmp, `k${count++}.keras`);
    fs.writeFileSync(file, zipStored({ 'config.json': Buffer.from(JSON.stringify(config)), 'model.weights.h5': members.get('model.weights.h5')! }));
    return file;
  };
  const dense = (c: any, i: number) => c.config.layers[i].config;

  test('the rebuilt archive itself loads (the edits below are what fail)', async () => {
    (await tn.loadKerasModel(edited(() => undefined))).dispose();
  });

  test.each([
    ['finding 10: a 2.5e7-unit Dense against the stored kernel', (c: any) => (dense(c, 3).units = 2.5e7), /layers\/dense_1\/vars\/0 has shape \[8, 6\], but 'dense_1\/kernel' expects \[8, 25000000\]/],
    ['an unknown layer option', (c: any) => (dense(c, 1).bogus = 1), /layer 'dense' \(Dense\) has unknown option\(s\) 'bogus' \(1\)/],
    ['a Keras option tensornode cannot honour', (c: any) => (dense(c, 1).lora_rank = 4), /unknown option\(s\) 'loraRank'/],
    ['a non-boolean trainable', (c: any) => (dense(c, 1).trainable = 'no'), /'trainable' must be a boolean/],
  ])('%s is refused before allocating', async (_name, edit, message) => {
    const file = edited(edit);
    await expectRefused(() => tn.loadKerasModel(file), file, message);
  });
});
