// runKernel: the one path from a validated op to the addon: builds the argument specs, queues the kernel, wraps outputs.
import { bytesPerElement, dtypeCode, type DType } from '../dtype';
import { getDefaultDevice, type Device } from '../device';
import { DTypeError } from '../errors';
import { StorageRef } from '../memory';
import { native, type Attrs } from '../native';
import { Tensor } from '../tensor';

/** A new output (shape and dtype), or an existing tensor written in place (optimizer updates). */
export type OutputSpec = { shape: readonly number[]; dtype: DType } | { into: Tensor };

/**
 * Queues kernel `op` on the inputs' device (or `device` when there are no inputs) and returns the new outputs,
 * in the order of the specs that asked for new tensors. Callers have validated shapes and dtypes already.
 */
export function runKernel(op: string, inputs: readonly Tensor[], outputs: readonly OutputSpec[], attrs?: Attrs, device?: Device): Tensor[] {
  refuseComplex(op, inputs, outputs);
  const dev = inputs.length > 0 ? inputs[0].device : (device ?? getDefaultDevice());
  const nArgs = inputs.length + outputs.length;
  let need = HEADER;
  for (const t of inputs) need += 3 + t.shape.length;
  for (const o of outputs) need += 3 + ('into' in o ? o.into.shape : o.shape).length;
  if (need > callBuffer.length) growCallBuffer(need);
  const buf = callBuffer;
  buf[0] = opIdOf(op);
  buf[1] = deviceCodeOf(dev);
  buf[2] = inputs.length;
  buf[3] = nArgs;
  let p = HEADER;
  for (const t of inputs) p = packArg(buf, p, t.storage(op).handle, t.dtype, t.shape);
  for (const o of outputs) {
    if ('into' in o) {
      const ref = o.into.storage(op);
      ref.version++;
      p = packArg(buf, p, ref.handle, o.into.dtype, o.into.shape);
    } else {
      p = packArg(buf, p, 0, o.dtype, o.shape);
    }
  }
  native.call(attrs === undefined ? undefined : flattenAttrs(attrs));
  const result: Tensor[] = [];
  let k = 0;
  for (const o of outputs) {
    if ('into' in o) continue;
    const shape = o.shape;
    let n = 1;
    for (let d = 0; d < shape.length; d++) n *= shape[d];
    result.push(new Tensor(new StorageRef(buf[k++], n * bytesPerElement(o.dtype), dev), shape, o.dtype));
  }
  return result;
}

// Calls travel to the addon packed in one Float64Array it keeps a pointer to (native/napi/run_op.cc's layout:
// [opId, deviceCode, nInputs, nArgs, then per argument handle (0: allocate), dtypeCode, rank, dims...]): no arrays,
// strings or objects per call, and the addon reads numbers in place instead of through one N-API call per value.
const HEADER = 4;
let callBuffer = new Float64Array(1024);
native.setCallBuffer(callBuffer);

/** @internal For tests: the buffer the next call is packed into (its slot 0 holds the op id during native.call). */
export function currentCallBuffer(): Float64Array {
  return callBuffer;
}

/** @internal For tests that drive the addon with a buffer of their own: gives the addon lib's buffer back. */
export function restoreCallBuffer(): void {
  native.setCallBuffer(callBuffer);
}

function growCallBuffer(need: number): void {
  callBuffer = new Float64Array(Math.max(need, callBuffer.length * 2));
  native.setCallBuffer(callBuffer);
}

function packArg(buf: Float64Array, p: number, handle: number, dtype: DType, shape: readonly number[]): number {
  buf[p] = handle;
  buf[p + 1] = dtypeCode(dtype);
  buf[p + 2] = shape.length;
  for (let d = 0; d < shape.length; d++) buf[p + 3 + d] = shape[d];
  return p + 3 + shape.length;
}

const opIds = new Map<string, number>();
function opIdOf(op: string): number {
  let id = opIds.get(op);
  if (id === undefined) opIds.set(op, (id = native.opId(op)));
  return id;
}

const deviceCodes = new Map<string, number>();
function deviceCodeOf(device: string): number {
  let code = deviceCodes.get(device);
  if (code === undefined) deviceCodes.set(device, (code = native.deviceCode(device)));
  return code;
}

/** attrs as [name, value, ...]: the addon reads a flat array by index, much cheaper than enumerating an object's keys. */
function flattenAttrs(attrs: Attrs): unknown[] {
  const flat: unknown[] = [];
  for (const name in attrs) {
    const value = attrs[name];
    if (value !== undefined) flat.push(name, value);
  }
  return flat;
}

/**
 * No kernel takes or makes complex64: complex ops pass the float32 view of their pairs (lib/ops/complex/view.ts). Ops
 * refuse complex arguments when they validate them (checkTensor); this is the backstop for any path that does not.
 */
function refuseComplex(op: string, inputs: readonly Tensor[], outputs: readonly OutputSpec[]): void {
  // Plain loops: this runs on every kernel call.
  for (const t of inputs) if (t.dtype === 'complex64') throw complexError(op);
  for (const o of outputs) if (('into' in o ? o.into.dtype : o.dtype) === 'complex64') throw complexError(op);
}

function complexError(op: string): DTypeError {
  return new DTypeError(`${op}: complex64 tensors are not supported by this op`);
}

/** Wraps host values in a new tensor on `device`. */
export function fromHostArray(values: Float32Array | Int32Array, shape: readonly number[], dtype: DType, device: Device): Tensor {
  if (dtype === 'complex64') throw new DTypeError('complex64 tensors cannot be made from host values; make one with complex(real, imag)');
  const handle = native.fromHost(device, values);
  return new Tensor(new StorageRef(handle, values.byteLength, device), shape, dtype);
}
