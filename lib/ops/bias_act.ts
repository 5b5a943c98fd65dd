// biasAct: a Dense or Conv2D layer's bias add and activation as one kernel (bias_act), and its backward as one more
// (bias_act_backward: the activation's gradient and the bias gradient's column sums in the same pass).
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { RNN_ACTIVATIONS } from './rnn';
import { checkDType, checkSameDevice, checkTensor } from './validate';

/** The activations the kernels apply: those whose derivative they can take from the output. */
const CODES = { linear: RNN_ACTIVATIONS.linear, relu: RNN_ACTIVATIONS.relu, tanh: RNN_ACTIVATIONS.tanh, sigmoid: RNN_ACTIVATIONS.sigmoid } as const;
export type BiasActivation = keyof typeof CODES;

/** A layer's bias and activation, for a kernel that applies them to its own output (conv2d's fused epilogue). */
export interface BiasEpilogue {
  bias: Tensor;
  activation: BiasActivation;
}

export function isBiasActivation(name: unknown): name is BiasActivation {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CODES, name);
}

/** The kernels' code for an activation (attr `activation` of bias_act and of conv2d's fused epilogue). */
export function biasActivationCode(activation: BiasActivation): number {
  return CODES[activation];
}

/** act(x + bias) with bias [C] added along x's last dim; the same values and gradients as add then the activation. */
export function biasAct(x: Tensor, bias: Tensor, activation: BiasActivation): Tensor {
  const op = 'biasAct';
  checkTensor(op, 'x', x);
  checkTensor(op, 'bias', bias);
  checkDType(op, 'x', x, 'float32');
  checkDType(op, 'bias', bias, 'float32');
  if (x.device !== bias.device) checkSameDevice(op, { x, bias }); // throws the DeviceError
  const C = x.rank === 0 ? -1 : x.shape[x.rank - 1];
  if (bias.rank !== 1 || bias.shape[0] !== C) {
    throw new ShapeError(`${op}: bias must be [${C}] (the last dim of x [${x.shape}]), got [${bias.shape}]`);
  }
  if (!isBiasActivation(activation)) throw new ValueError(`${op}: activation must be one of ${Object.keys(CODES).join(', ')}, got ${String(activation)}`);
  const attrs = { activation: CODES[activation] };
  const [y] = runKernel('bias_act', [x, bias], [{ shape: x.shape, dtype: 'float32' }], attrs);
  return recordOp(op, [x, bias], y, (dy) =>
    runKernel('bias_act_backward', [y, dy], [{ shape: y.shape, dtype: 'float32' }, { shape: bias.shape, dtype: 'float32' }], attrs),
  );
}
