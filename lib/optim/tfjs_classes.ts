// tfjs's optimizer classes (tf.SGDOptimizer, tf.AdamOptimizer, ...) with tfjs's positional constructors, static
// className, getConfig/fromConfig, and tf.train's factories (OptimizerConstructors). Each is a thin subclass of the
// tensornode optimizer with the same update rule, so the native *_update kernels and the saved-state format are shared.
import { ValueError } from '../errors';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

type Config = Record<string, unknown>;

/** tfjs passes null for "the backend's epsilon" (1e-7 for float32). */
const eps = (e: number | null | undefined): number | undefined => (e === null ? undefined : e);

function requireRate(cls: string, lr: unknown): number {
  if (lr === undefined || lr === null) throw new ValueError(`${cls}: 'learningRate' must be defined`);
  return lr as number;
}

const num = (config: Config, key: string): number => config[key] as number;
/** The rate as tfjs's getConfig reports it (a schedule, which tfjs has not, as its JSON). */
const rateOf = (o: SGD | Adagrad | Adadelta | Adam | Adamax | RMSprop): unknown => (typeof o.learningRate === 'number' ? o.learningRate : o.learningRate.toJSON());

export class SGDOptimizer extends SGD {
  static get className(): string {
    return 'SGD';
  }
  constructor(learningRate: number) {
    super({ learningRate: requireRate('SGDOptimizer', learningRate) });
  }
  /** tfjs's setter for the rate (a number). */
  setLearningRate(learningRate: number): void {
    this.learningRate = requireRate('SGDOptimizer.setLearningRate', learningRate);
  }
  override getConfig(): Config {
    return { learningRate: rateOf(this) };
  }
  static override fromConfig<T extends SGDOptimizer>(cls: new (lr: number) => T, config: Config): T {
    return new cls(num(config, 'learningRate'));
  }
}

/** SGD with (Nesterov) momentum: accumulation = momentum * accumulation + g; step lr * accumulation (or Nesterov's). */
export class MomentumOptimizer extends SGD {
  static get className(): string {
    return 'Momentum';
  }
  override readonly className: string = 'Momentum';
  readonly useNesterov: boolean;
  constructor(learningRate: number, momentum: number, useNesterov = false) {
    if (typeof momentum !== 'number') throw new ValueError(`MomentumOptimizer: 'momentum' must be a number, got ${momentum}`);
    // with momentum 0 the Nesterov step equals the plain one; the torch-style SGD refuses that combination
    super({ learningRate: requireRate('MomentumOptimizer', learningRate), momentum, nesterov: useNesterov && momentum > 0 });
    this.useNesterov = useNesterov;
  }
  setLearningRate(learningRate: number): void {
    this.learningRate = requireRate('MomentumOptimizer.setLearningRate', learningRate);
  }
  setMomentum(momentum: number): void {
    if (!(typeof momentum === 'number' && momentum >= 0)) throw new ValueError(`MomentumOptimizer.setMomentum: 'momentum' must be a number >= 0, got ${momentum}`);
    this.momentum = momentum;
  }
  override getConfig(): Config {
    return { learningRate: rateOf(this), momentum: this.momentum, useNesterov: this.useNesterov };
  }
  static override fromConfig<T extends MomentumOptimizer>(cls: new (lr: number, momentum: number, useNesterov?: boolean) => T, config: Config): T {
    return new cls(num(config, 'learningRate'), num(config, 'momentum'), config.useNesterov as boolean);
  }
}

export class AdagradOptimizer extends Adagrad {
  static get className(): string {
    return 'Adagrad';
  }
  constructor(learningRate: number, initialAccumulatorValue = 0.1) {
    super({ learningRate: requireRate('AdagradOptimizer', learningRate), initialAccumulatorValue });
  }
  override getConfig(): Config {
    return { learningRate: rateOf(this), initialAccumulatorValue: this.initialAccumulatorValue };
  }
  static override fromConfig<T extends AdagradOptimizer>(cls: new (lr: number, initialAccumulatorValue?: number) => T, config: Config): T {
    return new cls(num(config, 'learningRate'), num(config, 'initialAccumulatorValue'));
  }
}

