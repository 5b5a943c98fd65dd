// Chainable Tensor methods (one table, every entry installed), tfjs's toString/print format, and the host accessors.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';
import { TENSOR_METHODS } from '../../lib/tensor_methods';

describe('chainable methods', () => {
  test('every TENSOR_METHODS entry is a Tensor method that calls its op', async () => {
    const x = tn.tensor2d([[1, -2], [3, -4]]);
    for (const name of Object.keys(TENSOR_METHODS)) expect(typeof (x as unknown as Record<string, unknown>)[name]).toBe('function');
    expect(await x.add(1).relu().sum().data()).toEqual(Float32Array.from([6]));
    expect(await x.mul(tn.scalar(2)).neg().max().data()).toEqual(Float32Array.from([8]));
    expect(await x.transpose().slice([0, 0], [1, 2]).data()).toEqual(Float32Array.from([1, 3]));
    expect(x.concat(tn.tensor2d([[5, 6]]), 0).shape).toEqual([3, 2]);
    expect(x.flatten().shape).toEqual([4]);
    expect(x.as1D().shape).toEqual([4]);
    expect(x.reshape([4]).as2D(1, 4).shape).toEqual([1, 4]);
    expect(tn.tensor1d([5]).asScalar().shape).toEqual([]);
  });

  test('dtype conversions', async () => {
    const x = tn.tensor1d([1.7, 0, -2.5]);
    expect(x.toInt().dtype).toBe('int32');
    expect(Array.from(await x.asType('int32').data())).toEqual([1, 0, -2]);
    expect(x.toInt().toFloat().dtype).toBe('float32');
    expect(Array.from(await x.toBool().data())).toEqual([1, 0, 1]);
  });

  test('methods record gradients like the ops', async () => {
    const w = tn.tensor1d([1, 2, 3]);
    w.requiresGrad = true;
    w.square().sum().backward();
    expect(Array.from(await w.grad!.data())).toEqual([2, 4, 6]);
  });

  test('typed errors come from the op', () => {
    expect(() => tn.tensor1d([1, 2]).add(tn.tensor1d([1, 2, 3]))).toThrow(tn.ShapeError);
    expect(() => tn.tensor1d([1, 2]).transpose([1])).toThrow(/transpose: 'perm'/);
  });
});

describe('toString and print as tfjs', () => {
  const cases: [string, () => [tn.Tensor, tf.Tensor]][] = [
    ['scalar', () => [tn.scalar(3.25), tf.scalar(3.25)]],
    ['vector', () => [tn.tensor1d([1, -2.5, 1e-9]), tf.tensor1d([1, -2.5, 1e-9])]],
    ['int32 matrix', () => [tn.tensor2d([[1, 22], [-333, 4]], undefined, 'int32'), tf.tensor2d([[1, 22], [-333, 4]], undefined, 'int32')]],
    ['rank 3', () => [tn.tensor3d([[[1.5, 2], [3, 4]], [[5, 6], [7, -8.125]]]), tf.tensor3d([[[1.5, 2], [3, 4]], [[5, 6], [7, -8.125]]])]],
    ['rank 4', () => [tn.range(0, 24).reshape([2, 3, 2, 2]), tf.range(0, 24).reshape([2, 3, 2, 2])]],
    ['long vector', () => [tn.range(0, 50), tf.range(0, 50)]],
    ['many rows', () => [tn.range(0, 60).reshape([30, 2]), tf.range(0, 60).reshape([30, 2])]],
    ['many blocks', () => [tn.range(0, 100).reshape([25, 2, 2]), tf.range(0, 100).reshape([25, 2, 2])]],
    ['irrational', () => [tn.tensor1d([Math.PI, Math.E, 1 / 3]), tf.tensor1d([Math.PI, Math.E, 1 / 3])]],
  ];
  test.each(cases)('%s', (_name, make) => {
    const [ours, theirs] = make();
    expect(ours.toString()).toBe(theirs.toString());
    expect(ours.toString(true)).toBe(theirs.toString(true));
  });

  test('print logs the same text', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    tn.tensor1d([1, 2]).print();
    expect(log).toHaveBeenCalledWith(tf.tensor1d([1, 2]).toString());
    log.mockRestore();
  });

  test('a disposed tensor says so', () => {
    const t = tn.tensor1d([1]);
    t.dispose();
    expect(t.toString()).toMatch(/disposed/);
  });
});

describe('host access', () => {
  test('arraySync, array, dataSync, data, bytes', async () => {
    const x = tn.tensor2d([[1, 2], [3, 4]]);
    expect(x.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(await x.array()).toEqual([[1, 2], [3, 4]]);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4]);
    expect((await x.bytes()).byteLength).toBe(16);
    x.dispose();
    expect(() => x.throwIfDisposed()).toThrow(tn.DisposedError);
  });
});
