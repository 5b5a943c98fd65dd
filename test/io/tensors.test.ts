// Tensors through safetensors files: bit-identical float32/int32 round trip, and conversion of PyTorch's other dtypes on load.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { loadTensors, saveTensors, viewToHost } from '../../lib/io/tensors';
import { serializeSafetensors, writeSafetensorsFile } from '../../lib/io/safetensors';
import { mulberry32 } from '../../lib/data/prng';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'tt-'));

test('float32 and int32 tensors round trip bit-identically', async () => {
  const rng = mulberry32(5);
  const w = Float32Array.from({ length: 24 }, () => rng() * 2 - 1);
  const idx = Int32Array.from({ length: 5 }, () => Math.floor(rng() * 2e9) - 1e9);
  const file = path.join(tmp(), 'w.safetensors');
  await saveTensors(file, { 'dense.kernel': tn.tensor(w, [4, 6]), ids: tn.tensor(idx, [5]) }, { framework: 'tensornode' });
  const { tensors, metadata } = await loadTensors(file);
  expect(metadata).toEqual({ framework: 'tensornode' });
  expect([...tensors.keys()]).toEqual(['dense.kernel', 'ids']);
  const k = tensors.get('dense.kernel')!;
  expect(k.shape).toEqual([4, 6]);
  expect(k.dtype).toBe('float32');
  expect(Buffer.from((await k.data()).buffer).equals(Buffer.from(w.buffer))).toBe(true);
  expect(tensors.get('ids')!.dtype).toBe('int32');
  expect(Array.from(await tensors.get('ids')!.data())).toEqual(Array.from(idx));
});

test('F16, BF16, F64, I64 and U8 convert to float32 / int32', async () => {
  const bytes = serializeSafetensors({
    h: { data: Uint16Array.of(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555), shape: [6], dtype: 'F16' },
    b: { data: Uint16Array.of(0x3f80, 0xc040), shape: [2], dtype: 'BF16' },
    d: { data: Float64Array.of(0.1, -3), shape: [2] },
    l: { data: BigInt64Array.of(7n, -2n), shape: [2] },
    u: { data: Uint8Array.of(255, 0), shape: [2] },
  });
  const { parseSafetensors } = await import('../../lib/io/safetensors');
  const t = parseSafetensors(bytes).tensors;
  const h = viewToHost('h', t.get('h')!);
  expect(Array.from(h.subarray(0, 5))).toEqual([1, -2, 65504, 2 ** -24, Infinity]);
  expect(h[5]).toBeCloseTo(1 / 3, 3);
  expect(Array.from(viewToHost('b', t.get('b')!))).toEqual([1, -3]);
  expect(Array.from(viewToHost('d', t.get('d')!))).toEqual([Math.fround(0.1), -3]);
  const l = viewToHost('l', t.get('l')!);
  expect(l).toBeInstanceOf(Int32Array);
  expect(Array.from(l)).toEqual([7, -2]);
  expect(Array.from(viewToHost('u', t.get('u')!))).toEqual([255, 0]);
});

test('an I64 value outside int32 is rejected, and nothing leaks', async () => {
  const file = path.join(tmp(), 'big.safetensors');
  await writeSafetensorsFile(file, { ok: { data: Float32Array.of(1), shape: [1] }, big: { data: BigInt64Array.of(2n ** 40n), shape: [1] } });
  await expect(loadTensors(file)).rejects.toThrow(/tensor "big" \(I64\) holds 1099511627776, outside int32 range/);
});
