// Running sums (tfjs cumsum) and top-k selection, each one native kernel; gradients: cumsum runs backwards, topk
// scatters into the selected positions.
import { ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { arange } from './creation';
import { add } from './elementwise';
import { checkNumber, checkTensor, normalizeAxis } from './validate';

/** Cumulative sum along `axis` (default 0); `exclusive` leaves each element out, `reverse` sums from the end. */
export function cumsum(x: Tensor, axis = 0, exclusive = false, reverse = false): Tensor {
  const op = 'cumsum';
  checkTensor(op, 'x', x);
  if (x.rank === 0) throw new ValueError(`${op}: x must have rank >= 1`);
  const a = normalizeAxis(op, axis, x.rank);
  const run = (t: Tensor, rev: boolean): Tensor =>
    runKernel('cumsum', [t], [{ shape: t.shape, dtype: t.dtype }], { axis: a, exclusive: exclusive ? 1 : 0, reverse: rev ? 1 : 0 })[0];
  const input = x.dtype === 'bool' ? runKernel('cast', [x], [{ shape: x.shape, dtype: 'int32' }])[0] : x;
  const y = run(input, reverse);
  // Each x[k] contributes to the sums after it (before it when reversed): dx = the cumsum of dy the other way.
  return recordOp(op, [x], y, (dy) => [run(dy, !reverse)]);
}

/** The k largest entries of the last dim, largest first (ties: lower index first), and their int32 indices. */
export function topk(x: Tensor, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  const op = 'topk';
  checkTensor(op, 'x', x);
  if (x.rank === 0) throw new ValueError(`${op}: x must have rank >= 1`);
  if (typeof sorted !== 'boolean') throw new ValueError(`${op}: 'sorted' must be a boolean, got ${sorted}`);
  const n = x.shape[x.rank - 1];
  checkNumber(op, 'k', k, { min: 0, max: n, integer: true });
  const rows = x.size / Math.max(n, 1);
  const input = x.dtype === 'bool' ? runKernel('cast', [x], [{ shape: x.shape, dtype: 'int32' }])[0] : x;
  const x2 = input.view([rows, n]);
  const [v, i] = runKernel('topk', [x2], [{ shape: [rows, k], dtype: input.dtype }, { shape: [rows, k], dtype: 'int32' }], { k });
  x2.dispose();
  const outShape = [...x.shape.slice(0, -1), k];
  const values = v.view(outShape);
  const indices = i.view(outShape);
  v.dispose();
  // dx: dy added at each row's selected positions (flat position = row * n + index).
  recordOp(op, [x], values, (dy) => {
    const offsets = arange(0, rows * n, Math.max(n, 1), { dtype: 'int32', device: x.device }).view([rows, 1]);
    const flat = add(indices.view([rows, k]), offsets).view([rows * k]);
    const [dxFlat] = runKernel('scatter_add', [dy.view([rows * k]), flat], [{ shape: [x.size], dtype: 'float32' }], { axis: 0 });
    const dx = dxFlat.view(x.shape);
    dxFlat.dispose();
    return [dx];
  });
  i.dispose();
  return { values, indices };
}
