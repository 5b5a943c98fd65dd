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
  const specs: unknown[] = [];
  for (const t of inputs) specs.push(t.storage(op).handle, dtypeCode(t.dtype), t.shape);
  for (const o of outputs) {
    if ('into' in o) {
      const ref = o.into.storage(op);
      ref.version++;
      specs.push(ref.handle, dtypeCode(o.into.dtype), o.into.shape);
    }
    else specs.push(null, dtypeCode(o.dtype), o.shape);
  }
  const created = native.run(op, dev, specs, inputs.length, attrs === undefined ? undefined : flattenAttrs(attrs));
  const result: Tensor[] = [];
  let k = 0;
  for (const o of outputs) {
    if ('into' in o) continue;
    const nbytes = o.shape.reduce((a, b) => a * b, 1) * bytesPerElement(o.dtype);
    result.push(new Tensor(new StorageRef(created[k++], nbytes, dev), o.shape, o.dtype));
  }
  return result;
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
