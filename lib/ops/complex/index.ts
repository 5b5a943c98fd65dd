// Complex tensors and FFTs (tfjs's complex, real, imag and tf.spectral): the public names of lib/ops/complex/.
import { fft, ifft } from './fft';
import { irfft, rfft } from './rfft';

export { complex, imag, real } from './construct';
export { fft, ifft, irfft, rfft };

/** tfjs's tf.spectral namespace (the same functions as the top-level fft, ifft, rfft, irfft). */
export const spectral = { fft, ifft, rfft, irfft };
