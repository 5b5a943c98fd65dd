// Activation functions by name (Keras/tfjs names), each a differentiable tensor -> tensor function.
import { ValueError } from '../errors';
import { gelu, leakyRelu, relu, sigmoid, softmax, tanh } from '../ops';
import type { Tensor } from '../tensor';

export type ActivationIdentifier = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear' | 'leakyRelu' | 'gelu';

const table: Record<ActivationIdentifier, (x: Tensor) => Tensor> = {
  relu,
  sigmoid,
  tanh,
  softmax: (x) => softmax(x, -1),
  // 'linear' is the identity; callers skip it rather than copy.
  linear: (x) => x,
  leakyRelu: (x) => leakyRelu(x),
  gelu,
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
