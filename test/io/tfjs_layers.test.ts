// The tfjs layers-model format against real @tensorflow/tfjs: a model saved by tfjs loads here and predicts the
// same, a model saved here (model.save('file://...')) loads in tfjs and predicts the same; sharded and quantized
// weights; damaged and hostile files fail with ModelFileError naming the file, before anything large is allocated.
import * as os from 'os';
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';
import { expectClose, randomArray } from '../helpers/gradcheck';

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-tfjs-layers-'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** What tfjs' save gives (model topology, weight specs, weight bytes), through its in-memory handler. */
async function tfjsArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return artifacts!;
}

/** Writes artifacts as tfjs-node's file:// handler does: model.json + the weights split into `shards` files. */
async function writeTfjsDir(dir: string, a: tf.io.ModelArtifacts, shards = 1, specs?: tf.io.WeightsManifestEntry[], data?: Uint8Array): Promise<string> {
  await fsp.mkdir(dir, { recursive: true });
  const bytes = data ?? new Uint8Array(a.weightData as ArrayBuffer);
  const cut = Math.ceil(bytes.length / shards);
  const paths: string[] = [];
  for (let s = 0; s < shards; s++) {
    const name = shards === 1 ? 'weights.bin' : `group1-shard${s + 1}of${shards}.bin`;
    await fsp.writeFile(path.join(dir, name), bytes.subarray(s * cut, Math.min(bytes.length, (s + 1) * cut)));
    paths.push(shards === 1 ? './weights.bin' : name);
  }
  const json = { modelTopology: a.modelTopology, format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers', convertedBy: null, weightsManifest: [{ paths, weights: specs ?? a.weightSpecs }] };
  await fsp.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  return path.join(dir, 'model.json');
}

/** A directory written by model.save('file://dir') as tfjs's in-memory artifacts (one weights file). */
async function readDirArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const json = JSON.parse(await fsp.readFile(path.join(dir, 'model.json'), 'utf8'));
  const weightData = new Uint8Array(await fsp.readFile(path.join(dir, 'weights.bin'))).buffer;
  return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData };
}

function tfjsFunctional(): tf.LayersModel {
  const a = tf.input({ shape: [6], name: 'in_a' });
  const b = tf.input({ shape: [4, 4, 2], name: 'in_b' });
  const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' }).apply(b) as tf.SymbolicTensor;
  const pooled = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(conv) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flat' }).apply(pooled) as tf.SymbolicTensor;
  const da = tf.layers.dense({ units: 5, activation: 'tanh', name: 'da' }).apply(a) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: 'cat' }).apply([da, flat]) as tf.SymbolicTensor;
  const normed = tf.layers.batchNormalization({ name: 'bn' }).apply(merged) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(normed) as tf.SymbolicTensor;
  const aux = tf.layers.dense({ units: 1, name: 'aux' }).apply(da) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: [out, aux], name: 'tfjs_functional' });
}

test('wrapped layers (bidirectional LSTM, timeDistributed dense) load by tfjs weight names and round-trip', async () => {
  // tfjs names a wrapped layer's weights under the wrapper: 'bidirectional_B1/forward_lstm_L1/kernel',
  // 'time_distributed_T1/kernel' (the inner layer's name left out).
  const model = tf.sequential();
  model.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true }) as tf.RNN, inputShape: [4, 2] }));
  model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }));
  const artifacts = await tfjsArtifacts(model);
  const file = await writeTfjsDir(path.join(tmp, 'wrappers'), artifacts);
  const x = randomArray(2 * 4 * 2, 5);
  const want = (model.predict(tf.tensor(x, [2, 4, 2])) as tf.Tensor).dataSync();
  const loaded = await tn.loadLayersModel(`file://${file}`);
  expect(loaded.weights.map((w) => w.name)).toEqual(artifacts.weightSpecs!.map((w) => w.name));
  expectClose(await (loaded.predict(tn.tensor(x, [2, 4, 2])) as tn.Tensor).data(), want, 1e-5, 1e-6);
  // Saved here, the same names come back and tfjs loads it.
  const dir = path.join(tmp, 'wrappers_out');
  await loaded.save(`file://${dir}`);
  const back = await tf.loadLayersModel(tf.io.fromMemory(await readDirArtifacts(dir)));
  expectClose((back.predict(tf.tensor(x, [2, 4, 2])) as tf.Tensor).dataSync(), want, 1e-5, 1e-6);
});

