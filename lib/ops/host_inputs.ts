// Argument conversion for the sparse and ragged ops, which take tensors or plain arrays (tfjs's TensorLike) and read
// their index arguments on the host.
import type { DType } from '../dtype';
import { DTypeError, ValueError } from '../errors';
import { Tensor, type NestedArray } from '../tensor';
import { tensor } from './creation';
import { checkTensor } from './validate';

type Like = Tensor | number | NestedArray;

/** `v` as a tensor: a live Tensor of the wanted dtype (when one is given), or an array / number converted to it. */
export function toTensorArg(op: string, arg: string, v: Like, dtype?: DType, device?: Tensor['device']): Tensor {
  if (v instanceof Tensor) {
    checkTensor(op, arg, v);
    if (dtype !== undefined && v.dtype !== dtype) throw new DTypeError(`${op}: argument '${arg}' must be a ${dtype} tensor, got ${v.dtype}`);
    return v;
  }
  if (typeof v !== 'number' && !Array.isArray(v)) {
    throw new ValueError(`${op}: argument '${arg}' must be a Tensor, a number or an array, got ${v === null ? 'null' : typeof v}`);
  }
  return tensor(v as NestedArray, undefined, { dtype: dtype ?? 'float32', ...(device ? { device } : {}) });
}

/** The values of an int32 argument as plain numbers (a synchronous read: the caller's output shape depends on them). */
export function intValues(t: Tensor): number[] {
  return Array.from(t.dataSync() as Int32Array);
}
