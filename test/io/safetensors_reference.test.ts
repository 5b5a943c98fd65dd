// Reads a file written by the official Python `safetensors` package (test/fixtures/io/gen_numpy_safetensors.py) and checks every value.

import * as path from 'path';
import { readSafetensorsFile, tensorValues } from '../../lib/io/safetensors';
import { viewToHost } from '../../lib/io/tensors';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'io', 'numpy_reference.safetensors');

test('numpy_reference.safetensors: dtypes, shapes, values and metadata', async () => {
  const { tensors, metadata } = await readSafetensorsFile(FIXTURE);
  expect(metadata).toEqual({ format: 'np', made_by: 'safetensors.numpy' });
  expect(new Set(tensors.keys())).toEqual(new Set(['conv.weight', 'conv.bias', 'labels', 'steps', 'mask', 'half', 'double', 'empty', 'scalar']));
  const w = tensors.get('conv.weight')!;
  expect(w.dtype).toBe('F32');
  expect(w.shape).toEqual([2, 3, 2, 2]);
  const wv = tensorValues(w) as Float32Array;
  for (let i = 0; i < 24; i++) expect(wv[i]).toBe(Math.fround(Math.sin(i) * 0.5));
  expect(Array.from(tensorValues(tensors.get('conv.bias')!) as Float32Array)).toEqual([0.25, -1.5]);
  expect(Array.from(tensorValues(tensors.get('labels')!) as Int32Array)).toEqual([3, -7, 2 ** 31 - 1]);
  expect(Array.from(tensorValues(tensors.get('steps')!) as BigInt64Array)).toEqual([1n, 2n ** 33n]);
  expect(Array.from(tensorValues(tensors.get('mask')!) as Uint8Array)).toEqual([1, 0, 255]);
  expect(Array.from(viewToHost('half', tensors.get('half')!))).toEqual([1, -2, 0.5]);
  expect(Array.from(tensorValues(tensors.get('double')!) as Float64Array)).toEqual([0.1, 0.2]);
  expect(tensors.get('double')!.shape).toEqual([1, 2]);
  expect(tensors.get('empty')!.shape).toEqual([0, 3]);
  expect(tensors.get('empty')!.bytes.length).toBe(0);
  expect(tensors.get('scalar')!.shape).toEqual([]);
  expect(Array.from(tensorValues(tensors.get('scalar')!) as Float32Array)).toEqual([42.5]);
});
