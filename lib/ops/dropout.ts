// Dropout: zeroes elements with probability `rate` and scales the rest by 1/(1-rate); the mask is the gradient.
import { ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { nextSeed } from '../random';
import type { Tensor } from '../tensor';
import { checkDType, checkNumber, checkTensor } from './validate';
import { ones } from './creation';
import { mul } from './elementwise';

export interface DropoutOptions {
  /** Seed of the mask (same seed, same mask on every device); default: the next seed of the global sequence (setSeed). */
  seed?: number;
  /** When false, dropout is the identity (inference). Default true. */
  training?: boolean;
}

/**
 * Inverted dropout. Identity (a view of x) when rate is 0 or not training. Takes tfjs's positional
 * (x, rate, noiseShape?, seed?) — noiseShape draws a mask of that shape and broadcasts it over x (e.g. [n, 1, c]
 * keeps or drops whole feature maps) — or tensornode's options {seed, training}.
 */
export function dropout(x: Tensor, rate: number, options?: DropoutOptions): Tensor;
export function dropout(x: Tensor, rate: number, noiseShape?: number[], seed?: number | string): Tensor;
export function dropout(x: Tensor, rate: number, optionsOrNoiseShape: DropoutOptions | number[] = {}, seed?: number | string): Tensor {
  if (Array.isArray(optionsOrNoiseShape) || seed !== undefined) return dropoutTfjs(x, rate, Array.isArray(optionsOrNoiseShape) ? optionsOrNoiseShape : undefined, seed);
  return dropoutWithOptions(x, rate, optionsOrNoiseShape ?? {});
}

/** tfjs's form: a string seed is hashed to a number; a noiseShape mask is drawn once and broadcast. */
function dropoutTfjs(x: Tensor, rate: number, noiseShape: number[] | undefined, seed: number | string | undefined): Tensor {
  const op = 'dropout';
  checkTensor(op, 'x', x);
  const numericSeed = typeof seed === 'string' ? hashSeed(seed) : seed;
  if (noiseShape === undefined || noiseShape.join() === x.shape.join()) return dropoutWithOptions(x, rate, { seed: numericSeed });
  if (noiseShape.length !== x.rank || noiseShape.some((d, i) => !Number.isInteger(d) || (d !== 1 && d !== x.shape[i]))) {
    throw new ValueError(`${op}: 'noiseShape' [${noiseShape}] must have x's rank with each dim 1 or x's (x: [${x.shape}])`);
  }
  const keep = dropoutWithOptions(ones(noiseShape, 'float32'), rate, { seed: numericSeed }); // 0 or 1/(1-rate)
  return mul(x, keep);
}

/** A string seed as a 32-bit number (FNV-1a), so equal strings give equal masks. */
function hashSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function dropoutWithOptions(x: Tensor, rate: number, options: DropoutOptions): Tensor {
  const op = 'dropout';
  checkTensor(op, 'x', x);
  checkDType(op, 'x', x, 'float32');
  checkNumber(op, 'rate', rate, { min: 0, max: 1 });
  if (rate === 1) throw new ValueError(`${op}: 'rate' must be in [0, 1) (rate 1 would drop everything), got 1`);
  if (options.seed !== undefined) checkNumber(op, 'seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  if (rate === 0 || options.training === false) {
    const y = x.view(x.shape);
    return recordOp(op, [x], y, (dy) => [dy]);
  }
  const seed = options.seed ?? nextSeed();
  const [y, mask] = runKernel(op, [x], [{ shape: x.shape, dtype: 'float32' }, { shape: x.shape, dtype: 'float32' }], { rate, seed });
  // dx = dy * mask (the mask already holds the 1/(1-rate) scale); the node owns the mask
  return recordOp(op, [x], y, (dy) => runKernel('mul', [dy, mask], [{ shape: x.shape, dtype: 'float32' }]), [mask]);
}
