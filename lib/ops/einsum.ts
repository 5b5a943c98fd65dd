// tfjs's einsum, with tfjs's subset: one explicit '->', at most two operands, no '...' and no label repeated within
// an operand. Two float32 operands contract through one batched matmul; other cases multiply with broadcasting and sum.
import { ValueError, ShapeError } from '../errors';
import type { Tensor } from '../tensor';
import { mul } from './elementwise';
import { transpose } from './layout';
import { matmul } from './matmul';
import { sum } from './reduce';
import { reshape } from './reshape';
import { checkTensor } from './validate';

interface Parsed {
  inputs: string[];
  output: string;
}

function parse(op: string, equation: unknown, count: number): Parsed {
  if (typeof equation !== 'string') throw new ValueError(`${op}: 'equation' must be a string, got ${typeof equation}`);
  const eq = equation.replace(/\s/g, '');
  const arrows = eq.split('->').length - 1;
  if (arrows !== 1) throw new ValueError(`${op}: the equation must contain exactly one '->' (implicit output is not supported, as in tfjs), got '${equation}'`);
  const [lhs, output] = eq.split('->');
  if (lhs.includes('...')) throw new ValueError(`${op}: the ellipsis '...' is not supported (as in tfjs)`);
  const inputs = lhs.split(',');
  if (inputs.length !== count) throw new ValueError(`${op}: the equation names ${inputs.length} operands but ${count} tensors were given`);
  if (count > 2) throw new ValueError(`${op}: more than 2 operands are not supported (as in tfjs), got ${count}`);
  for (const term of [...inputs, output]) {
    if (!/^[A-Za-z]*$/.test(term)) throw new ValueError(`${op}: subscripts must be letters, got '${term}' in '${equation}'`);
    if (new Set(term).size !== term.length) throw new ValueError(`${op}: the label repeated in '${term}' is not supported (as in tfjs)`);
  }
  for (const l of output) {
    if (!inputs.some((t) => t.includes(l))) throw new ValueError(`${op}: output label '${l}' does not appear in any input`);
  }
  return { inputs, output };
}

/** Sums away the labels of `t` (named by `term`) that no one else needs; returns the tensor and its remaining labels. */
function sumOut(t: Tensor, term: string, keep: (l: string) => boolean): [Tensor, string] {
  const axes = [...term].map((l, i) => (keep(l) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return [t, term];
  return [sum(t, axes), [...term].filter((l) => keep(l)).join('')];
}

/** Transposes t (labels `from`) to the label order `to` (a permutation of `from`). */
function arrange(t: Tensor, from: string, to: string): Tensor {
  const perm = [...to].map((l) => from.indexOf(l));
  return perm.every((p, i) => p === i) ? t : transpose(t, perm);
}

/** Einstein summation over one or two tensors, e.g. einsum('ij,jk->ik', a, b). */
export function einsum(equation: string, ...tensors: Tensor[]): Tensor {
  const op = 'einsum';
  tensors.forEach((t, i) => checkTensor(op, `tensors[${i}]`, t));
  const { inputs, output } = parse(op, equation, tensors.length);
  const size = new Map<string, number>();
  inputs.forEach((term, i) => {
    if (term.length !== tensors[i].rank) throw new ShapeError(`${op}: operand ${i} has rank ${tensors[i].rank} but its subscripts '${term}' name ${term.length} axes`);
    [...term].forEach((l, j) => {
      const d = tensors[i].shape[j];
      if (size.has(l) && size.get(l) !== d) throw new ShapeError(`${op}: label '${l}' has size ${size.get(l)} in one place and ${d} in operand ${i} (shape [${tensors[i].shape}])`);
      size.set(l, d);
    });
  });
  if (tensors.length === 1) {
    const [t, term] = sumOut(tensors[0], inputs[0], (l) => output.includes(l));
    return arrange(t, term, output);
  }
  // Labels only one operand has and the output lacks are summed first; the rest are batch (both + output),
  // contracted (both, not output) or free (one operand + output).
  const [a0, ta] = sumOut(tensors[0], inputs[0], (l) => output.includes(l) || inputs[1].includes(l));
  const [b0, tb] = sumOut(tensors[1], inputs[1], (l) => output.includes(l) || inputs[0].includes(l));
  const batch = [...output].filter((l) => ta.includes(l) && tb.includes(l)).join('');
  const contracted = [...ta].filter((l) => tb.includes(l) && !output.includes(l)).join('');
  const freeA = [...ta].filter((l) => !tb.includes(l)).join('');
  const freeB = [...tb].filter((l) => !ta.includes(l)).join('');
  const n = (labels: string): number => [...labels].reduce((p, l) => p * size.get(l)!, 1);
  const dims = (labels: string): number[] => [...labels].map((l) => size.get(l)!);
  let y: Tensor;
  if (a0.dtype === 'float32' && b0.dtype === 'float32') {
    const a = reshape(arrange(a0, ta, batch + freeA + contracted), [n(batch), n(freeA), n(contracted)]);
    const b = reshape(arrange(b0, tb, batch + contracted + freeB), [n(batch), n(contracted), n(freeB)]);
    y = reshape(matmul(a, b), dims(batch + freeA + freeB));
  } else {
    // Broadcast product over [batch, freeA, freeB, contracted], then the contracted axes summed.
    const all = batch + freeA + freeB + contracted;
    const spread = (t: Tensor, term: string): Tensor => {
      const order = [...all].filter((l) => term.includes(l)).join('');
      return reshape(arrange(t, term, order), [...all].map((l) => (term.includes(l) ? size.get(l)! : 1)));
    };
    y = mul(spread(a0, ta), spread(b0, tb));
    const first = batch.length + freeA.length + freeB.length;
    if (contracted.length > 0) y = sum(y, [...contracted].map((_, i) => first + i));
  }
  return arrange(y, batch + freeA + freeB, output);
}
