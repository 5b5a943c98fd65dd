// The int32 range rule at the call (native/KERNELS.md): values stored into int32 are finite and truncate into range.
import { ValueError } from '../errors';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** True when `v` truncated toward zero is a valid int32 (NaN and infinities are not). */
export function fitsInt32(v: number): boolean {
  return Number.isFinite(v) && v > INT32_MIN - 1 && v < INT32_MAX + 1;
}

/** Throws a ValueError naming op, argument and value unless `v` can be stored into an int32 tensor. */
export function checkInt32Value(op: string, arg: string, v: number): void {
  if (!fitsInt32(v)) throw new ValueError(`${op}: '${arg}' ${v} is outside the int32 range [${INT32_MIN}, ${INT32_MAX}]`);
}

/** Checks every value bound for an int32 tensor, naming the first bad one's position. */
export function checkInt32Values(op: string, arg: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!fitsInt32(v)) {
      throw new ValueError(`${op}: '${arg}' value ${v} at index ${i} is outside the int32 range [${INT32_MIN}, ${INT32_MAX}]`);
    }
  }
}
