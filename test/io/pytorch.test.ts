// PyTorch weight exchange: a committed PyTorch CNN's state_dict imported (OIHW conv <-> HWIO, [out, in] linear, NCHW flatten order), its logits reproduced, and exported back byte for byte.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { permuteHost } from '../../lib/io/pytorch';
import { parseSafetensors } from '../../lib/io/safetensors';
import { mulberry32 } from '../../lib/data/prng';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'io');
const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'torch_cnn.json'), 'utf8')) as {
  inputShape: number[];
  input: number[];
  logitsShape: number[];
  logits: number[];
};

/** The tensornode twin of the fixture's torch.nn.Sequential, module for module (so layer indices match the keys). */
function twin(): tn.Sequential {
  return tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid', inputShape: [8, 8, 1] }),
      tn.layers.activation({ activation: 'relu' }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.flatten(),
      tn.layers.dense({ units: 10 }),
    ],
  });
}

test('permuteHost moves axes like a transpose', () => {
  const data = Float32Array.from({ length: 24 }, (_, i) => i);
  const { data: out, shape } = permuteHost(data, [2, 3, 4], [2, 0, 1]);
  expect(shape).toEqual([4, 2, 3]);
  // out[k, i, j] = in[i, j, k]
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(out[k * 6 + i * 3 + j]).toBe(data[i * 12 + j * 4 + k]);
});

test('a PyTorch CNN state_dict imports with layout pytorch and reproduces its logits; export gives the same bytes back', async () => {
  const file = path.join(FIXTURE, 'torch_cnn.safetensors');
  const { tensors } = await tn.loadTensors(file, { device: 'cpu' });
  const model = twin();
  model.to('cpu');
  model.build();
  await tn.importWeights(model, tensors, { layout: 'pytorch' });

  // Conv kernel: ours [kh, kw, in, out] (tfjs), PyTorch's [out, in, kh, kw] (in = 1 here).
  const torchConv = await tensors.get('0.weight')!.data();
  const ourConv = await model.layers[0].weights[0].value.data();
  expect(model.layers[0].weights[0].shape).toEqual([3, 3, 1, 4]);
  for (let o = 0; o < 4; o++) for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) expect(ourConv[(y * 3 + x) * 4 + o]).toBe(torchConv[o * 9 + y * 3 + x]);

  const [n, c, h, w] = fixture.inputShape;
  const nchw = tn.tensor(Float32Array.from(fixture.input), [n, c, h, w], { device: 'cpu' });
  const nhwc = tn.transpose(nchw, [0, 2, 3, 1]);
  const logits = await model.predict(nhwc).data();
  expect(fixture.logitsShape).toEqual([2, 10]);
  let maxErr = 0;
  fixture.logits.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(logits[i] - v))));
  expect(maxErr).toBeLessThan(1e-5);

  // Without the flatten permutation the dense layer reads features in the wrong order: the logits are off.
  const wrong = twin();
  wrong.to('cpu');
  wrong.build();
  await tn.importWeights(wrong, tensors, { layout: 'pytorch', permuteFlatten: false });
  const bad = await wrong.predict(nhwc).data();
  expect(Math.max(...fixture.logits.map((v, i) => Math.abs(bad[i] - v)))).toBeGreaterThan(1e-2);

  // Back to PyTorch: same keys, same shapes, same bytes as the file PyTorch wrote.
  const exported = await tn.exportWeights(model, { layout: 'pytorch' });
  const ref = parseSafetensors(fs.readFileSync(file)).tensors;
  expect([...exported.keys()].sort()).toEqual([...ref.keys()].sort());
  for (const [key, t] of exported) {
    const view = ref.get(key)!;
    expect(t.shape).toEqual(view.shape);
    expect(Buffer.from((await t.data()).buffer).equals(Buffer.from(view.bytes))).toBe(true);
  }
  // ... and they survive a trip through a safetensors file.
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pt-')), 'export.safetensors');
  await tn.saveTensors(out, exported);
  const back = parseSafetensors(fs.readFileSync(out)).tensors;
  for (const [key, view] of ref) expect(Buffer.from(back.get(key)!.bytes).equals(Buffer.from(view.bytes))).toBe(true);
  tn.dispose([nchw, nhwc, ...tensors.values(), ...exported.values()]);
  model.dispose();
  wrong.dispose();
});

