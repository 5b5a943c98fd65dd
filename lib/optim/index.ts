// The `optimizers` namespace (optimizers.adam({...})), optimizer lookup by name, and schedules.
import { ValueError } from '../errors';
import { Adagrad, type AdagradArgs } from './adagrad';
import { Adam, AdamW, type AdamArgs } from './adam';
import { Optimizer } from './optimizer';
import { RMSprop, type RMSpropArgs } from './rmsprop';
import { deserializeSchedule, LearningRateSchedule } from './schedules';
import { SGD, type SGDArgs } from './sgd';

export { Optimizer, type OptimizerArgs, type OptimizerState, type ParamRef } from './optimizer';
export { SGD, type SGDArgs } from './sgd';
export { Adam, AdamW, type AdamArgs } from './adam';
export { Adagrad, type AdagradArgs } from './adagrad';
export { RMSprop, type RMSpropArgs } from './rmsprop';
export * from './schedules';

export const optimizers = {
  sgd: (args: SGDArgs = {}): SGD => new SGD(args),
  adam: (args: AdamArgs = {}): Adam => new Adam(args),
  adamw: (args: AdamArgs = {}): AdamW => new AdamW(args),
  adagrad: (args: AdagradArgs = {}): Adagrad => new Adagrad(args),
  rmsprop: (args: RMSpropArgs = {}): RMSprop => new RMSprop(args),
};

export type OptimizerName = keyof typeof optimizers;

const byClassName: Record<string, keyof typeof optimizers> = { SGD: 'sgd', Adam: 'adam', AdamW: 'adamw', Adagrad: 'adagrad', RMSprop: 'rmsprop' };

/** An optimizer from a name ('adam', case-insensitive), a serialized {className, config}, or an instance. */
export function getOptimizer(id: string | Optimizer | { className: string; config: Record<string, unknown> }): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') {
    const key = id.toLowerCase() as OptimizerName;
    if (key in optimizers) return optimizers[key]();
  } else if (id && typeof id === 'object' && byClassName[id.className]) {
    const config = { ...id.config };
    const lr = config.learningRate as unknown;
    if (lr && typeof lr === 'object') config.learningRate = deserializeSchedule(lr as { className: string; config: Record<string, unknown> }) as LearningRateSchedule;
    return optimizers[byClassName[id.className]](config as never);
  }
  throw new ValueError(`getOptimizer: unknown optimizer ${JSON.stringify(id)} (expected one of ${Object.keys(optimizers).join(', ')} or an Optimizer)`);
}

/**
 * tfjs' positional factories (`tf.train.adam(0.001)`), so ported code keeps its optimizer lines. The update rules are
 * still torch.optim's (see native/KERNELS.md), e.g. RMSprop's epsilon sits outside the square root.
 */
export const train = {
  sgd: (learningRate: number): SGD => new SGD({ learningRate }),
  momentum: (learningRate: number, momentum: number, useNesterov = false): SGD => new SGD({ learningRate, momentum, nesterov: useNesterov }),
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8): Adam => new Adam({ learningRate, beta1, beta2, epsilon }),
  adagrad: (learningRate: number): Adagrad => new Adagrad({ learningRate }),
  rmsprop: (learningRate: number, decay = 0.9, momentum = 0, epsilon = 1e-8, centered = false): RMSprop =>
    new RMSprop({ learningRate, alpha: decay, momentum, epsilon, centered }),
};
