// tfjs's addN: the elementwise sum of same-shape, same-dtype tensors (a chain of adds, so the gradient reaches each).
import { DTypeError, ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { add } from './elementwise';
import { clone } from './reshape';
import { checkSameDevice, checkTensor, sameShape } from './validate';

export function addN(tensors: Tensor[]): Tensor {
  const op = 'addN';
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError(`${op}: 'tensors' must be a non-empty array of Tensors`);
  tensors.forEach((t, i) => checkTensor(op, `tensors[${i}]`, t));
  const first = tensors[0];
  // tfjs sums bool tensors into a bool result (values 2, 3 ...), which is not a bool: refused here.
  if (first.dtype === 'bool') throw new DTypeError(`${op}: tensors must be float32 or int32, got bool`);
  checkSameDevice(op, Object.fromEntries(tensors.map((t, i) => [`tensors[${i}]`, t])));
  tensors.forEach((t, i) => {
    if (t.dtype !== first.dtype) throw new DTypeError(`${op}: tensors[${i}] is ${t.dtype} but tensors[0] is ${first.dtype} (all must have one dtype)`);
    if (!sameShape(t.shape, first.shape)) throw new ShapeError(`${op}: tensors[${i}] has shape [${t.shape}] but tensors[0] has [${first.shape}] (all must have one shape)`);
  });
  return tensors.length === 1 ? clone(first) : tensors.slice(1).reduce((sum, t) => add(sum, t), first);
}
