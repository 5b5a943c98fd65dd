// rfft and irfft (tfjs's tf.spectral.rfft / irfft): real signals to their n/2 + 1 non-negative frequency bins and
// back, each as one GEMM against real DFT tables.
import type { Tensor } from '../../tensor';
import { tensor } from '../creation';
import { mul, neg } from '../elementwise';
import { slice } from '../layout';
import { matmul } from '../matmul';
import { reshape } from '../reshape';
import { stack } from '../stack';
import { checkDType, checkNumber, checkTensor } from '../validate';
import { dftBasis } from './dft_basis';
import { innerLength } from './fft';
import { complexFromPairs, pairsOf } from './view';

/**
 * The DFT of real float32 `input` over its innermost dim, keeping the bins 0 .. n/2 (the others are their conjugates):
 * complex64 [..., floor(n/2) + 1]. n is fftLength when given: longer inputs are cropped, shorter ones zero-padded.
 */
export function rfft(input: Tensor, fftLength?: number): Tensor {
  const op = 'rfft';
  checkTensor(op, 'input', input);
  checkDType(op, 'input', input, 'float32');
  const inner = innerLength(op, input);
  const n = fftLength === undefined || fftLength === null ? inner : checkNumber(op, 'fftLength', fftLength, { min: 1, integer: true });
  // Samples past n are cropped; the zeros that pad a short input add nothing, so its table just has fewer rows.
  const used = Math.min(inner, n);
  const bins = Math.floor(n / 2) + 1;
  const outer = input.shape.slice(0, -1);
  const x = used < inner ? slice(input, input.shape.map(() => 0), [...outer, used]) : input;
  const { cos, sin } = dftBasis(op, used, bins, n, input.device);
  const matrix = reshape(stack([cos, neg(sin)], -1), [used, 2 * bins]); // X_k = sum_t x_t (cos - i sin)
  const y = matmul(reshape(x, [input.size / inner, used]), matrix);
  return complexFromPairs(reshape(y, [...outer, bins, 2]));
}

/**
 * The real signal whose rfft is complex64 `input` (bins 0 .. m-1 over the innermost dim), float32 of length 2 (m - 1);
 * with m <= 2 bins, of length m (tfjs's rule). Rank 1 input gives [1, length], as tfjs's.
 */
export function irfft(input: Tensor): Tensor {
  const op = 'irfft';
  checkTensor(op, 'input', input, true);
  checkDType(op, 'input', input, 'complex64');
  const m = innerLength(op, input);
  const length = m <= 2 ? m : 2 * (m - 1);
  // x_t = (1/length) sum_k w_k (Re X_k cos - Im X_k sin)(2 pi k t / length): w_k = 2 for the bins that also stand for
  // their conjugate, 1 for DC and the last bin (and for every bin when m <= 2).
  const w = Float32Array.from({ length: m }, (_, k) => (m > 2 && k > 0 && k < m - 1 ? 2 : 1) / length);
  const weights = tensor(w, [m, 1], { device: input.device });
  const { cos, sin } = dftBasis(op, m, length, length, input.device);
  const matrix = reshape(stack([mul(cos, weights), neg(mul(sin, weights))], 1), [2 * m, length]); // [k, part, t]
  const y = matmul(reshape(pairsOf(input), [input.size / m, 2 * m]), matrix);
  return reshape(y, input.rank === 1 ? [1, length] : [...input.shape.slice(0, -1), length]);
}
