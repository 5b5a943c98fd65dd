// Plain arrays to Tensors and back.

import * as tn from '../../lib';
import { fromTensor, toTensor, toTensors } from '../../lib/data/tensors';

test('toTensor keeps shape and values; uint8 becomes float32, int32 stays int32', async () => {
  const t = toTensor({ data: Float32Array.of(0.5, -1.25, 3, 4, 5, 6), shape: [2, 3, 1] });
  expect(t.shape).toEqual([2, 3, 1]);
  expect(Array.from(await t.data())).toEqual([0.5, -1.25, 3, 4, 5, 6]);
  const u = toTensor({ data: Uint8Array.of(0, 200), shape: [2] });
  expect(u.dtype).toBe('float32');
  expect(Array.from(await u.data())).toEqual([0, 200]);
  const b = toTensors({ x: { data: Float32Array.of(1, 2), shape: [1, 2] }, y: { data: Int32Array.of(7), shape: [1] } });
  expect(b.y.dtype).toBe('int32');
  expect(b.x).toBeInstanceOf(tn.Tensor);
  const back = await fromTensor(b.x);
  expect(back.shape).toEqual([1, 2]);
  expect(Array.from(back.data)).toEqual([1, 2]);
});
