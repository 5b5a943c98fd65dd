// tf.util's typed-value helpers against tfjs's own on the same (random) inputs.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';
import { randomArray } from '../helpers/gradcheck';

const DTYPES = ['float32', 'int32', 'bool', 'complex64', 'string'];

describe('tf.util typed-value helpers match tfjs', () => {
  test('arraysEqualWithNull (null matches any entry)', () => {
    const cases: [(number | null)[] | null, (number | null)[] | null][] = [
      [[1, null, 3], [1, 2, 3]],
      [[1, null, 3], [1, 2, 4]],
      [[null, null], [5, 6]],
      [[1, 2], [1, 2, 3]],
      [null, [1]],
      [null, null],
      [[], []],
    ];
    for (const [a, b] of cases) expect(tn.util.arraysEqualWithNull(a, b)).toBe(tf.util.arraysEqualWithNull(a as number[], b as number[]));
  });

  test('tanh on random values and the infinities', () => {
    for (const x of [...randomArray(20, 3, -6, 6), Infinity, -Infinity, 0]) expect(tn.util.tanh(x)).toBe(tf.util.tanh(x));
  });

  test('hasEncodingLoss for every pair of dtypes', () => {
    for (const a of DTYPES) for (const b of DTYPES) expect([a, b, tn.util.hasEncodingLoss(a, b)]).toEqual([a, b, tf.util.hasEncodingLoss(a as tf.DataType, b as tf.DataType)]);
  });

  test('bytesFromStringArray', () => {
    const arr = ['ab', 'héllo', ''].map((s) => tf.util.encodeString(s));
    expect(tn.util.bytesFromStringArray(arr)).toBe(tf.util.bytesFromStringArray(arr));
    expect(tn.util.bytesFromStringArray(null)).toBe(tf.util.bytesFromStringArray(null as unknown as Uint8Array[]));
  });

  test('createScalarValue', () => {
    const v = randomArray(1, 8, -10, 10)[0];
    for (const [value, dtype] of [[v, 'float32'], [7, 'int32'], [true, 'bool'], ['tensör', 'string']] as const) {
      expect(tn.util.createScalarValue(value, dtype)).toEqual(tf.util.createScalarValue(value as never, dtype));
    }
    expect(() => tn.util.createScalarValue(1, 'int8')).toThrow(tn.DTypeError);
  });

  test('convertBackendValuesAndArrayBuffer', () => {
    const f = randomArray(6, 9, -3, 3);
    const words = new Int32Array([1, 0, 1, 1]);
    const bytes = [tf.util.encodeString('a'), tf.util.encodeString('bc')];
    for (const [data, dtype] of [[f, 'float32'], [f.buffer, 'float32'], [new Int32Array([4, -5]), 'int32'], [new Int32Array([4, -5]).buffer, 'int32'], [words, 'bool'], [words.buffer, 'string'], [bytes, 'string']] as const) {
      expect(tn.util.convertBackendValuesAndArrayBuffer(data as never, dtype)).toEqual(tf.util.convertBackendValuesAndArrayBuffer(data as never, dtype as tf.DataType));
    }
    expect(() => tn.util.convertBackendValuesAndArrayBuffer(f, 'int8')).toThrow(tn.DTypeError);
  });

  test('makeZerosNestedTypedArray', () => {
    for (const [shape, dtype] of [[[2, 3], 'float32'], [[4], 'int32'], [[2, 1, 2], 'bool'], [[3, 2], undefined]] as const) {
      expect(tn.util.makeZerosNestedTypedArray([...shape], dtype)).toEqual(tf.util.makeZerosNestedTypedArray([...shape], dtype as 'float32'));
    }
    expect(() => tn.util.makeZerosNestedTypedArray([2], 'complex64')).toThrow(tn.ValueError);
  });
});
