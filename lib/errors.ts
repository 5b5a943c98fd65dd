// Typed errors: every failure a user can cause has its own class, and native errors are mapped onto them by `kind`.

/** Base class of every error tensornode throws on purpose. */
export class TensornodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
/** A shape does not fit: rank, size, broadcasting, axis. */
export class ShapeError extends TensornodeError {}
/** A dtype is wrong or unknown. */
export class DTypeError extends TensornodeError {}
/** A device is unknown, unusable, or tensors live on different devices. */
export class DeviceError extends TensornodeError {}
/** An option or value is out of range or of the wrong kind. */
export class ValueError extends TensornodeError {}
/** A device ran out of memory; the process keeps running. */
export class OutOfMemoryError extends TensornodeError {}
/** A tensor was used after dispose(). */
export class DisposedError extends TensornodeError {}
/** A CUDA, cuBLAS or cuDNN call failed. */
export class BackendError extends TensornodeError {}
/** A broken invariant inside tensornode (a bug: please report it). */
export class InternalError extends TensornodeError {}

const byKind: Record<string, new (message: string) => TensornodeError> = {
  ShapeError,
  DTypeError,
  DeviceError,
  ValueError,
  OutOfMemoryError,
  DisposedError,
  BackendError,
  InternalError,
};

/** Re-throws an error from the native addon as the matching typed error. */
export function rethrowNative(e: unknown): never {
  const kind = (e as { kind?: string } | null)?.kind;
  if (kind && byKind[kind]) throw new byKind[kind]((e as Error).message);
  throw e;
}
