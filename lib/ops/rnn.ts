// Fused recurrent sequence ops (simple RNN, LSTM, GRU): the whole time loop runs in one native kernel per direction
// (forward and backward), taking the input projection x W + b computed beforehand as one large matmul.
import { ShapeError, ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { reshape } from './reshape';
import { slice } from './layout';
import { checkDType, checkRank, checkSameDevice, checkTensor } from './validate';

/** The activations the fused kernels implement (codes shared with native/core/rnn/cells.h). */
export const RNN_ACTIVATIONS = { linear: 0, tanh: 1, sigmoid: 2, hardSigmoid: 3, relu: 4 } as const;
export type RnnActivation = keyof typeof RNN_ACTIVATIONS;

export interface RnnSequenceOptions {
  /** Output / candidate activation (default 'tanh'). */
  activation?: RnnActivation;
  /** Gate activation of LSTM and GRU (default 'hardSigmoid', tfjs' default). */
  recurrentActivation?: RnnActivation;
  /** Process the steps last to first (Keras goBackwards); outputs stay in processing order. */
  goBackwards?: boolean;
  /**
   * Recurrent dropout: a [B, U] mask (already scaled by 1/(1-rate)) multiplying h_{t-1} where it enters the
   * recurrent matmul, the same at every step (as tfjs). Not differentiated.
   */
  recurrentMask?: Tensor;
}

function actCode(op: string, arg: string, v: unknown, dflt: RnnActivation): number {
  const name = v ?? dflt;
  if (typeof name !== 'string' || !(name in RNN_ACTIVATIONS)) {
    throw new ValueError(`${op}: '${arg}' must be one of ${Object.keys(RNN_ACTIVATIONS).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return RNN_ACTIVATIONS[name as RnnActivation];
}

/** Checks xw [B,T,G*U], the states [B,U] and R [U,G*U]; returns [B, T, U]. */
function checkSequence(op: string, gates: number, xw: Tensor, states: Record<string, Tensor>, R: Tensor): [number, number, number] {
  checkTensor(op, 'xw', xw);
  checkTensor(op, 'recurrentKernel', R);
  checkDType(op, 'xw', xw, 'float32');
  checkDType(op, 'recurrentKernel', R, 'float32');
  checkRank(op, 'xw', xw, 3);
  checkRank(op, 'recurrentKernel', R, 2);
  const [B, T, GU] = xw.shape;
  const U = R.shape[0];
  if (R.shape[1] !== gates * U) throw new ShapeError(`${op}: 'recurrentKernel' must be [units, ${gates}*units], got [${R.shape}]`);
  if (GU !== gates * U) throw new ShapeError(`${op}: 'xw' must be [batch, steps, ${gates * U}] for ${U} units, got [${xw.shape}]`);
  for (const [name, s] of Object.entries(states)) {
    checkTensor(op, name, s);
    checkDType(op, name, s, 'float32');
    if (s.shape.length !== 2 || s.shape[0] !== B || s.shape[1] !== U) throw new ShapeError(`${op}: '${name}' must be [${B}, ${U}], got [${s.shape}]`);
  }
  checkSameDevice(op, { xw, recurrentKernel: R, ...states });
  return [B, T, U];
}

function attrsOf(op: string, o: RnnSequenceOptions, extra: Record<string, number> = {}): Record<string, number> {
  if (o === null || typeof o !== 'object') throw new ValueError(`${op}: options must be an object`);
  return {
    activation: actCode(op, 'activation', o.activation, 'tanh'),
    recurrentActivation: actCode(op, 'recurrentActivation', o.recurrentActivation, 'hardSigmoid'),
    reverse: o.goBackwards ? 1 : 0,
    ...extra,
  };
}

const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });

/** The optional recurrent mask, checked, as the kernels' trailing input. */
function maskInput(op: string, o: RnnSequenceOptions, B: number, U: number, like: Tensor): Tensor[] {
  const m = o.recurrentMask;
  if (m === undefined || m === null) return [];
  checkTensor(op, 'recurrentMask', m);
  checkDType(op, 'recurrentMask', m, 'float32');
  if (m.shape.length !== 2 || m.shape[0] !== B || m.shape[1] !== U) throw new ShapeError(`${op}: 'recurrentMask' must be [${B}, ${U}], got [${m.shape}]`);
  checkSameDevice(op, { xw: like, recurrentMask: m });
  return [m];
}

/** h_t = act(xw_t + h_{t-1} R) for every step; returns the outputs [B, T, U]. Differentiable in xw, h0 and R. */
export function simpleRnnSequence(xw: Tensor, h0: Tensor, R: Tensor, options: RnnSequenceOptions = {}): Tensor {
  const op = 'simpleRnnSequence';
  const [B, T, U] = checkSequence(op, 1, xw, { h0 }, R);
  const attrs = attrsOf(op, options);
  const m = maskInput(op, options, B, U, xw);
  const [y] = runKernel('simple_rnn_sequence', [xw, h0, R, ...m], [f32([B, T, U])], attrs);
  // The mask rides along as an input without a gradient, so the graph keeps it alive until backward.
  return recordOp(op, [xw, h0, R, ...m], y, (dy) => [
    ...runKernel('simple_rnn_sequence_backward', [h0, R, y, dy, ...m], [f32([B, T, U]), f32([B, U]), f32([U, U])], attrs),
    null,
  ]);
}

/**
 * LSTM over every step (gates i, f, c, o side by side in xw and R, as Keras/tfjs): returns the hidden-state and
 * cell-state sequences, each [B, T, U]. Differentiable in xw, h0, c0 and R.
 */
export function lstmSequence(xw: Tensor, h0: Tensor, c0: Tensor, R: Tensor, options: RnnSequenceOptions = {}): { h: Tensor; c: Tensor } {
  const op = 'lstmSequence';
  const [B, T, U] = checkSequence(op, 4, xw, { h0, c0 }, R);
  const attrs = attrsOf(op, options);
  const m = maskInput(op, options, B, U, xw);
  const [y, gates] = runKernel('lstm_sequence', [xw, h0, c0, R, ...m], [f32([2, B, T, U]), f32([B, T, 4 * U])], attrs);
  // One recorded output packs h and c, so a loss on either (or both: returnState) flows back through one kernel.
  // The node owns the saved gate activations.
  const packed = recordOp(
    op,
    [xw, h0, c0, R, ...m],
    y,
    (dy) => [...runKernel('lstm_sequence_backward', [h0, c0, R, gates, y, dy, ...m], [f32([B, T, 4 * U]), f32([B, U]), f32([B, U]), f32([U, 4 * U])], attrs), null],
    [gates],
  );
  const part = (k: number) => reshape(slice(packed, [k, 0, 0, 0], [1, B, T, U]), [B, T, U]);
  const h = part(0);
  const c = part(1);
  return { h, c };
}

export interface GruSequenceOptions extends RnnSequenceOptions {
  /** Apply the reset gate after the recurrent matmul (Keras 2+/cuDNN convention; needs the recurrent bias rb). */
  resetAfter?: boolean;
}

/**
 * GRU over every step (gates z, r, h as Keras/tfjs; h = z*h_prev + (1-z)*candidate). `rb` [3U] is the recurrent bias
 * of resetAfter (zeros otherwise). Returns the outputs [B, T, U]. Differentiable in xw, h0, R and rb.
 */
export function gruSequence(xw: Tensor, h0: Tensor, R: Tensor, rb: Tensor, options: GruSequenceOptions = {}): Tensor {
  const op = 'gruSequence';
  const [B, T, U] = checkSequence(op, 3, xw, { h0 }, R);
  checkTensor(op, 'rb', rb);
  checkDType(op, 'rb', rb, 'float32');
  if (rb.shape.length !== 1 || rb.shape[0] !== 3 * U) throw new ShapeError(`${op}: 'rb' must be [${3 * U}], got [${rb.shape}]`);
  checkSameDevice(op, { xw, rb });
  const after = options.resetAfter ?? false;
  const attrs = attrsOf(op, options, { resetAfter: after ? 1 : 0 });
  const m = maskInput(op, options, B, U, xw);
  const [y, gates, rh] = runKernel('gru_sequence', [xw, h0, R, rb, ...m], [f32([B, T, U]), f32([B, T, 3 * U]), f32([B, T, U])], attrs);
  return recordOp(
    op,
    [xw, h0, R, rb, ...m],
    y,
    (dy) => {
      const [dxw, dh0, dR, drb] = runKernel('gru_sequence_backward', [h0, R, gates, rh, y, dy, ...m], [f32([B, T, 3 * U]), f32([B, U]), f32([U, 3 * U]), f32([3 * U])], attrs);
      if (!after) drb.dispose();
      return [dxw, dh0, dR, after ? drb : null, null];
    },
    [gates, rh],
  );
}
