// The x and y arguments of fit/evaluate/predict/trainOnBatch: one tensor, a list in input (output) order, or a dict
// keyed by input (output) layer name, as tfjs accepts them; turned into a list in model order.
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';

export type TensorArgs = Tensor | Tensor[] | Record<string, Tensor>;

const isTensor = (v: unknown): v is Tensor => !!v && (v as { isTensor?: unknown }).isTensor === true;

/** `x` as one tensor per name in `names`; `what` names the argument in errors ('fit: x'). */
export function tensorList(what: string, x: TensorArgs, names: string[]): Tensor[] {
  let list: Tensor[];
  if (isTensor(x)) {
    if (names.length !== 1) throw new ValueError(`${what}: the model has ${names.length} of these (${names.join(', ')}); pass a list or a dict of tensors`);
    list = [x];
  } else if (Array.isArray(x)) {
    if (x.length !== names.length) throw new ValueError(`${what}: expected ${names.length} tensor(s) (${names.join(', ')}), got a list of ${x.length}`);
    list = x;
  } else if (x && typeof x === 'object') {
    for (const k of Object.keys(x)) if (!names.includes(k)) throw new ValueError(`${what}: unknown name '${k}' (expected ${names.join(', ')})`);
    list = names.map((n) => {
      if (!(n in x)) throw new ValueError(`${what}: missing '${n}'`);
      return x[n];
    });
  } else {
    throw new ValueError(`${what}: expected a Tensor, a list of tensors or a dict of name -> tensor, got ${x === null ? 'null' : typeof x}`);
  }
  list.forEach((t, i) => {
    if (!isTensor(t)) throw new ValueError(`${what}: '${names[i]}' must be a Tensor`);
    if (t.rank < 1) throw new ShapeError(`${what}: '${names[i]}' must have a batch dimension, got a scalar`);
  });
  return list;
}

/** The common number of samples (first dimension) of all tensors, or a ValueError naming the odd one. */
export function sampleCount(what: string, groups: { label: string; tensors: Tensor[] }[]): number {
  const first = groups[0].tensors[0].shape[0];
  for (const g of groups) {
    g.tensors.forEach((t, i) => {
      if (t.shape[0] !== first) throw new ValueError(`${what}: ${g.label}${g.tensors.length > 1 ? `[${i}]` : ''} has ${t.shape[0]} samples but ${groups[0].label} has ${first}`);
    });
  }
  return first;
}
