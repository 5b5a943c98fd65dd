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
