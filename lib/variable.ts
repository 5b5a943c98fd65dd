// tf.Variable: a named Tensor whose values can be replaced (assign), kept out of tidy scopes, and a registry of them.
import type { Rank } from './rank';
import { noGrad } from './autograd/tape';
import { DTypeError, ShapeError, ValueError } from './errors';
import { isDType, type DType } from './dtype';
import { runKernel } from './engine/kernel';
import { keep } from './memory';
import { Tensor } from './tensor';

const registry = new Map<string, Variable>();
let nextId = 0;

/**
 * A Tensor that lives until disposed (tidy never disposes it), has a unique name, and can be overwritten with
 * `assign`. A trainable float32 variable requires grad, so `grad`, `variableGrads` and `optimizer.minimize` see it.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export class Variable<R extends Rank = Rank> extends Tensor<R> {
  readonly name: string;
  private isTrainable: boolean;

  /** @internal Use variable(). Takes a fresh copy of `initialValue`'s values. */
  constructor(initialValue: Tensor, trainable: boolean, name: string) {
    const copy = noGrad(() => runKernel('copy', [initialValue], [{ shape: initialValue.shape, dtype: initialValue.dtype }])[0]);
    const ref = copy.storage('variable').retain();
    copy.dispose();
    super(ref, initialValue.shape, initialValue.dtype);
    this.name = name;
    this.isTrainable = trainable;
    this.syncGrad();
    keep(this);
  }

  get trainable(): boolean {
    return this.isTrainable;
  }
  set trainable(value: boolean) {
    this.isTrainable = !!value;
    this.syncGrad();
  }

  private syncGrad(): void {
    this.requiresGrad = this.isTrainable && this.dtype === 'float32';
  }

  /** Replaces the values (same shape and dtype; `newValue` stays the caller's). */
  assign(newValue: Tensor): void {
    if (!(newValue instanceof Tensor)) throw new ValueError(`Variable.assign: 'newValue' must be a Tensor, got ${typeof newValue}`);
    if (newValue.dtype !== this.dtype) {
      throw new DTypeError(`Variable.assign: dtype of the new value (${newValue.dtype}) does not match the variable '${this.name}' (${this.dtype})`);
    }
    if (newValue.shape.join() !== this.shape.join()) {
      throw new ShapeError(`Variable.assign: shape of the new value [${newValue.shape}] does not match the variable '${this.name}' [${this.shape}]`);
    }
    noGrad(() => {
      const src = newValue.device === this.device ? newValue : newValue.to(this.device);
      runKernel('copy', [src], [{ into: this }]);
      if (src !== newValue) src.dispose();
    });
  }

  override dispose(): void {
    if (registry.get(this.name) === this) registry.delete(this.name);
    super.dispose();
  }
}

/**
 * tfjs's variable(initialValue, trainable = true, name?, dtype?): a new Variable holding a copy of the values (cast to
 * `dtype` when given). Names are unique: a second live variable with the same name throws ValueError.
 */
export function variable(initialValue: Tensor, trainable = true, name?: string, dtype?: DType): Variable {
  if (!(initialValue instanceof Tensor)) throw new ValueError(`variable: 'initialValue' must be a Tensor, got ${initialValue === null ? 'null' : typeof initialValue}`);
  if (dtype !== undefined && !isDType(dtype)) throw new DTypeError(`variable: unknown dtype ${JSON.stringify(dtype)} (expected 'float32' or 'int32')`);
  if (initialValue.dtype === 'complex64' || dtype === 'complex64') {
    throw new DTypeError('variable: complex64 variables are not supported; keep the real and imaginary parts in two float32 variables');
  }
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new ValueError(`variable: 'name' must be a non-empty string, got ${JSON.stringify(name)}`);
  const key = name ?? `variable_${nextId++}`;
  if (registry.has(key)) throw new ValueError(`variable: a variable named '${key}' is already registered (dispose it first, or pick another name)`);
  const source = dtype !== undefined && dtype !== initialValue.dtype ? noGrad(() => castTo(initialValue, dtype)) : initialValue;
  try {
    const v = new Variable(source, trainable, key);
    registry.set(key, v);
    return v;
  } finally {
    if (source !== initialValue) source.dispose();
  }
}

function castTo(x: Tensor, dtype: DType): Tensor {
  return runKernel('cast', [x], [{ shape: x.shape, dtype }])[0];
}

/** Every live variable by name (tfjs engine().registeredVariables). */
export function registeredVariables(): Record<string, Variable> {
  return Object.fromEntries(registry);
}

/** The live variables with trainable = true, in creation order (what optimizer.minimize trains by default). */
export function trainableVariables(): Variable[] {
  return [...registry.values()].filter((v) => v.trainable);
}

/** A trainable weight that is not a Variable (a layer's weight), by name: what minimize() trains by default too. */
export interface WeightRef {
  readonly name: string;
  readonly value: Tensor;
  readonly trainable: boolean;
}

// Weakly held: a model dropped without dispose() can still be garbage-collected.
const weights = new Set<WeakRef<WeightRef>>();

/** @internal Called by LayerVariable: registers a layer's weight until unregisterWeight (its dispose). */
export function registerWeight(w: WeightRef): void {
  weights.add(new WeakRef(w));
}

/** @internal */
export function unregisterWeight(w: WeightRef): void {
  for (const r of weights) if (r.deref() === w) weights.delete(r);
}

/** The live layer weights (pruning the collected ones). */
export function registeredWeights(): WeightRef[] {
  const out: WeightRef[] = [];
  for (const r of weights) {
    const w = r.deref();
    if (w && !w.value.isDisposed) out.push(w);
    else weights.delete(r);
  }
  return out;
}

/** @internal A live variable by name, else a live layer weight by name, else undefined. */
export function variableNamed(name: string): Variable | WeightRef | undefined {
  return registry.get(name) ?? registeredWeights().find((w) => w.name === name);
}

/** Disposes every registered variable (tfjs's disposeVariables). */
export function disposeVariables(): void {
  for (const v of [...registry.values()]) v.dispose();
}
