// tfjs's tf.signal: frame, hannWindow, hammingWindow, and stft (frames, windowed, through rfft).
import { ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { pad } from './layout';
import { gather } from './gather';
import { checkRank, checkTensor } from './validate';
import { generalCosineWindow } from './window_util';
import { mul } from './elementwise';
import { rfft } from './complex/rfft';

/** The Hann window of `windowLength` samples (float32). */
function hannWindow(windowLength: number): Tensor {
  return generalCosineWindow('hannWindow', windowLength, 0.5, 0.5);
}

/** The Hamming window of `windowLength` samples (float32). */
function hammingWindow(windowLength: number): Tensor {
  return generalCosineWindow('hammingWindow', windowLength, 0.54, 0.46);
}

/**
 * Slices a 1-D signal into frames of frameLength samples, frameStep apart: [numFrames, frameLength]. With padEnd the
 * frames that run past the end are kept, filled with padValue; without it they are dropped.
 */
function frame(signal: Tensor, frameLength: number, frameStep: number, padEnd = false, padValue = 0): Tensor {
  const op = 'frame';
  checkTensor(op, 'signal', signal);
  checkRank(op, 'signal', signal, 1);
  for (const [name, v] of [['frameLength', frameLength], ['frameStep', frameStep]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`${op}: '${name}' must be a positive integer, got ${v}`);
  }
  if (typeof padValue !== 'number') throw new ValueError(`${op}: 'padValue' must be a number, got ${padValue}`);
  const n = signal.size;
  const starts: number[] = [];
  let start = 0;
  for (; start + frameLength <= n; start += frameStep) starts.push(start);
  if (padEnd) for (; start < n; start += frameStep) starts.push(start);
  if (starts.length === 0) return tensor(new Float32Array(0), [0, frameLength], { device: signal.device });
  // One gather of a row-major index grid over the signal, extended with padValue when frames run past the end.
  const last = starts[starts.length - 1] + frameLength;
  const source = last > n ? pad(signal, [[0, last - n]], padValue) : signal;
  const index = starts.flatMap((s) => Array.from({ length: frameLength }, (_, i) => s + i));
  return gather(source, tensor(index, [starts.length, frameLength], { dtype: 'int32', device: signal.device }));
}

/**
 * The short-time Fourier transform of a 1-D signal: frames of frameLength samples, frameStep apart (none padded),
 * each multiplied by windowFn(frameLength) (Hann by default), then rfft with fftLength (default: the smallest power of
 * two >= frameLength): complex64 [frames, fftLength / 2 + 1]. Differentiable.
 */
function stft(signal: Tensor, frameLength: number, frameStep: number, fftLength?: number, windowFn: (length: number) => Tensor = hannWindow): Tensor {
  const op = 'stft';
  if (typeof windowFn !== 'function') throw new ValueError(`${op}: 'windowFn' must be a function of the window length, got ${typeof windowFn}`);
  const framed = frame(signal, frameLength, frameStep);
  const n = fftLength ?? 2 ** Math.ceil(Math.log2(frameLength));
  return rfft(mul(framed, windowFn(frameLength)), n);
}

/** tfjs's tf.signal namespace. */
export const signal = { frame, hannWindow, hammingWindow, stft };
