// The generalised cosine window shared by tf.signal's hann/hamming windows and the top-level cosineWindow.
import { ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';

/** a - b cos(2 pi i / D) for i < N, where D is N for even N and N - 1 for odd N (tfjs's rule). */
export function generalCosineWindow(op: string, windowLength: number, a: number, b: number): Tensor {
  if (!Number.isInteger(windowLength) || windowLength < 0) throw new ValueError(`${op}: 'windowLength' must be a non-negative integer, got ${windowLength}`);
  const even = 1 - (windowLength % 2);
  const values = new Float32Array(windowLength);
  for (let i = 0; i < windowLength; i++) values[i] = a - b * Math.cos((2 * Math.PI * i) / (windowLength + even - 1));
  return tensor(values, [windowLength]);
}
