// Activation functions by name (Keras/tfjs names), each a differentiable tensor -> tensor function; the ones
// without a kernel of their own are composed from differentiable ops (their gradients come from autograd).
import { ValueError } from '../errors';
import { abs, add, clip, div, exp, gelu, leakyRelu, log, minimum, mul, relu, sigmoid, softmax, tanh } from '../ops';
import type { Tensor } from '../tensor';

export type ActivationIdentifier =
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'linear'
  | 'leakyRelu'
  | 'gelu'
  | 'elu'
  | 'selu'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'mish'
  | 'hardSigmoid'
  | 'relu6';

/** elu(x) = x for x > 0, alpha (e^x - 1) otherwise; relu(x) + alpha (e^min(x, 0) - 1) keeps exp finite. */
export function elu(x: Tensor, alpha = 1): Tensor {
  const neg = add(exp(minimum(x, 0)), -1);
  return add(relu(x), alpha === 1 ? neg : mul(neg, alpha));
}

// SELU's constants (Klambauer et al.), as tfjs and Keras use them.
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** softplus(x) = log(1 + e^x), as relu(x) + log(1 + e^-|x|) so large |x| neither overflows nor loses the value. */
export function softplus(x: Tensor): Tensor {
  return add(relu(x), log(add(exp(mul(abs(x), -1)), 1)));
}

const table: Record<ActivationIdentifier, (x: Tensor) => Tensor> = {
  relu,
  sigmoid,
  tanh,
  softmax: (x) => softmax(x, -1),
  // 'linear' is the identity; callers skip it rather than copy.
  linear: (x) => x,
  leakyRelu: (x) => leakyRelu(x),
  gelu,
  elu: (x) => elu(x),
  selu: (x) => mul(elu(x, SELU_ALPHA), SELU_SCALE),
  softplus,
  softsign: (x) => div(x, add(abs(x), 1)),
  swish: (x) => mul(x, sigmoid(x)),
  mish: (x) => mul(x, tanh(softplus(x))),
  // tfjs' hard sigmoid: clip(0.2 x + 0.5, 0, 1).
  hardSigmoid: (x) => clip(add(mul(x, 0.2), 0.5), 0, 1),
  relu6: (x) => clip(x, 0, 6),
};

export function isActivationName(name: unknown): name is ActivationIdentifier {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(table, name);
}

/** The activation function for a name; undefined and null mean 'linear'. */
export function getActivation(name: ActivationIdentifier | undefined | null, where = 'activation'): (x: Tensor) => Tensor {
  const key = name ?? 'linear';
  if (!isActivationName(key)) {
    throw new ValueError(`${where}: unknown activation ${JSON.stringify(name)} (expected one of ${Object.keys(table).join(', ')})`);
  }
  return table[key];
}
