// tfjs's random tensors with its argument orders: randomUniform, randomNormal, randomStandardNormal, truncatedNormal,
// randomUniformInt, randomGamma, multinomial. A seed (number or string) repeats the numbers (not tfjs's numbers).
import { DTypeError, ShapeError, ValueError } from '../errors';
import type { DType } from '../dtype';
import { getDefaultDevice } from '../device';
import { fromHostArray, runKernel } from '../engine/kernel';
import { mulberry32 } from '../data/prng';
import { noGrad } from '../autograd/tape';
import { nextSeed } from '../random';
import type { Tensor } from '../tensor';
import { add, mul, sign } from './elementwise';
import { floor } from './math';
import { softmax } from './softmax';
import { checkDType, checkNumber, checkRank, checkShape, checkTensor } from './validate';

export type Seed = number | string;

/** A non-negative integer seed from tfjs's number-or-string seed (others hashed), or the next global one. */
export function seedValue(op: string, seed: Seed | undefined | null): number {
  if (seed === undefined || seed === null) return nextSeed();
  if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return seed;
  if (typeof seed !== 'number' && typeof seed !== 'string') throw new ValueError(`${op}: 'seed' must be a number or a string, got ${typeof seed}`);
  if (typeof seed === 'number' && !Number.isFinite(seed)) throw new ValueError(`${op}: 'seed' must be finite, got ${seed}`);
  // FNV-1a over the text: any number or string maps to a repeatable 32-bit seed.
  let h = 0x811c9dc5;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

function floatOrInt(op: string, dtype: unknown): DType {
  if (dtype === undefined || dtype === null || dtype === 'float32') return 'float32';
  if (dtype === 'int32') return 'int32';
  throw new DTypeError(`${op}: dtype must be 'float32' or 'int32', got ${JSON.stringify(dtype)}`);
}

/**
 * The float draws `x` as int32: `toIntegral` maps them onto the integers the cast (truncation) then keeps; every
 * float tensor involved is disposed.
 */
function drawsToInt(x: Tensor, toIntegral: (x: Tensor) => Tensor[]): Tensor {
  return noGrad(() => {
    const steps = toIntegral(x);
    const y = runKernel('cast', [steps[steps.length - 1]], [{ shape: x.shape, dtype: 'int32' }])[0];
    for (const t of [...steps, x]) t.dispose();
    return y;
  });
}

/** Rounds half away from zero into int32 (tfjs rounds the draws of an int32 normal tensor). */
function roundToInt(x: Tensor): Tensor {
  return drawsToInt(x, (v) => {
    const half = mul(sign(v), 0.5);
    return [half, add(v, half)];
  });
}

/** Floors into int32 (tfjs's int32 uniform draws: integers in [minval, maxval)). */
function floorToInt(x: Tensor): Tensor {
  return drawsToInt(x, (v) => [floor(v)]);
}

/** Uniform values in [minval, maxval) (tfjs defaults 0, 1); int32 rounds them. */
export function randomUniform(shape: readonly number[], minval = 0, maxval = 1, dtype: DType = 'float32', seed?: Seed): Tensor {
  const op = 'randomUniform';
  const s = checkShape(op, 'shape', shape);
  checkNumber(op, 'minval', minval);
  checkNumber(op, 'maxval', maxval);
  const dt = floatOrInt(op, dtype);
  const y = runKernel('random_uniform', [], [{ shape: s, dtype: 'float32' }], { seed: seedValue(op, seed), low: minval, high: maxval }, getDefaultDevice())[0];
  // tfjs floors a uniform draw into int32 (uniform integers in [minval, maxval)); rounding would give the two ends
  // half the weight and reach maxval itself.
  return dt === 'int32' ? floorToInt(y) : y;
}

/** Integers uniform in [minval, maxval) (int32). */
export function randomUniformInt(shape: readonly number[], minval: number, maxval: number, seed?: Seed): Tensor {
  const op = 'randomUniformInt';
  const s = checkShape(op, 'shape', shape);
  checkNumber(op, 'minval', minval, { integer: true });
  checkNumber(op, 'maxval', maxval, { integer: true });
  if (maxval <= minval) throw new ValueError(`${op}: 'maxval' (${maxval}) must be greater than 'minval' (${minval})`);
  const rng = mulberry32(seedValue(op, seed));
  const host = new Int32Array(s.reduce((a, b) => a * b, 1));
  for (let i = 0; i < host.length; i++) host[i] = minval + Math.floor(rng() * (maxval - minval));
  return fromHostArray(host, s, 'int32', getDefaultDevice());
}

/** The checked (shape, mean, stdDev, dtype) of a normal draw. */
function normalArgs(op: string, shape: readonly number[], mean: number, stdDev: number, dtype: unknown): { s: number[]; dt: DType } {
  const s = checkShape(op, 'shape', shape);
  checkNumber(op, 'mean', mean);
  checkNumber(op, 'stdDev', stdDev, { min: 0 });
  return { s, dt: floatOrInt(op, dtype) };
}

/** Normal values (tfjs defaults mean 0, stdDev 1); int32 rounds them. */
export function randomNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype?: DType, seed?: Seed): Tensor {
  const op = 'randomNormal';
  const { s, dt } = normalArgs(op, shape, mean, stdDev, dtype);
  const y = runKernel('random_normal', [], [{ shape: s, dtype: 'float32' }], { seed: seedValue(op, seed), mean, std: stdDev }, getDefaultDevice())[0];
  return dt === 'int32' ? roundToInt(y) : y;
}

