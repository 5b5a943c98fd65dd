// The cos/sin tables of a discrete Fourier transform, built on the device by tensor ops (no host tables, no uploads):
// the FFT family multiplies by them (an O(n^2) DFT as one GEMM, differentiable, on every backend).
import type { Device } from '../../device';
import { ValueError } from '../../errors';
import { tidy } from '../../memory';
import type { Tensor } from '../../tensor';
import { arange, full } from '../creation';
import { mul } from '../elementwise';
import { cos, mod, sin } from '../math';
import { cast, reshape } from '../reshape';

/** Largest products r*c the int32 index grid holds exactly. */
const MAX_PRODUCT = 2 ** 31 - 1;

/**
 * cos and sin of 2 pi ((r c) mod period) / period for r < rows, c < cols: float32 [rows, cols]. The product is reduced
 * modulo the period in int32 first, so the float32 angle stays in [0, 2 pi) and accurate for long transforms.
 */
export function dftBasis(op: string, rows: number, cols: number, period: number, device: Device): { cos: Tensor; sin: Tensor } {
  if ((rows - 1) * (cols - 1) > MAX_PRODUCT) {
    throw new ValueError(`${op}: a transform of ${Math.max(rows, cols)} points is longer than supported (its ${rows} x ${cols} table would overflow int32 indices)`);
  }
  return tidy(() => {
    const r = reshape(arange(0, rows, 1, { dtype: 'int32', device }), [rows, 1]);
    const c = reshape(arange(0, cols, 1, { dtype: 'int32', device }), [1, cols]);
    const wrapped = mod(mul(r, c), full([], period, { dtype: 'int32', device })); // int32 throughout: exact
    const angle = mul(cast(wrapped, 'float32'), (2 * Math.PI) / period);
    return { cos: cos(angle), sin: sin(angle) };
  });
}
