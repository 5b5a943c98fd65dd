// Untyped errors become typed ones naming op, argument and value (issue 9, finding 16).
import * as os from 'os';
import * as path from 'path';

import * as tn from '../../lib';

describe('typed errors where plain TypeError/RangeError/Error escaped', () => {
  test('backward with an array instead of a gradient tensor', () => {
    const w = tn.ones([2], { requiresGrad: true });
    const y = tn.mul(w, 2);
    expect(() => y.backward([1, 1] as unknown as tn.Tensor)).toThrow(tn.ValueError);
    expect(() => y.backward([1, 1] as unknown as tn.Tensor)).toThrow(/backward: 'gradient' must be a Tensor of shape \[2\], got an array/);
  });
  test('tensor(BigInt64Array) is a DTypeError', () => {
    expect(() => tn.tensor(new BigInt64Array([1n]) as unknown as Int32Array)).toThrow(tn.DTypeError);
  });
  test('nested arrays of rank 10000 are a ShapeError, not a stack overflow', () => {
    let v: tn.NestedArray = 1;
    for (let i = 0; i < 10000; i++) v = [v];
    expect(() => tn.tensor(v)).toThrow(tn.ShapeError);
    expect(() => tn.tensor(v)).toThrow(/rank 10000/);
  });
  test('saveTensors into a missing directory names the directory, not a temp file', async () => {
    const file = path.join(os.tmpdir(), 'tn-no-such-dir', 'sub', 'x.safetensors');
    await expect(tn.saveTensors(file, { a: tn.ones([1]) })).rejects.toThrow(tn.ValueError);
    await expect(tn.saveTensors(file, { a: tn.ones([1]) })).rejects.toThrow(/does not exist/);
  });
  test('SGD with learningRate NaN says NaN', () => {
    expect(() => new tn.optim.SGD({ learningRate: NaN })).toThrow(/got NaN/);
  });
});
