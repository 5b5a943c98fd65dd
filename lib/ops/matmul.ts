// Batched matrix product with NumPy-broadcast batch dims and optional transposes; backward by two more matmuls.
import { ShapeError, ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { sumToShape } from './broadcast_grad';
import { broadcastShapes, checkFloatPair } from './validate';

export interface MatmulOptions {
  /** Use a's last two dims transposed ([..., K, M] is read as [..., M, K]). */
  transposeA?: boolean;
  /** Use b's last two dims transposed ([..., N, K] is read as [..., K, N]). */
  transposeB?: boolean;
}

const INT32_MAX = 2147483647;

/** The output shape of op(a) @ op(b), validated; throws ShapeError naming the mismatch. */
function matmulShape(op: string, a: Tensor, b: Tensor, ta: boolean, tb: boolean): number[] {
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    if (t.rank < 2) throw new ShapeError(`${op}: '${name}' must have rank >= 2 (a matrix or a batch of them), got shape [${t.shape}]`);
  }
  const M = a.shape[a.rank - (ta ? 1 : 2)];
  const Ka = a.shape[a.rank - (ta ? 2 : 1)];
  const Kb = b.shape[b.rank - (tb ? 1 : 2)];
  const N = b.shape[b.rank - (tb ? 2 : 1)];
  if (Ka !== Kb) {
    throw new ShapeError(
      `${op}: inner dimensions differ: a [${a.shape}]${ta ? ' (transposed)' : ''} has K=${Ka}, b [${b.shape}]${tb ? ' (transposed)' : ''} has K=${Kb}`,
    );
  }
  // GEMM libraries index with 32-bit ints (the CPU backend's cblas_sgemm, cuBLAS): a larger matrix dim fails here.
  if (M > INT32_MAX || N > INT32_MAX || Ka > INT32_MAX) {
    throw new ShapeError(`${op}: matrix dimensions M=${M}, N=${N}, K=${Ka} must each be below 2^31`);
  }
  const batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
  return [...batch, M, N];
}

function rawMatmul(a: Tensor, b: Tensor, ta: boolean, tb: boolean, shape: number[]): Tensor {
  return runKernel('matmul', [a, b], [{ shape, dtype: 'float32' }], { transposeA: ta ? 1 : 0, transposeB: tb ? 1 : 0 })[0];
}

/**
 * op(a) @ op(b) over the last two dims; leading (batch) dims broadcast. float32. The transposes come as options
 * ({transposeA, transposeB}) or, as in tfjs's matMul, as two positional booleans.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions | boolean = {}, transposeB?: boolean): Tensor {
  const op = 'matmul';
  checkFloatPair(op, 'a', a, 'b', b);
  const opts = typeof options === 'boolean' ? { transposeA: options, transposeB } : options;
  if (opts === null || typeof opts !== 'object') {
    throw new ValueError(`${op}: the third argument must be {transposeA, transposeB} or a boolean (tfjs's transposeA), got ${options}`);
  }
  for (const [name, v] of [['transposeA', opts.transposeA], ['transposeB', opts.transposeB]] as const) {
    if (v !== undefined && typeof v !== 'boolean') throw new ValueError(`${op}: '${name}' must be a boolean, got ${JSON.stringify(v)}`);
  }
  const ta = opts.transposeA === true;
  const tb = opts.transposeB === true;
  const y = rawMatmul(a, b, ta, tb, matmulShape(op, a, b, ta, tb));
  return recordOp(op, [a, b], y, (dy) => [
    a.requiresGrad ? gradA(a, b, dy, ta, tb) : null,
    b.requiresGrad ? gradB(a, b, dy, ta, tb) : null,
  ]);
}

/** Runs a gradient matmul and folds broadcast batch dims back onto `target`'s shape. */
function mmTo(target: Tensor, x: Tensor, y: Tensor, tx: boolean, ty: boolean): Tensor {
  const g = rawMatmul(x, y, tx, ty, matmulShape('matmul (backward)', x, y, tx, ty));
  const r = sumToShape(g, target.shape);
  if (r !== g) g.dispose();
  return r;
}

// y = A B:     dA = dY B^T,   dB = A^T dY
// y = A B^T:   dA = dY B,     dB = dY^T A
// y = A^T B:   dA = B dY^T,   dB = A dY
// y = A^T B^T: dA = B^T dY^T, dB = dY^T A^T
function gradA(a: Tensor, b: Tensor, dy: Tensor, ta: boolean, tb: boolean): Tensor {
  if (!ta) return mmTo(a, dy, b, false, !tb);
  return mmTo(a, b, dy, tb, true);
}

function gradB(a: Tensor, b: Tensor, dy: Tensor, ta: boolean, tb: boolean): Tensor {
  // A shared b (no batch of its own) against a batched, untransposed a: fold the batch into the rows so dB is one GEMM
  // (a Dense layer applied to [batch, time, features] is this case) instead of a batch of products summed afterwards.
  const bBatch = b.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const rows = leadingSize(a);
  if (!ta && bBatch === 1 && a.rank > 2 && rows === leadingSize(dy)) {
    const a2 = a.view([rows, a.shape[a.rank - 1]]);
    const dy2 = dy.view([rows, dy.shape[dy.rank - 1]]);
    const g = tb ? rawMatmul(dy2, a2, true, false, [dy2.shape[1], a2.shape[1]]) : rawMatmul(a2, dy2, true, false, [a2.shape[1], dy2.shape[1]]);
    a2.dispose();
    dy2.dispose();
    if (b.rank === 2) return g;
    const v = g.view(b.shape);
    g.dispose();
    return v;
  }
  if (!tb) return ta ? mmTo(b, a, dy, false, false) : mmTo(b, a, dy, true, false);
  return ta ? mmTo(b, dy, a, true, true) : mmTo(b, dy, a, true, false);
}

/** Elements before the last dim (the row count of t seen as a matrix). */
function leadingSize(t: Tensor): number {
  return t.shape.slice(0, -1).reduce((p, d) => p * d, 1);
}

/** tfjs's name: matMul(a, b, transposeA?, transposeB?). */
export const matMul = matmul;
