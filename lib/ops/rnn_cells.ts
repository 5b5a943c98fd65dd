// tfjs's functional LSTM cell (basicLSTMCell) and its stacking helper (multiRNNCell), composed from matmul and
// elementwise ops so the gradients come from the tape.
import { ShapeError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { add, mul, sigmoid, tanh } from './elementwise';
import { concat, slice } from './layout';
import { matmul } from './matmul';
import { checkRank, checkTensor } from './validate';
import { tensor } from './creation';

/**
 * One LSTM step: [data, h] @ lstmKernel + lstmBias split into the input gate i, candidate j, forget gate f and output
 * gate o (in that order); c' = sigmoid(i) tanh(j) + c sigmoid(f + forgetBias), h' = tanh(c') sigmoid(o). Returns
 * [c', h'].
 */
export function basicLSTMCell(forgetBias: Tensor | number, lstmKernel: Tensor, lstmBias: Tensor, data: Tensor, c: Tensor, h: Tensor): [Tensor, Tensor] {
  const op = 'basicLSTMCell';
  for (const [name, t] of [['lstmKernel', lstmKernel], ['lstmBias', lstmBias], ['data', data], ['c', c], ['h', h]] as const) checkTensor(op, name, t);
  checkRank(op, 'data', data, 2);
  checkRank(op, 'h', h, 2);
  checkRank(op, 'lstmKernel', lstmKernel, 2);
  const fb = forgetBias instanceof Tensor ? checkTensor(op, 'forgetBias', forgetBias) : typeof forgetBias === 'number' ? tensor([forgetBias], [], { device: data.device }) : null;
  if (!fb) throw new ValueError(`${op}: 'forgetBias' must be a number or a Tensor, got ${typeof forgetBias}`);
  const units = lstmKernel.shape[1] / 4;
  if (!Number.isInteger(units)) throw new ShapeError(`${op}: 'lstmKernel' [${lstmKernel.shape}] must have 4 * units columns`);
  const z = add(matmul(concat([data, h], 1), lstmKernel), lstmBias);
  const gate = (k: number) => slice(z, [0, k * units], [z.shape[0], units]);
  const newC = add(mul(sigmoid(gate(0)), tanh(gate(1))), mul(c, sigmoid(add(fb, gate(2)))));
  const newH = mul(tanh(newC), sigmoid(gate(3)));
  return [newC, newH];
}

/** A cell as multiRNNCell calls it: (input, c, h) -> [c', h']. */
export type LSTMCellFunc = (data: Tensor, c: Tensor, h: Tensor) => [Tensor, Tensor];

/** Runs stacked cells for one step: cell k reads cell k-1's new h. Returns [[c' per cell], [h' per cell]]. */
export function multiRNNCell(lstmCells: LSTMCellFunc[], data: Tensor, c: Tensor[], h: Tensor[]): [Tensor[], Tensor[]] {
  const op = 'multiRNNCell';
  checkTensor(op, 'data', data);
  if (!Array.isArray(lstmCells) || !lstmCells.every((f) => typeof f === 'function')) throw new ValueError(`${op}: 'lstmCells' must be an array of functions`);
  if (!Array.isArray(c) || !Array.isArray(h) || c.length < lstmCells.length || h.length < lstmCells.length) {
    throw new ValueError(`${op}: 'c' and 'h' must be arrays with one state per cell (${lstmCells.length})`);
  }
  const cs: Tensor[] = [];
  const hs: Tensor[] = [];
  let input = data;
  lstmCells.forEach((cell, k) => {
    const [ck, hk] = cell(input, checkTensor(op, `c[${k}]`, c[k]), checkTensor(op, `h[${k}]`, h[k]));
    cs.push(ck);
    hs.push(hk);
    input = hk;
  });
  return [cs, hs];
}
