// Weight constraints (tfjs/Keras tf.constraints): projections applied to a weight after each optimizer step in fit.
import { ValueError } from '../errors';
import { add, clipByValue, div, mul, relu, sqrt, sum } from '../ops';
import type { Tensor } from '../tensor';

export interface ConstraintConfig {
  className: string;
  config: Record<string, unknown>;
}

/** tfjs' epsilon() (the fuzz factor the norm constraints divide with). */
const EPSILON = 1e-7;

/** ||w|| along `axis` (kept as a size-1 dim so it broadcasts back over w). */
const l2Norms = (w: Tensor, axis: number | number[]): Tensor => sqrt(sum(mul(w, w), axis, true));

function finite(where: string, option: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${where}: '${option}' must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function axisOf(where: string, v: unknown): number | number[] {
  const ok = (a: unknown) => Number.isInteger(a);
  if (ok(v) || (Array.isArray(v) && v.length > 0 && v.every(ok))) return Array.isArray(v) ? [...(v as number[])] : (v as number);
  throw new ValueError(`${where}: 'axis' must be an integer or a list of integers, got ${JSON.stringify(v)}`);
}

export abstract class Constraint {
  abstract readonly className: string;
  /** The projected weight (a new tensor; `w` is unchanged). */
  abstract apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown> {
    return {};
  }
  toJSON(): ConstraintConfig {
    return { className: this.className, config: this.getConfig() };
  }
}

export interface MaxNormArgs {
  /** Largest norm allowed (default 2). */
  maxValue?: number;
  /** Axis (axes) the norm is taken over (default 0: each output unit's incoming weights of a Dense kernel). */
  axis?: number | number[];
}

/** Scales w so that its norm along `axis` is at most maxValue. */
export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];
  constructor(args: MaxNormArgs = {}) {
    super();
    this.maxValue = finite('maxNorm', 'maxValue', args.maxValue ?? 2);
    this.axis = axisOf('maxNorm', args.axis ?? 0);
  }
  apply(w: Tensor): Tensor {
    const norms = l2Norms(w, this.axis);
    return mul(w, div(clipByValue(norms, 0, this.maxValue), add(norms, EPSILON)));
  }
  override getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

export interface MinMaxNormArgs {
  minValue?: number;
  maxValue?: number;
  /** 1 (default): project fully onto [minValue, maxValue]; below 1 only part of the way. */
  rate?: number;
  axis?: number | number[];
}

/** Keeps the norm along `axis` within [minValue, maxValue] (defaults 0, 1), moving a `rate` of the way there. */
export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];
  constructor(args: MinMaxNormArgs = {}) {
    super();
    this.minValue = finite('minMaxNorm', 'minValue', args.minValue ?? 0);
    this.maxValue = finite('minMaxNorm', 'maxValue', args.maxValue ?? 1);
    this.rate = finite('minMaxNorm', 'rate', args.rate ?? 1);
    this.axis = axisOf('minMaxNorm', args.axis ?? 0);
    if (this.minValue > this.maxValue) throw new ValueError(`minMaxNorm: 'minValue' (${this.minValue}) must not exceed 'maxValue' (${this.maxValue})`);
  }
  apply(w: Tensor): Tensor {
    const norms = l2Norms(w, this.axis);
    const desired = add(mul(clipByValue(norms, this.minValue, this.maxValue), this.rate), mul(norms, 1 - this.rate));
    return mul(w, div(desired, add(norms, EPSILON)));
  }
  override getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Negative weights become zero. */
export class NonNeg extends Constraint {
  readonly className = 'NonNeg';
  apply(w: Tensor): Tensor {
    return relu(w);
  }
}

/** Scales w to unit norm along `axis`. */
export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: number | number[];
  constructor(args: { axis?: number | number[] } = {}) {
    super();
    this.axis = axisOf('unitNorm', args.axis ?? 0);
  }
  apply(w: Tensor): Tensor {
    return div(w, add(l2Norms(w, this.axis), EPSILON));
  }
  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/** The `constraints` namespace, as tf.constraints. */
export const constraints = {
  maxNorm: (args: MaxNormArgs = {}): MaxNorm => new MaxNorm(args),
  minMaxNorm: (args: MinMaxNormArgs = {}): MinMaxNorm => new MinMaxNorm(args),
  nonNeg: (): NonNeg => new NonNeg(),
  unitNorm: (args: { axis?: number | number[] } = {}): UnitNorm => new UnitNorm(args),
};

export type ConstraintIdentifier = 'maxNorm' | 'minMaxNorm' | 'nonNeg' | 'unitNorm';
export type ConstraintArg = ConstraintIdentifier | Constraint | ConstraintConfig | null;

const byClassName: Record<string, (c: Record<string, unknown>) => Constraint> = {
  MaxNorm: (c) => new MaxNorm(c as MaxNormArgs),
  MinMaxNorm: (c) => new MinMaxNorm(c as MinMaxNormArgs),
  NonNeg: () => new NonNeg(),
  UnitNorm: (c) => new UnitNorm(c as { axis?: number }),
};
const snakeNames: Record<string, string> = { max_norm: 'MaxNorm', min_max_norm: 'MinMaxNorm', non_neg: 'NonNeg', unit_norm: 'UnitNorm' };

/** A constraint from a tfjs identifier ('maxNorm'), an instance, or a serialized {className, config}; null for none. */
export function getConstraint(id: ConstraintArg | undefined, where: string): Constraint | null {
  if (id === undefined || id === null) return null;
  if (id instanceof Constraint) return id;
  if (typeof id === 'string') {
    if (id in constraints) return constraints[id as ConstraintIdentifier]();
    const cls = byClassName[id] ? id : snakeNames[id];
    if (cls) return byClassName[cls]({});
  }
  if (typeof id === 'object' && typeof id.className === 'string') {
    const cls = byClassName[id.className] ? id.className : snakeNames[id.className];
    if (cls) {
      const cfg: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(id.config ?? {})) if (v !== null && v !== undefined) cfg[k] = v;
      return byClassName[cls](cfg);
    }
  }
  throw new ValueError(`${where}: unknown constraint ${JSON.stringify(id)} (expected 'maxNorm', 'minMaxNorm', 'nonNeg', 'unitNorm' or tf.constraints.maxNorm({...}))`);
}