const inputs = (): { a: Float32Array; b: Float32Array } => ({ a: randomArray(3 * 6, 1), b: randomArray(3 * 4 * 4 * 2, 2) });

test('a functional model saved by tfjs (conv, pooling, concatenate, batch norm, two outputs) predicts the same here', async () => {
  const model = tfjsFunctional();
  // Non-trivial batch-norm statistics.
  const bn = model.getLayer('bn');
  bn.setWeights(bn.getWeights().map((w, i) => tf.add(w, tf.randomUniform(w.shape, 0.1, 0.5, 'float32', 7 + i))));
  const file = await writeTfjsDir(path.join(tmp, 'from_tfjs'), await tfjsArtifacts(model));
  const { a, b } = inputs();
  const want = (model.predict([tf.tensor(a, [3, 6]), tf.tensor(b, [3, 4, 4, 2])]) as tf.Tensor[]).map((t) => t.dataSync());
  const loaded = await tn.loadLayersModel(`file://${file}`);
  expect(loaded.inputNames).toEqual(['in_a', 'in_b']);
  expect(loaded.outputNames).toEqual(['out', 'aux']);
  const got = loaded.predict([tn.tensor(a, [3, 6]), tn.tensor(b, [3, 4, 4, 2])]) as tn.Tensor[];
  expectClose(await got[0].data(), want[0], 1e-5, 1e-6);
  expectClose(await got[1].data(), want[1], 1e-5, 1e-6);
  // A directory path and a plain file path work too.
  expect((await tn.loadLayersModel(path.dirname(file))).layers.length).toBe(loaded.layers.length);
});

test('a model saved here with save("file://...") loads in tfjs and predicts the same (Sequential and functional)', async () => {
  tn.setSeed(5);
  const seq = tn.sequential({
    layers: [
      tn.layers.dense({ units: 8, activation: 'relu', inputShape: [6] }),
      tn.layers.dropout({ rate: 0.2 }),
      tn.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: 'heNormal' }),
    ],
  });
  const x = randomArray(5 * 6, 3);
  for (const [name, model, xs] of [
    ['seq', seq, [[5, 6]]],
    ['func', (() => {
      const i1 = tn.input({ shape: [6], name: 'i1' });
      const i2 = tn.input({ shape: [6], name: 'i2' });
      const shared = tn.layers.dense({ units: 4, activation: 'elu', name: 'shared' });
      const s = tn.layers.add([shared.apply(i1), shared.apply(i2)]);
      const o = tn.layers.dense({ units: 2, name: 'o' }).apply(tn.layers.layerNormalization({ name: 'ln' }).apply(s));
      return tn.model({ inputs: [i1, i2], outputs: o, name: 'func' });
    })(), [[5, 6], [5, 6]]],
  ] as const) {
    const dir = path.join(tmp, `to_tfjs_${name}`);
    await model.save(`file://${dir}`);
    const json = JSON.parse(await fsp.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe(name === 'seq' ? 'Sequential' : 'Model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(await readDirArtifacts(dir)));
    const tfIn = xs.map((s) => tf.tensor(x, s as number[]));
    const tnIn = xs.map((s) => tn.tensor(x, s as number[]));
    const want = (theirs.predict(tfIn.length === 1 ? tfIn[0] : tfIn) as tf.Tensor).dataSync();
    const got = await (model.predict(tnIn.length === 1 ? tnIn[0] : tnIn) as tn.Tensor).data();
    expectClose(got, want, 1e-5, 1e-6);
    // And back: our own loader reads what we wrote.
    const again = await tn.loadLayersModel(`file://${dir}/model.json`);
    expectClose(await (again.predict(tnIn.length === 1 ? tnIn[0] : tnIn) as tn.Tensor).data(), got);
  }
});

