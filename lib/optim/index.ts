// The `optimizers` namespace (optimizers.adam({...})), optimizer lookup by name, and schedules.
import { ValueError } from '../errors';
import { Adadelta, type AdadeltaArgs } from './adadelta';
import { Adagrad, type AdagradArgs } from './adagrad';
import { Adam, AdamW, type AdamArgs } from './adam';
import { Adamax, type AdamaxArgs } from './adamax';
import { Optimizer } from './optimizer';
import { RMSprop, type RMSpropArgs } from './rmsprop';
import { deserializeSchedule, LearningRateSchedule } from './schedules';
import { SGD, type SGDArgs } from './sgd';

export { Optimizer, type OptimizerArgs, type OptimizerState, type ParamRef } from './optimizer';
export { SGD, type SGDArgs } from './sgd';
export { Adam, AdamW, type AdamArgs } from './adam';
export { Adagrad, type AdagradArgs } from './adagrad';
export { Adadelta, type AdadeltaArgs } from './adadelta';
export { Adamax, type AdamaxArgs } from './adamax';
export { RMSprop, type RMSpropArgs } from './rmsprop';
export * from './schedules';

export const optimizers = {
  sgd: (args: SGDArgs = {}): SGD => new SGD(args),
  adam: (args: AdamArgs = {}): Adam => new Adam(args),
  adamw: (args: AdamArgs = {}): AdamW => new AdamW(args),
  adagrad: (args: AdagradArgs = {}): Adagrad => new Adagrad(args),
  adadelta: (args: AdadeltaArgs = {}): Adadelta => new Adadelta(args),
  adamax: (args: AdamaxArgs = {}): Adamax => new Adamax(args),
  rmsprop: (args: RMSpropArgs = {}): RMSprop => new RMSprop(args),
};

export type OptimizerName = keyof typeof optimizers;

const byClassName: Record<string, OptimizerName> = {
  SGD: 'sgd',
  Adam: 'adam',
  AdamW: 'adamw',
  Adagrad: 'adagrad',
  Adadelta: 'adadelta',
  Adamax: 'adamax',
  RMSprop: 'rmsprop',
};

/**
 * What `compile({optimizer: 'name'})` builds: tfjs-layers' choices, which are the class defaults except Adadelta's
 * learning rate of 1 (Keras' original setting).
 */
const byName: Record<OptimizerName, () => Optimizer> = {
  ...optimizers,
  adadelta: () => new Adadelta({ learningRate: 1 }),
} as Record<OptimizerName, () => Optimizer>;

/** An optimizer from a name ('adam', case-insensitive), a serialized {className, config}, or an instance. */
export function getOptimizer(id: string | Optimizer | { className: string; config: Record<string, unknown> }): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') {
    const key = id.toLowerCase() as OptimizerName;
    if (key in byName) return byName[key]();
  } else if (id && typeof id === 'object' && byClassName[id.className]) {
    const config = { ...id.config };
    const lr = config.learningRate as unknown;
    if (lr && typeof lr === 'object') config.learningRate = deserializeSchedule(lr as { className: string; config: Record<string, unknown> }) as LearningRateSchedule;
    return optimizers[byClassName[id.className]](config as never);
  }
  throw new ValueError(`getOptimizer: unknown optimizer ${JSON.stringify(id)} (expected one of ${Object.keys(optimizers).join(', ')} or an Optimizer)`);
}

/** tfjs passes null for "the backend's epsilon" (1e-7 for float32). */
const eps = (e: number | null | undefined): number | undefined => (e === null ? undefined : e);

/** tfjs's positional factories (`tf.train.adam(0.001)`), with tfjs's defaults and update rules. */
export const train = {
  sgd: (learningRate: number): SGD => new SGD({ learningRate }),
  momentum: (learningRate: number, momentum: number, useNesterov = false): SGD => new SGD({ learningRate, momentum, nesterov: useNesterov }),
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): Adam =>
    new Adam({ learningRate, beta1, beta2, epsilon: eps(epsilon) }),
  adagrad: (learningRate: number, initialAccumulatorValue = 0.1): Adagrad => new Adagrad({ learningRate, initialAccumulatorValue }),
  adadelta: (learningRate = 0.001, rho = 0.95, epsilon: number | null = null): Adadelta => new Adadelta({ learningRate, rho, epsilon: eps(epsilon) }),
  adamax: (learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0): Adamax =>
    new Adamax({ learningRate, beta1, beta2, epsilon: eps(epsilon), decay }),
  rmsprop: (learningRate: number, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false): RMSprop =>
    new RMSprop({ learningRate, decay, momentum, epsilon: eps(epsilon), centered }),
};