test('the flatten permutation maps feature (h, w, c) to PyTorch column c*H*W + h*W + w', async () => {
  const model = tn.sequential({ layers: [tn.layers.flatten({ inputShape: [2, 3, 4] }), tn.layers.dropout({ rate: 0.5 }), tn.layers.dense({ units: 5 })] });
  model.to('cpu');
  model.build();
  const rng = mulberry32(11);
  const kernel = Float32Array.from({ length: 24 * 5 }, () => rng() * 2 - 1);
  model.layers[2].weights[0].assign(tn.tensor(kernel, [24, 5], { device: 'cpu' }));
  const ex = await tn.exportWeights(model, { layout: 'pytorch' });
  expect([...ex.keys()]).toEqual(['2.weight', '2.bias']);
  const wt = await ex.get('2.weight')!.data();
  expect(ex.get('2.weight')!.shape).toEqual([5, 24]);
  for (let h = 0; h < 2; h++)
    for (let w = 0; w < 3; w++)
      for (let c = 0; c < 4; c++) for (let o = 0; o < 5; o++) expect(wt[o * 24 + c * 6 + h * 3 + w]).toBe(kernel[((h * 3 + w) * 4 + c) * 5 + o]);
  // Import inverts export exactly, with explicit prefixes too.
  const renamed = new Map([...ex].map(([k, t]) => [k.replace(/^2\./, 'classifier.'), t]));
  const copy = tn.sequential({ layers: [tn.layers.flatten({ inputShape: [2, 3, 4] }), tn.layers.dropout({ rate: 0.5 }), tn.layers.dense({ units: 5 })] });
  copy.to('cpu');
  copy.build();
  await tn.importWeights(copy, renamed, { layout: 'pytorch', prefixes: ['classifier'] });
  expect(Array.from(await copy.layers[2].weights[0].value.data())).toEqual(Array.from(kernel));
  model.dispose();
  copy.dispose();
  tn.dispose([...ex.values()]);
});

test('batch normalization maps to weight/bias/running_mean/running_var and conv OIHW round trips', async () => {
  const model = tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 3, kernelSize: [2, 3], inputShape: [5, 5, 2] }),
      tn.layers.batchNormalization(),
      tn.layers.globalAveragePooling2d(),
      tn.layers.dense({ units: 2 }),
    ],
  });
  model.to('cpu');
  model.build();
  const rng = mulberry32(3);
  for (const v of model.weights) v.assign(tn.tensor(Float32Array.from({ length: v.value.size }, () => rng() + 0.1), [...v.shape], { device: 'cpu' }));
  const ex = await tn.exportWeights(model, { layout: 'pytorch' });
  expect([...ex.keys()]).toEqual([
    '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '3.weight', '3.bias',
  ]);
  expect(ex.get('0.weight')!.shape).toEqual([3, 2, 2, 3]);
  const ours = await model.layers[0].weights[0].value.data(); // [2, 3, 2, 3] = [kh, kw, i, o]
  const theirs = await ex.get('0.weight')!.data(); // [o, i, kh, kw]
  for (let o = 0; o < 3; o++)
    for (let i = 0; i < 2; i++)
      for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) expect(theirs[((o * 2 + i) * 2 + y) * 3 + x]).toBe(ours[((y * 3 + x) * 2 + i) * 3 + o]);
  expect(Array.from(await ex.get('1.running_var')!.data())).toEqual(Array.from(await model.layers[1].weights[3].value.data()));
  expect(ex.get('1.num_batches_tracked')!.dtype).toBe('int32');

  const copy = tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 3, kernelSize: [2, 3], inputShape: [5, 5, 2] }),
      tn.layers.batchNormalization(),
      tn.layers.globalAveragePooling2d(),
      tn.layers.dense({ units: 2 }),
    ],
  });
  copy.to('cpu');
  copy.build();
  await tn.importWeights(copy, ex, { layout: 'pytorch' });
  for (let i = 0; i < model.weights.length; i++) {
    expect(Array.from(await copy.weights[i].value.data())).toEqual(Array.from(await model.weights[i].value.data()));
  }
  model.dispose();
  copy.dispose();
  tn.dispose([...ex.values()]);
});

