// Keras 3 .keras files: models saved by Keras (test/fixtures/keras/make_fixtures.py) load and predict Keras' outputs
// within 1e-5; damaged archives fail with ModelFileError naming the file.
import * as os from 'os';
import * as path from 'path';
import { promises as fsp } from 'fs';
import * as tn from '../../lib';
import { expectClose } from '../helpers/gradcheck';

const dir = path.join(__dirname, '../fixtures/keras');
interface Fixture {
  inputs: { shape: number[]; data: number[] }[];
  outputs: { shape: number[]; data: number[] }[];
}

test.each(['mlp', 'functional'])('%s.keras predicts what Keras predicted', async (name) => {
  const fx = JSON.parse(await fsp.readFile(path.join(dir, `${name}.json`), 'utf8')) as Fixture;
  const model = await tn.loadKerasModel(path.join(dir, `${name}.keras`));
  const xs = fx.inputs.map((x) => tn.tensor(Float32Array.from(x.data), x.shape));
  const out = model.predict(xs.length === 1 ? xs[0] : xs);
  const outs = Array.isArray(out) ? out : [out];
  expect(outs.length).toBe(fx.outputs.length);
  for (let i = 0; i < outs.length; i++) {
    expect(outs[i].shape).toEqual(fx.outputs[i].shape);
    expectClose(await outs[i].data(), fx.outputs[i].data, 1e-5, 1e-5);
  }
  if (name === 'functional') {
    expect(model.inputNames).toEqual(['img', 'vec']);
    expect(model.outputNames).toEqual(['cls', 'reg']);
  }
});

test('damaged files: not a zip, a missing member, truncated', async () => {
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tn-keras-'));
  try {
    const notZip = path.join(tmp, 'a.keras');
    await fsp.writeFile(notZip, 'hello');
    await expect(tn.loadKerasModel(notZip)).rejects.toThrow(/a\.keras: not a readable zip archive/);
    const bytes = await fsp.readFile(path.join(dir, 'mlp.keras'));
    const cut = path.join(tmp, 'cut.keras');
    await fsp.writeFile(cut, bytes.subarray(0, bytes.length - 100));
    await expect(tn.loadKerasModel(cut)).rejects.toThrow(tn.ModelFileError);
    await expect(tn.loadKerasModel(path.join(tmp, 'none.keras'))).rejects.toThrow(/none\.keras: not found/);
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
});
