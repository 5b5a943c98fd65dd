// GPU-vs-CPU parity harness: the same seeded inputs on 'cpu' and 'cuda:0', forward and backward, compared per element.
import * as tn from '../../lib';
import { randomArray, sizeOf } from '../helpers/gradcheck';
import { CPU, GPU } from './gpu_env';

export interface Tol {
  rtol: number;
  atol: number;
}

/** fp32 elementwise results: a few ulps apart (expf/logf/tanhf differ between libm and CUDA's math library). */
export const FP32: Tol = { rtol: 1e-4, atol: 1e-5 };

/** Sums of K terms in [-1, 1): the summation order differs (blocked GEMM, tree reductions), so atol grows with K. */
export function fp32Sum(k: number): Tol {
  return { rtol: 2e-4, atol: 1e-5 + 5e-7 * k };
}

/** TF32 products (10-bit mantissa, about 5e-4 relative per product): error grows like sqrt(K). */
export function tf32Sum(k: number): Tol {
  return { rtol: 1e-2, atol: 2e-3 * Math.sqrt(k) };
}

/** A copy of a CPU tensor on the GPU (in self-test mode a clone, so the two sides never share a tensor). */
export function toGpu(t: tn.Tensor): tn.Tensor {
  return GPU === CPU ? tn.clone(t) : t.to(GPU);
}

/** Asserts |gpu - cpu| <= atol + rtol * |cpu| everywhere (NaN never passes), naming the worst element. */
export function expectNear(what: string, gpu: ArrayLike<number>, cpu: ArrayLike<number>, tol: Tol): void {
  if (gpu.length !== cpu.length) throw new Error(`${what}: GPU gave ${gpu.length} values, CPU ${cpu.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < cpu.length; i++) {
    const excess = Math.abs(gpu[i] - cpu[i]) - (tol.atol + tol.rtol * Math.abs(cpu[i]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}: GPU ${gpu[worst]} vs CPU ${cpu[worst]} at element ${worst} of ${cpu.length} ` +
        `(|diff| ${Math.abs(gpu[worst] - cpu[worst]).toExponential(3)}, rtol ${tol.rtol}, atol ${tol.atol})`,
    );
  }
}

