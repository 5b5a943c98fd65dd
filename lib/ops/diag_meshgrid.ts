// tfjs's diag and meshgrid: x's values placed by host-computed gather positions or tiled, any dtype, with gradients.
import { ValueError } from '../errors';
import { Tensor } from '../tensor';
import { tensor } from './creation';
import { gather, tile } from './gather';
import { pad } from './layout';
import { reshape } from './reshape';
import { checkTensor } from './validate';

/** The values of x (any shape, n values) on the diagonal of an n x n matrix of zeros, shaped [...x.shape, ...x.shape]. */
export function diag(x: Tensor): Tensor {
  const op = 'diag';
  checkTensor(op, 'x', x);
  const n = x.size;
  // Flat values with one 0 appended at position n; every off-diagonal output reads that 0.
  const withZero = pad(reshape(x, [n]), [[0, 1]]);
  const positions = new Int32Array(n * n).fill(n);
  for (let i = 0; i < n; i++) positions[i * n + i] = i;
  const out = gather(withZero, tensor(positions, [n * n], { dtype: 'int32', device: x.device }));
  return reshape(out, [...x.shape, ...x.shape]);
}

type GridInput = Tensor | number[];

const asGridTensor = (v: GridInput, arg: string): Tensor => {
  if (v instanceof Tensor) return checkTensor('meshgrid', arg, v);
  if (!Array.isArray(v)) throw new ValueError(`meshgrid: '${arg}' must be a Tensor or an array of numbers, got ${typeof v}`);
  return tensor(v, undefined, { dtype: 'float32' });
};

/**
 * Coordinate grids from x (w values) and y (h values), each flattened: 'xy' indexing (default) gives two [h, w]
 * tensors, x varying along columns and y along rows; 'ij' gives two [w, h] tensors, x along rows and y along columns.
 */
export function meshgrid(x?: GridInput, y?: GridInput, { indexing = 'xy' }: { indexing?: 'xy' | 'ij' } = {}): Tensor[] {
  if (indexing !== 'xy' && indexing !== 'ij') throw new ValueError(`meshgrid: 'indexing' must be 'xy' or 'ij', got ${JSON.stringify(indexing)}`);
  if (x === undefined) return [];
  const tx = asGridTensor(x, 'x');
  if (y === undefined) return [tx];
  const ty = asGridTensor(y, 'y');
  const w = tx.size;
  const h = ty.size;
  if (indexing === 'xy') return [tile(reshape(tx, [1, w]), [h, 1]), tile(reshape(ty, [h, 1]), [1, w])];
  return [tile(reshape(tx, [w, 1]), [1, h]), tile(reshape(ty, [1, h]), [w, 1])];
}
