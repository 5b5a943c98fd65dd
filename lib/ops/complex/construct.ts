// complex(real, imag), real(x), imag(x), and the conversions between complex64 and the real dtypes that cast uses.
import type { Device } from '../../device';
import type { DType } from '../../dtype';
import { ShapeError, ValueError } from '../../errors';
import { Tensor, type NestedArray } from '../../tensor';
import { tensor, zeros } from '../creation';
import { slice } from '../layout';
import { cast, clone, reshape } from '../reshape';
import { stack } from '../stack';
import { checkSameDevice, checkTensor } from '../validate';
import { complexFromPairs, pairsOf } from './view';

/** A real operand: a tensor of any real dtype, or a number, boolean or (nested) array (tfjs's TensorLike). */
export type RealLike = Tensor | number | boolean | NestedArray;

/** A real operand as a float32 tensor (int32 and bool values convert, as tfjs's complex() takes them). */
function asFloat(op: string, arg: string, v: unknown, device?: Device): Tensor {
  let t: Tensor;
  if (v instanceof Tensor) t = checkTensor(op, arg, v);
  else if (typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v)) t = tensor(v as NestedArray, undefined, { device });
  else throw new ValueError(`${op}: argument '${arg}' must be a Tensor, number or array, got ${v === null ? 'null' : typeof v}`);
  return t.dtype === 'float32' ? t : cast(t, 'float32');
}

/** The complex tensor real + i imag; both parts must have one shape (tfjs does not broadcast them). Differentiable. */
export function complex(real: RealLike, imag: RealLike): Tensor {
  const op = 'complex';
  const device = real instanceof Tensor ? real.device : imag instanceof Tensor ? imag.device : undefined;
  const re = asFloat(op, 'real', real, device);
  const im = asFloat(op, 'imag', imag, re.device);
  checkSameDevice(op, { real: re, imag: im });
  if (re.shape.join() !== im.shape.join() || re.rank !== im.rank) {
    throw new ShapeError(`${op}: 'real' has shape [${re.shape}] but 'imag' has shape [${im.shape}]; they must match`);
  }
  return complexFromPairs(stack([re, im], -1));
}

/** Part `k` (0: real, 1: imaginary) of complex x, float32 of x's shape. */
function part(x: Tensor, k: 0 | 1): Tensor {
  const p = pairsOf(x);
  return reshape(slice(p, [...x.shape.map(() => 0), k], [...x.shape, 1]), x.shape);
}

/** The real part of a complex tensor, float32; a real input is returned as a float32 copy (tfjs's documented rule). */
export function real(input: Tensor | RealLike): Tensor {
  if (input instanceof Tensor && checkTensor('real', 'input', input, true).dtype === 'complex64') return part(input, 0);
  const x = asFloat('real', 'input', input);
  return x === input ? clone(x) : x;
}

/** The imaginary part of a complex tensor, float32; a real input has zeros there (tfjs's documented rule). */
export function imag(input: Tensor | RealLike): Tensor {
  if (input instanceof Tensor && checkTensor('imag', 'input', input, true).dtype === 'complex64') return part(input, 1);
  const x = asFloat('imag', 'input', input);
  return zeros(x.shape, { device: x.device });
}

/**
 * cast() where either side is complex64: complex -> complex copies, complex -> a real dtype keeps the real part (then
 * converts it, as tfjs's cast does), a real dtype -> complex gets a zero imaginary part.
 */
export function castComplex(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === 'complex64' && dtype === 'complex64') return clone(x);
  if (x.dtype === 'complex64') {
    const re = part(x, 0);
    return dtype === 'float32' ? re : cast(re, dtype);
  }
  const f = x.dtype === 'float32' ? x : cast(x, 'float32');
  return complex(f, zeros(f.shape, { device: f.device }));
}

/** A complex operand of a complex op: complex tensors as they are, real tensors and numbers with a zero imaginary part. */
export function asComplex(op: string, arg: string, v: unknown, device: Device): Tensor {
  if (v instanceof Tensor && checkTensor(op, arg, v, true).dtype === 'complex64') return v;
  const f = asFloat(op, arg, v, device);
  return complex(f, zeros(f.shape, { device: f.device }));
}