test('importWeights rejects missing, extra, misshapen and wrongly typed tensors before changing anything', async () => {
  const { tensors } = await tn.loadTensors(path.join(FIXTURE, 'torch_cnn.safetensors'), { device: 'cpu' });
  const model = twin();
  model.to('cpu');
  model.build();
  const before = await model.layers[0].weights[0].value.data();
  const without = new Map(tensors);
  without.delete('4.bias');
  await expect(tn.importWeights(model, without, { layout: 'pytorch' })).rejects.toThrow(/missing '4.bias' for layer 'dense\S*' \(Dense bias\) \(expected shape \[10\]\)/);
  const extra = new Map(tensors);
  extra.set('4.extra', tn.zeros([1], { device: 'cpu' }));
  await expect(tn.importWeights(model, extra, { layout: 'pytorch' })).rejects.toThrow(/unexpected tensors '4.extra'/);
  const misshapen = new Map(tensors);
  misshapen.set('4.weight', tn.zeros([36, 10], { device: 'cpu' }));
  await expect(tn.importWeights(model, misshapen, { layout: 'pytorch' })).rejects.toThrow(tn.ShapeError);
  await expect(tn.importWeights(model, misshapen, { layout: 'pytorch' })).rejects.toThrow(/'4.weight' .* has shape \[36, 10\], expected \[10, 36\]/);
  const ints = new Map(tensors);
  ints.set('0.bias', tn.zeros([4], { device: 'cpu', dtype: 'int32' }));
  await expect(tn.importWeights(model, ints, { layout: 'pytorch' })).rejects.toThrow(tn.DTypeError);
  const threeModules = new Map(tensors);
  threeModules.set('7.weight', tn.zeros([1], { device: 'cpu' }));
  await expect(tn.importWeights(model, threeModules, { layout: 'pytorch' })).rejects.toThrow(/3 modules with parameters \[0, 4, 7\], the model has 2 layers with weights/);
  await expect(tn.importWeights(model, tensors, { layout: 'keras' as never })).rejects.toThrow(/unknown layout "keras"/);
  expect(Array.from(await model.layers[0].weights[0].value.data())).toEqual(Array.from(before));
  // Natural order: prefix '10' comes after '2' (alphabetical order would swap the layers).
  const dense = tn.sequential({ layers: [tn.layers.dense({ units: 3, inputShape: [2] }), tn.layers.dense({ units: 4 })] });
  dense.to('cpu');
  dense.build();
  const rng = mulberry32(9);
  const r = (shape: number[]): tn.Tensor => tn.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng()), shape, { device: 'cpu' });
  const sd = new Map([['10.weight', r([4, 3])], ['10.bias', r([4])], ['2.weight', r([3, 2])], ['2.bias', r([3])]]);
  await tn.importWeights(dense, sd, { layout: 'pytorch' });
  expect(Array.from(await dense.layers[1].weights[1].value.data())).toEqual(Array.from(await sd.get('10.bias')!.data()));
  model.dispose();
  dense.dispose();
});

test("layout 'tensornode' exports copies by weight name and imports them back", async () => {
  const a = twin();
  a.to('cpu');
  a.build();
  const ex = await tn.exportWeights(a);
  expect([...ex.keys()]).toEqual(a.weights.map((v) => v.name));
  // Copies, not the live weights.
  expect(ex.get(a.weights[0].name)).not.toBe(a.weights[0].value);
  const b = twin();
  b.to('cpu');
  b.build();
  // Layer names differ between the two models (conv2d vs conv2d_1): rename onto b's weights.
  const renamed = new Map(a.weights.map((v, i) => [b.weights[i].name, ex.get(v.name)!]));
  await tn.importWeights(b, renamed);
  for (let i = 0; i < a.weights.length; i++) expect(Array.from(await b.weights[i].value.data())).toEqual(Array.from(await a.weights[i].value.data()));
  await expect(tn.importWeights(b, ex)).rejects.toThrow(/missing '\S+' for layer/);
  a.dispose();
  b.dispose();
  tn.dispose([...ex.values()]);
});
