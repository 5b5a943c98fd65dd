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
import {
  AdadeltaOptimizer,
  AdagradOptimizer,
  AdamaxOptimizer,
  AdamOptimizer,
  MomentumOptimizer,
  OptimizerConstructors,
  RMSPropOptimizer,
  SGDOptimizer,
} from './tfjs_classes';

export { Optimizer, type OptimizerArgs, type OptimizerState, type ParamRef } from './optimizer';
export { SGD, type SGDArgs } from './sgd';
export { Adam, AdamW, type AdamArgs } from './adam';
export { Adagrad, type AdagradArgs } from './adagrad';
export { Adadelta, type AdadeltaArgs } from './adadelta';
export { Adamax, type AdamaxArgs } from './adamax';
export { RMSprop, type RMSpropArgs } from './rmsprop';
export * from './schedules';
export {
  SGDOptimizer,
  MomentumOptimizer,
  AdagradOptimizer,
  AdadeltaOptimizer,
  AdamOptimizer,
  AdamaxOptimizer,
  RMSPropOptimizer,
  OptimizerConstructors,
} from './tfjs_classes';

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
 * What `compile({optimizer: 'name'})` builds: tfjs-layers' choices, tfjs's classes with their defaults except
 * Adadelta's learning rate of 1 (Keras' original setting). AdamW is tensornode's own.
 */
const byName: Record<OptimizerName, () => Optimizer> = {
  ...optimizers,
  sgd: () => OptimizerConstructors.sgd(0.01),
  adam: () => OptimizerConstructors.adam(),
  adagrad: () => OptimizerConstructors.adagrad(0.01),
  adadelta: () => OptimizerConstructors.adadelta(1),
  adamax: () => OptimizerConstructors.adamax(),
  rmsprop: () => OptimizerConstructors.rmsprop(0.001),
};

type Config = Record<string, unknown>;
/** tfjs's classes by serialized className, with the config keys their getConfig writes (tfjs spells RMSprop 'RMSProp'). */
const tfjsClasses: Record<string, { keys: string[]; build: (c: Config) => Optimizer }> = {
  SGD: { keys: ['learningRate'], build: (c) => SGDOptimizer.fromConfig(SGDOptimizer, c) },
  Momentum: { keys: ['learningRate', 'momentum', 'useNesterov'], build: (c) => MomentumOptimizer.fromConfig(MomentumOptimizer, c) },
  Adagrad: { keys: ['learningRate', 'initialAccumulatorValue'], build: (c) => AdagradOptimizer.fromConfig(AdagradOptimizer, c) },
  Adadelta: { keys: ['learningRate', 'rho', 'epsilon'], build: (c) => AdadeltaOptimizer.fromConfig(AdadeltaOptimizer, c) },
  Adam: { keys: ['learningRate', 'beta1', 'beta2', 'epsilon'], build: (c) => AdamOptimizer.fromConfig(AdamOptimizer, c) },
  Adamax: { keys: ['learningRate', 'beta1', 'beta2', 'epsilon', 'decay'], build: (c) => AdamaxOptimizer.fromConfig(AdamaxOptimizer, c) },
  RMSProp: { keys: ['learningRate', 'decay', 'momentum', 'epsilon', 'centered'], build: (c) => RMSPropOptimizer.fromConfig(RMSPropOptimizer, c) },
};

function isTfjsConfig(className: string, config: Config): boolean {
  const cls = tfjsClasses[className];
  return cls !== undefined && typeof config.learningRate === 'number' && Object.keys(config).every((k) => cls.keys.includes(k));
}

/** An optimizer from a name ('adam', case-insensitive), a serialized {className, config}, or an instance. */
export function getOptimizer(id: string | Optimizer | { className: string; config: Record<string, unknown> }): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') {
    const key = id.toLowerCase() as OptimizerName;
    if (key in byName) return byName[key]();
  } else if (id && typeof id === 'object' && id.config && typeof id.config === 'object' && isTfjsConfig(id.className, id.config)) {
    // a config with only tfjs's keys (a tfjs model's, or one of tfjs's classes serialized here) rebuilds tfjs's class
    return tfjsClasses[id.className].build(id.config);
  } else if (id && typeof id === 'object' && byClassName[id.className]) {
    const config = { ...id.config };
    const lr = config.learningRate as unknown;
    if (lr && typeof lr === 'object') config.learningRate = deserializeSchedule(lr as { className: string; config: Record<string, unknown> }) as LearningRateSchedule;
    return optimizers[byClassName[id.className]](config as never);
  }
  throw new ValueError(`getOptimizer: unknown optimizer ${JSON.stringify(id)} (expected one of ${Object.keys(optimizers).join(', ')} or an Optimizer)`);
}

/** tfjs's positional factories (`tf.train.adam(0.001)`), with tfjs's defaults and update rules: tfjs's own train. */
export const train = OptimizerConstructors;