test('sharded weights, and uint8 / uint16 / float16 quantized weights (dequantized as tfjs does)', async () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], name: 'd1' }), tf.layers.dense({ units: 2, name: 'd2' })] });
  const a = await tfjsArtifacts(model);
  const x = randomArray(2 * 3, 9);
  const want = (model.predict(tf.tensor(x, [2, 3])) as tf.Tensor).dataSync();
  const sharded = await tn.loadLayersModel(await writeTfjsDir(path.join(tmp, 'sharded'), a, 3));
  expectClose(await (sharded.predict(tn.tensor(x, [2, 3])) as tn.Tensor).data(), want, 1e-6, 1e-7);

  // Quantize every weight ourselves; the expected model has the dequantized values.
  const values = (await Promise.all(model.getWeights().map((w) => w.data()))) as Float32Array[];
  for (const q of ['uint8', 'uint16', 'float16'] as const) {
    const parts: Uint8Array[] = [];
    const deq: Float32Array[] = [];
    const specs = a.weightSpecs!.map((s, i) => {
      const v = values[i];
      if (q === 'float16') {
        const bytes = new Uint8Array(v.length * 2);
        const h = new DataView(bytes.buffer);
        const out = new Float32Array(v.length);
        v.forEach((f, k) => {
          // Round to half: tfjs' float16 table decoding is reproduced by our decoder; exact halves are used here.
          const half = Math.round(f * 1024) / 1024;
          const bits = toHalfBits(half);
          h.setUint16(2 * k, bits, true);
          out[k] = fromHalfBits(bits);
        });
        parts.push(bytes);
        deq.push(out);
        return { ...s, quantization: { dtype: q } };
      }
      const levels = q === 'uint8' ? 255 : 65535;
      const min = Math.min(...v);
      const scale = (Math.max(...v) - min) / levels || 1;
      const bytes = new Uint8Array(v.length * (q === 'uint8' ? 1 : 2));
      const dv = new DataView(bytes.buffer);
      const out = new Float32Array(v.length);
      v.forEach((f, k) => {
        const qv = Math.round((f - min) / scale);
        if (q === 'uint8') dv.setUint8(k, qv);
        else dv.setUint16(2 * k, qv, true);
        out[k] = qv * scale + min;
      });
      parts.push(bytes);
      deq.push(out);
      return { ...s, quantization: { dtype: q, scale, min } };
    });
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) {
      all.set(p, off);
      off += p.length;
    }
    const loaded = await tn.loadLayersModel(await writeTfjsDir(path.join(tmp, `q_${q}`), a, 2, specs as tf.io.WeightsManifestEntry[], all));
    const got = await Promise.all(loaded.getWeights().map((w) => w.data()));
    got.forEach((g, i) => expectClose(g, deq[i], 1e-6, 1e-7));
  }
});

function toHalfBits(f: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, f);
  const x = buf.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = (x >>> 13) & 0x3ff;
  if (f === 0) return sign;
  if (exp <= 0) return sign | (Math.round(Math.abs(f) / 2 ** -24) & 0x3ff);
  return sign | (exp << 10) | mant;
}
function fromHalfBits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  return e === 0 ? s * 2 ** -14 * (m / 1024) : s * 2 ** (e - 15) * (1 + m / 1024);
}