export class AdadeltaOptimizer extends Adadelta {
  static get className(): string {
    return 'Adadelta';
  }
  constructor(learningRate: number, rho = 0.95, epsilon: number | null = null) {
    super({ learningRate: requireRate('AdadeltaOptimizer', learningRate), rho, epsilon: eps(epsilon) });
  }
  override getConfig(): Config {
    return { learningRate: rateOf(this), rho: this.rho, epsilon: this.epsilon };
  }
  static override fromConfig<T extends AdadeltaOptimizer>(cls: new (lr: number, rho?: number, epsilon?: number | null) => T, config: Config): T {
    return new cls(num(config, 'learningRate'), num(config, 'rho'), num(config, 'epsilon'));
  }
}

export class AdamOptimizer extends Adam {
  static get className(): string {
    return 'Adam';
  }
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) {
    super({ learningRate: requireRate('AdamOptimizer', learningRate), beta1, beta2, epsilon: eps(epsilon) });
  }
  override getConfig(): Config {
    return { learningRate: rateOf(this), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
  static override fromConfig<T extends AdamOptimizer>(cls: new (lr: number, beta1?: number, beta2?: number, epsilon?: number | null) => T, config: Config): T {
    return new cls(num(config, 'learningRate'), num(config, 'beta1'), num(config, 'beta2'), num(config, 'epsilon'));
  }
}

export class AdamaxOptimizer extends Adamax {
  static get className(): string {
    return 'Adamax';
  }
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0) {
    super({ learningRate: requireRate('AdamaxOptimizer', learningRate), beta1, beta2, epsilon: eps(epsilon), decay });
  }
  override getConfig(): Config {
    return { learningRate: rateOf(this), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, decay: this.decay };
  }
  static override fromConfig<T extends AdamaxOptimizer>(cls: new (lr: number, beta1?: number, beta2?: number, epsilon?: number | null, decay?: number) => T, config: Config): T {
    const c = (k: string): number => num(config, k);
    return new cls(c('learningRate'), c('beta1'), c('beta2'), c('epsilon'), c('decay'));
  }
}

export class RMSPropOptimizer extends RMSprop {
  static get className(): string {
    return 'RMSProp';
  }
  override readonly className: string = 'RMSProp';
  constructor(learningRate: number, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false) {
    super({ learningRate: requireRate('RMSPropOptimizer', learningRate), decay, momentum, epsilon: eps(epsilon), centered });
  }
  override getConfig(): Config {
    return { learningRate: rateOf(this), decay: this.decay, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
  static override fromConfig<T extends RMSPropOptimizer>(cls: new (lr: number, decay?: number, momentum?: number, epsilon?: number | null, centered?: boolean) => T, config: Config): T {
    const c = (k: string): number => num(config, k);
    return new cls(c('learningRate'), c('decay'), c('momentum'), c('epsilon'), config.centered as boolean);
  }
}

/** tf.train: tfjs's positional factories, each returning the tfjs optimizer class of the same name. */
export class OptimizerConstructors {
  static sgd(learningRate: number): SGDOptimizer {
    return new SGDOptimizer(learningRate);
  }
  static momentum(learningRate: number, momentum: number, useNesterov = false): MomentumOptimizer {
    return new MomentumOptimizer(learningRate, momentum, useNesterov);
  }
  static rmsprop(learningRate: number, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false): RMSPropOptimizer {
    return new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered);
  }
  static adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): AdamOptimizer {
    return new AdamOptimizer(learningRate, beta1, beta2, epsilon);
  }
  static adadelta(learningRate = 0.001, rho = 0.95, epsilon: number | null = null): AdadeltaOptimizer {
    return new AdadeltaOptimizer(learningRate, rho, epsilon);
  }
  static adamax(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0): AdamaxOptimizer {
    return new AdamaxOptimizer(learningRate, beta1, beta2, epsilon, decay);
  }
  static adagrad(learningRate: number, initialAccumulatorValue = 0.1): AdagradOptimizer {
    return new AdagradOptimizer(learningRate, initialAccumulatorValue);
  }
}
