// fft and ifft over the innermost dim of a complex64 tensor (tfjs's tf.spectral.fft / ifft): one GEMM of the
// interleaved (re, im) pairs against a real [2n, 2n] DFT matrix.
import { ShapeError } from '../../errors';
import type { Tensor } from '../../tensor';
import { mul, neg } from '../elementwise';
import { matmul } from '../matmul';
import { reshape } from '../reshape';
import { stack } from '../stack';
import { checkDType, checkTensor } from '../validate';
import { dftBasis } from './dft_basis';
import { complexFromPairs, pairsOf } from './view';

/** The length of x's innermost dim, which the transforms run over (tfjs collapses the others into a batch). */
export function innerLength(op: string, x: Tensor): number {
  if (x.rank === 0) throw new ShapeError(`${op}: 'input' must have rank >= 1 (the transform runs over the last dim), got a scalar`);
  const n = x.shape[x.rank - 1];
  if (n === 0) throw new ShapeError(`${op}: the last dim of 'input' [${x.shape}] is empty; there is nothing to transform`);
  return n;
}

function transform(op: string, input: Tensor, inverse: boolean): Tensor {
  checkTensor(op, 'input', input, true);
  checkDType(op, 'input', input, 'complex64');
  const n = innerLength(op, input);
  const { cos: c, sin: s } = dftBasis(op, n, n, n, input.device);
  // Rows (t, input part), columns (k, output part). Forward, X_k = sum_t x_t e^(-2 pi i k t / n):
  //   Re X_k = sum re_t cos + im_t sin,  Im X_k = sum -re_t sin + im_t cos;  the inverse flips the sines and scales 1/n.
  const sines = inverse ? neg(s) : s;
  const fromRe = stack([c, neg(sines)], -1); // [t, k, out part]
  const fromIm = stack([sines, c], -1);
  const basis = reshape(stack([fromRe, fromIm], 1), [2 * n, 2 * n]);
  const matrix = inverse ? mul(basis, 1 / n) : basis;
  const rows = reshape(pairsOf(input), [input.size / n, 2 * n]);
  return complexFromPairs(reshape(matmul(rows, matrix), [...input.shape, 2]));
}

/** The discrete Fourier transform over the innermost dim of complex64 `input` (same shape). Differentiable. */
export function fft(input: Tensor): Tensor {
  return transform('fft', input, false);
}

/** The inverse discrete Fourier transform over the innermost dim (scaled by 1/n, as tfjs's). Differentiable. */
export function ifft(input: Tensor): Tensor {
  return transform('ifft', input, true);
}
