// Test helpers: seeded random inputs, an independent closeness check, and finite-difference gradient checks.
import * as tn from '../../lib';

/** Deterministic pseudo-random floats (mulberry32) in [lo, hi), never all zero. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Asserts |actual - expected| <= atol + rtol * |expected| everywhere, reporting the worst element. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    throw new Error(`mismatch at ${worst}: got ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol}, ${expected.length} elements)`);
  }
}

export interface GradInput {
  shape: number[];
  data?: Float32Array;
  /** Range of generated values (default [-1, 1)); keep away from kinks such as relu at 0. */
  range?: [number, number];
}

/**
 * Checks the autograd gradients of f at the given inputs against central finite differences of
 * L = sum(f(x) * R), R a fixed random weight, computed in float64 on the host from float32 outputs.
 */
export async function checkGradients(
  f: (inputs: tn.Tensor[]) => tn.Tensor,
  specs: GradInput[],
  opts: { eps?: number; rtol?: number; atol?: number; seed?: number } = {},
): Promise<void> {
  const eps = opts.eps ?? 1e-2;
  const seed = opts.seed ?? 1234;
  const datas = specs.map((s, i) => s.data ?? randomArray(sizeOf(s.shape), seed + 17 * i, ...(s.range ?? [-1, 1])));
  const inputs = specs.map((s, i) => tn.tensor(datas[i], s.shape, { requiresGrad: true }));
  const y = f(inputs);
  const weight = randomArray(y.size, seed + 999, 0.5, 1.5);
  const objective = async (xs: tn.Tensor[]): Promise<number> => {
    const out = tn.noGrad(() => f(xs));
    const v = await out.data();
    let total = 0;
    for (let i = 0; i < v.length; i++) total += v[i] * weight[i];
    return total;
  };
  // Seed backward with the weight itself: d(sum(y*R))/dy = R, so no reduction op is needed here.
  y.backward(tn.tensor(weight, y.shape));
  for (let k = 0; k < specs.length; k++) {
    const analytic = await inputs[k].grad!.data();
    const numeric = new Float64Array(datas[k].length);
    for (let i = 0; i < datas[k].length; i++) {
      const plus = Float32Array.from(datas[k]);
      const minus = Float32Array.from(datas[k]);
      plus[i] += eps;
      minus[i] -= eps;
      const at = (d: Float32Array) => specs.map((s, j) => tn.tensor(j === k ? d : datas[j], s.shape));
      numeric[i] = ((await objective(at(plus))) - (await objective(at(minus)))) / (2 * eps);
    }
    try {
      expectClose(analytic, numeric, opts.rtol ?? 2e-2, opts.atol ?? 2e-3);
    } catch (e) {
      throw new Error(`gradient of input ${k} (shape [${specs[k].shape}]): ${(e as Error).message}`);
    }
  }
}
