// Learning-rate schedules: the rate as a function of the optimizer's step count (Keras LearningRateSchedule).
import { ValueError } from '../errors';

export abstract class LearningRateSchedule {
  abstract readonly className: string;
  /** The learning rate for the update that follows `step` earlier updates (0-based). */
  abstract at(step: number): number;
  abstract getConfig(): Record<string, unknown>;
  toJSON(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: this.getConfig() };
  }
}

function positive(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ValueError(`${where}: '${name}' must be a finite number > 0, got ${JSON.stringify(v)}`);
  return v;
}

/** The built-in schedules: they keep their args and check, in the order listed, the ones that must be finite and > 0. */
abstract class BuiltinSchedule<A extends object> extends LearningRateSchedule {
  constructor(readonly args: A, where: string, positives: (keyof A & string)[]) {
    super();
    for (const name of positives) positive(where, name, args[name]);
  }
}

export interface StepDecayArgs {
  initialLearningRate: number;
  /** Updates between decays. */
  stepSize: number;
  /** Factor per decay (default 0.1). */
  gamma?: number;
}

/** lr0 * gamma^floor(step / stepSize) (PyTorch's StepLR, counted in updates). */
export class StepDecay extends BuiltinSchedule<StepDecayArgs> {
  readonly className = 'StepDecay';
  constructor(args: StepDecayArgs) {
    super(args, 'stepDecay', ['initialLearningRate', 'stepSize']);
  }
  at(step: number): number {
    return this.args.initialLearningRate * (this.args.gamma ?? 0.1) ** Math.floor(step / this.args.stepSize);
  }
  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.args.initialLearningRate, stepSize: this.args.stepSize, gamma: this.args.gamma ?? 0.1 };
  }
}

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of decaySteps (default false: continuously). */
  staircase?: boolean;
}

/** lr0 * decayRate^(step / decaySteps) (Keras ExponentialDecay). */
export class ExponentialDecay extends BuiltinSchedule<ExponentialDecayArgs> {
  readonly className = 'ExponentialDecay';
  constructor(args: ExponentialDecayArgs) {
    super(args, 'exponentialDecay', ['initialLearningRate', 'decaySteps', 'decayRate']);
  }
  at(step: number): number {
    const p = step / this.args.decaySteps;
    return this.args.initialLearningRate * this.args.decayRate ** (this.args.staircase ? Math.floor(p) : p);
  }
  getConfig(): Record<string, unknown> {
    return { ...this.args, staircase: this.args.staircase ?? false };
  }
}

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Final rate as a fraction of the initial one (default 0). */
  alpha?: number;
}

/** lr0 * ((1 - alpha) * (1 + cos(pi * min(step, decaySteps) / decaySteps)) / 2 + alpha) (Keras CosineDecay). */
export class CosineDecay extends BuiltinSchedule<CosineDecayArgs> {
  readonly className = 'CosineDecay';
  constructor(args: CosineDecayArgs) {
    super(args, 'cosineDecay', ['initialLearningRate', 'decaySteps']);
  }
  at(step: number): number {
    const alpha = this.args.alpha ?? 0;
    const t = Math.min(step, this.args.decaySteps) / this.args.decaySteps;
    return this.args.initialLearningRate * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * t)) + alpha);
  }
  getConfig(): Record<string, unknown> {
    return { ...this.args, alpha: this.args.alpha ?? 0 };
  }
}

export const schedules = {
  stepDecay: (args: StepDecayArgs): StepDecay => new StepDecay(args),
  exponentialDecay: (args: ExponentialDecayArgs): ExponentialDecay => new ExponentialDecay(args),
  cosineDecay: (args: CosineDecayArgs): CosineDecay => new CosineDecay(args),
};

const byClass: Record<string, (c: Record<string, unknown>) => LearningRateSchedule> = {
  StepDecay: (c) => new StepDecay(c as unknown as StepDecayArgs),
  ExponentialDecay: (c) => new ExponentialDecay(c as unknown as ExponentialDecayArgs),
  CosineDecay: (c) => new CosineDecay(c as unknown as CosineDecayArgs),
};

export function deserializeSchedule(json: { className: string; config: Record<string, unknown> }): LearningRateSchedule {
  const f = byClass[json?.className];
  if (!f) throw new ValueError(`deserializeSchedule: unknown schedule ${JSON.stringify(json?.className)}`);
  return f(json.config);
}