describe('damaged and hostile files: ModelFileError naming the file', () => {
  let good: string;
  let artifacts: tf.io.ModelArtifacts;
  beforeAll(async () => {
    artifacts = await tfjsArtifacts(tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], name: 'h1' }), tf.layers.dense({ units: 1, name: 'h2' })] }));
    good = await writeTfjsDir(path.join(tmp, 'good'), artifacts);
  });
  const variant = async (name: string, edit: (json: Record<string, any>) => void, bin?: (b: Buffer) => Buffer): Promise<string> => {
    const dir = path.join(tmp, name);
    await fsp.mkdir(dir, { recursive: true });
    const json = JSON.parse(await fsp.readFile(good, 'utf8'));
    edit(json);
    await fsp.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
    const bytes = await fsp.readFile(path.join(path.dirname(good), 'weights.bin'));
    await fsp.writeFile(path.join(dir, 'weights.bin'), bin ? bin(bytes) : bytes);
    return path.join(dir, 'model.json');
  };
  test.each([
    ['truncated weights', (j: any) => j, (b: Buffer) => b.subarray(0, b.length - 4), /bytes, but the weightsManifest's weights/],
    ['extra bytes', (j: any) => j, (b: Buffer) => Buffer.concat([b, Buffer.alloc(8)]), /bytes, but/],
    ['a path outside the directory', (j: any) => (j.weightsManifest[0].paths = ['../good/weights.bin']), undefined, /outside the model's directory/],
    ['a missing shard', (j: any) => (j.weightsManifest[0].paths = ['weights.bin', 'shard2.bin']), undefined, /shard2.bin: not found/],
    ['a duplicated weight name', (j: any) => (j.weightsManifest[0].weights[1].name = j.weightsManifest[0].weights[0].name), undefined, /twice/],
    ['a wrong shape', (j: any) => (j.weightsManifest[0].weights[0].shape = [3, 2]), undefined, /shape \[3, 2\] in weightsManifest, but the architecture expects \[2, 3\]/],
    ['an absurd layer size', (j: any) => (j.modelTopology.config.layers[0].config.units = 1e12), undefined, /'units' must be a positive integer up to 2147483647, got 1000000000000/],
    ['a layer size the weights do not have', (j: any) => (j.modelTopology.config.layers[0].config.units = 2.5e7), undefined, /weight 'h1\/kernel' has shape \[2, 3\] in weightsManifest, but the architecture expects \[2, 25000000\]/],
    ['a negative dimension', (j: any) => (j.weightsManifest[0].weights[0].shape = [-2, 3]), undefined, /non-negative integers/],
    ['a huge manifest shape', (j: any) => (j.weightsManifest[0].weights[0].shape = [1e6, 1e6]), undefined, /exceeds/],
    ['an unknown layer class', (j: any) => (j.modelTopology.config.layers[1].class_name = 'NoSuchLayer'), undefined, /unknown layer class "NoSuchLayer"/],
    ['an unknown quantization', (j: any) => (j.weightsManifest[0].weights[0].quantization = { dtype: 'int4' }), undefined, /quantization dtype/],
    ['not a layers model', (j: any) => (j.format = 'graph-model'), undefined, /only 'layers-model'/],
  ])('%s', async (name, edit, bin, message) => {
    const file = await variant(name.replace(/\W+/g, '_'), edit, bin);
    const before = tn.memory().numTensors;
    const err = await tn.loadLayersModel(file).then(() => null, (e: Error) => e);
    expect(err).toBeInstanceOf(tn.ModelFileError);
    expect(err!.message).toMatch(message);
    expect(err!.message).toContain(path.dirname(file));
    expect(tn.memory().numTensors).toBeLessThanOrEqual(before);
  });
  test('not JSON, and a missing file', async () => {
    const dir = path.join(tmp, 'garbage');
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(path.join(dir, 'model.json'), '{"modelTopology": ');
    await expect(tn.loadLayersModel(path.join(dir, 'model.json'))).rejects.toThrow(/not valid JSON/);
    await expect(tn.loadLayersModel(path.join(tmp, 'nowhere', 'model.json'))).rejects.toThrow(tn.ModelFileError);
  });
});
