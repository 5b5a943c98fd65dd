// tfjs's op({name: fn}): wraps a function of tensors as a named op (the name prefixes the errors it throws).
import { TensornodeError, ValueError } from '../errors';

/** Returns fn, named, with its TensornodeErrors prefixed by the op name. */
export function op<T extends (...args: never[]) => unknown>(f: { [name: string]: T }): T {
  const keys = f && typeof f === 'object' ? Object.keys(f) : [];
  if (keys.length !== 1) throw new ValueError(`op: expected an object with a single key (the op name) mapping to a function, got ${keys.length} keys`);
  const name = keys[0];
  const fn = f[name];
  if (typeof fn !== 'function') throw new ValueError(`op: '${name}' must map to a function, got ${typeof fn}`);
  const wrapped = (...args: Parameters<T>): ReturnType<T> => {
    try {
      return fn(...args) as ReturnType<T>;
    } catch (e) {
      if (e instanceof TensornodeError && !e.message.startsWith(`${name}: `)) e.message = `${name}: ${e.message}`;
      throw e;
    }
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped as unknown as T;
}
