// Public ops run in their own memory scope (as tfjs's op() does): see opScope in lib/memory.ts. Used by the generated
// lib/ops/public.ts and by the Tensor methods.
import { opScopeApply } from '../memory';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/** `f` with its call wrapped in an op scope; same name, arguments and result. */
export function scoped<F extends AnyFunction>(f: F): F {
  const wrapped = function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
    return opScopeApply(f, this, args);
  };
  Object.defineProperty(wrapped, 'name', { value: f.name });
  return wrapped as unknown as F;
}

/** A namespace object (tf.image, tf.linalg ...) with each of its functions scoped. */
export function scopedNamespace<N extends object>(ns: N): N {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ns)) out[k] = typeof v === 'function' ? scoped(v as AnyFunction) : v;
  return out as N;
}