/** Asserts bit-for-bit equality (integer outputs, masks, copies). */
export function expectExact(what: string, gpu: ArrayLike<number>, cpu: ArrayLike<number>): void {
  if (gpu.length !== cpu.length) throw new Error(`${what}: GPU gave ${gpu.length} values, CPU ${cpu.length}`);
  // Typed arrays of 4-byte elements compare as bits (NaN payloads and -0 included); plain arrays with Object.is.
  const bits = (v: ArrayLike<number>): Uint32Array | null =>
    ArrayBuffer.isView(v) && (v as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT === 4 ? new Uint32Array(v.buffer, v.byteOffset, v.length) : null;
  const gb = bits(gpu);
  const cb = bits(cpu);
  if (gb && cb && Buffer.from(gb.buffer, gb.byteOffset, gb.byteLength).equals(Buffer.from(cb.buffer, cb.byteOffset, cb.byteLength))) return;
  for (let i = 0; i < cpu.length; i++) {
    const same = gb && cb ? gb[i] === cb[i] : Object.is(gpu[i], cpu[i]);
    if (!same) throw new Error(`${what}: GPU ${gpu[i]} vs CPU ${cpu[i]} at element ${i} of ${cpu.length} (exact match expected)`);
  }
}

/**
 * One input of a parity case. kind: 'any' uniform in range (default [-1, 1)), 'ties' small integers -1..1 as floats
 * (exercises tie rules), 'labels' int32 class indices in [0, classes).
 */
export interface InputSpec {
  shape: number[];
  kind?: 'any' | 'ties' | 'labels' | 'int';
  range?: [number, number];
  classes?: number;
  /** Whether a float input gets a gradient (default true). */
  grad?: boolean;
}

export interface ParityCase {
  inputs: InputSpec[];
  fn: (xs: tn.Tensor[]) => tn.Tensor;
  /** Forward tolerance (default FP32); 'exact' for bit-for-bit. */
  tol?: Tol | 'exact';
  /** Gradient tolerance (default: the forward one, or FP32 when the forward is exact). */
  gradTol?: Tol;
  /** Skip backward (non-differentiable ops). */
  forwardOnly?: boolean;
  seed?: number;
}

function hostData(spec: InputSpec, seed: number): Float32Array | Int32Array {
  const n = sizeOf(spec.shape);
  const kind = spec.kind ?? 'any';
  if (kind === 'labels' || kind === 'int') {
    const lo = kind === 'labels' ? 0 : -10;
    const hi = kind === 'labels' ? (spec.classes ?? 2) : 10;
    const u = randomArray(n, seed, 0, 1);
    return Int32Array.from(u, (v) => Math.min(hi - 1, lo + Math.floor(v * (hi - lo))));
  }
  if (kind === 'ties') return Float32Array.from(randomArray(n, seed, 0, 1), (v) => Math.floor(v * 3) - 1);
  const [lo, hi] = spec.range ?? [-1, 1];
  return randomArray(n, seed, lo, hi);
}

const isFloatInput = (s: InputSpec): boolean => s.kind !== 'labels' && s.kind !== 'int';

/** Makes the inputs on both devices: CPU tensors directly, GPU tensors as `.to('cuda:0')` copies (leaves). */
export function makeInputs(specs: InputSpec[], seed: number, withGrad: boolean): { cpu: tn.Tensor[]; gpu: tn.Tensor[] } {
  const cpu: tn.Tensor[] = [];
  const gpu: tn.Tensor[] = [];
  specs.forEach((s, i) => {
    const data = hostData(s, seed + 101 * i);
    const dtype = isFloatInput(s) ? 'float32' : 'int32';
    const c = tn.tensor(data, s.shape, { device: CPU, dtype });
    const g = toGpu(c);
    if (withGrad && isFloatInput(s) && s.grad !== false) {
      c.requiresGrad = true;
      g.requiresGrad = true;
    }
    cpu.push(c);
    gpu.push(g);
  });
  return { cpu, gpu };
}

async function compareTensors(what: string, g: tn.Tensor, c: tn.Tensor, tol: Tol | 'exact'): Promise<void> {
  expect(g.device).toBe(GPU);
  expect(c.device).toBe(CPU);
  expect([...g.shape]).toEqual([...c.shape]);
  expect(g.dtype).toBe(c.dtype);
  const [gv, cv] = await Promise.all([g.data(), c.data()]);
  if (tol === 'exact' || g.dtype === 'int32') expectExact(what, gv, cv);
  else expectNear(what, gv, cv, tol);
}

/**
 * Runs `fn` on both devices with the same inputs; compares outputs, then backpropagates the same random upstream
 * gradient on both and compares the gradient of every float input.
 */
export async function checkParity(c: ParityCase): Promise<void> {
  const seed = c.seed ?? 4242;
  const wantGrad = !c.forwardOnly;
  const { cpu, gpu } = makeInputs(c.inputs, seed, wantGrad);
  const made: tn.Tensor[] = [...cpu, ...gpu];
  try {
    const yc = c.fn(cpu);
    const yg = c.fn(gpu);
    made.push(yc, yg);
    const tol = c.tol ?? FP32;
    await compareTensors('forward', yg, yc, tol);
    if (!wantGrad || !cpu.some((t) => t.requiresGrad)) return;
    expect(yg.requiresGrad).toBe(yc.requiresGrad);
    if (!yc.requiresGrad) return;
    const up = randomArray(yc.size, seed + 7, 0.5, 1.5);
    const upC = tn.tensor(up, yc.shape, { device: CPU });
    const upG = toGpu(upC);
    made.push(upC, upG);
    yc.backward(upC);
    yg.backward(upG);
    const gradTol = c.gradTol ?? (tol === 'exact' ? FP32 : tol);
    for (let i = 0; i < cpu.length; i++) {
      if (!cpu[i].requiresGrad) continue;
      const gc = cpu[i].grad;
      const gg = gpu[i].grad;
      expect(gg === null).toBe(gc === null);
      if (gc && gg) await compareTensors(`gradient of input ${i} [${cpu[i].shape}]`, gg, gc, gradTol);
    }
  } finally {
    for (const t of [...cpu, ...gpu]) t.grad?.dispose();
    tn.dispose(made);
  }
}