/** Standard normal values. */
export function randomStandardNormal(shape: readonly number[], dtype?: DType, seed?: Seed): Tensor {
  return randomNormal(shape, 0, 1, dtype, seed);
}

/** Standard normal draws from a seeded uniform generator (Box-Muller, both values used). */
function gaussians(rng: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * rng();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
}

/** Normal values with every draw beyond two standard deviations redrawn (tfjs defaults mean 0, stdDev 1). */
export function truncatedNormal(shape: readonly number[], mean = 0, stdDev = 1, dtype?: DType, seed?: Seed): Tensor {
  const op = 'truncatedNormal';
  const { s, dt } = normalArgs(op, shape, mean, stdDev, dtype);
  const g = gaussians(mulberry32(seedValue(op, seed)));
  const host = dt === 'int32' ? new Int32Array(s.reduce((a, b) => a * b, 1)) : new Float32Array(s.reduce((a, b) => a * b, 1));
  for (let i = 0; i < host.length; i++) {
    let z = g();
    while (Math.abs(z) > 2) z = g();
    const v = mean + stdDev * z;
    host[i] = dt === 'int32' ? Math.sign(v) * Math.round(Math.abs(v)) : v;
  }
  return fromHostArray(host, s, dt, getDefaultDevice());
}

/** Gamma(alpha, beta) values (beta is the rate, default 1), by Marsaglia and Tsang's method. */
export function randomGamma(shape: readonly number[], alpha: number, beta = 1, dtype: DType = 'float32', seed?: Seed): Tensor {
  const op = 'randomGamma';
  const s = checkShape(op, 'shape', shape);
  checkNumber(op, 'alpha', alpha);
  checkNumber(op, 'beta', beta);
  if (!(alpha > 0)) throw new ValueError(`${op}: 'alpha' must be > 0, got ${alpha}`);
  if (!(beta > 0)) throw new ValueError(`${op}: 'beta' must be > 0, got ${beta}`);
  const dt = floatOrInt(op, dtype);
  const rng = mulberry32(seedValue(op, seed));
  const g = gaussians(rng);
  const draw = (a: number): number => {
    if (a < 1) return draw(a + 1) * Math.pow(rng() || Number.MIN_VALUE, 1 / a);
    const d = a - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = g();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rng();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  const host = dt === 'int32' ? new Int32Array(s.reduce((a, b) => a * b, 1)) : new Float32Array(s.reduce((a, b) => a * b, 1));
  for (let i = 0; i < host.length; i++) host[i] = draw(alpha) / beta;
  return fromHostArray(host, s, dt, getDefaultDevice());
}

/**
 * `numSamples` class indices per row drawn from `logits` ([numOutcomes] or [batch, numOutcomes]); with
 * `normalized` the input holds probabilities. Returns int32 [numSamples] or [batch, numSamples]. Reads the
 * probabilities back synchronously (as tfjs does).
 */
export function multinomial(logits: Tensor, numSamples: number, seed?: Seed, normalized = false): Tensor {
  const op = 'multinomial';
  checkTensor(op, 'logits', logits);
  checkDType(op, 'logits', logits, 'float32');
  checkRank(op, 'logits', logits, 1, 2);
  checkNumber(op, 'numSamples', numSamples, { min: 1, integer: true });
  const outcomes = logits.shape[logits.rank - 1];
  if (outcomes < 2) throw new ShapeError(`${op}: 'logits' needs at least 2 outcomes in its last dimension, got shape [${logits.shape}]`);
  const batch = logits.rank === 1 ? 1 : logits.shape[0];
  const probsT = normalized ? logits : noGrad(() => softmax(logits, -1));
  const probs = probsT.dataSync();
  if (probsT !== logits) probsT.dispose();
  const rng = mulberry32(seedValue(op, seed));
  const out = new Int32Array(batch * numSamples);
  for (let b = 0; b < batch; b++) {
    const row = probs.subarray(b * outcomes, (b + 1) * outcomes);
    let total = 0;
    for (const p of row) total += p;
    for (let k = 0; k < numSamples; k++) {
      let r = rng() * total;
      let j = 0;
      while (j < outcomes - 1 && r >= row[j]) r -= row[j++];
      out[b * numSamples + k] = j;
    }
  }
  return fromHostArray(out, logits.rank === 1 ? [numSamples] : [batch, numSamples], 'int32', logits.device);
}
