// Tensor: shape, dtype and device over a reference-counted native storage, with autograd fields.
import { backward as runBackward, releaseNode, type GradNode } from './autograd/tape';
import { DTypeError, DisposedError, ShapeError, ValueError } from './errors';
import { bytesPerElement, type DataArray, type DType, typedArrayFromBuffer } from './dtype';
import { normalizeDevice, type Device } from './device';
import { type Holding, StorageRef, trackTensor, untrackTensor } from './memory';
import { native } from './native';
import { formatTensor } from './tensor_format';
import type { Rank } from './rank';

export type NestedArray = number | boolean | NestedArray[];

// Node 20 lacks Symbol.dispose; define it (as later Node versions do) so `using t = ...` works everywhere.
if (!(Symbol as { dispose?: symbol }).dispose) {
  Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('nodejs.dispose'), configurable: false, writable: false });
}

/**
 * A tensor. `R` (tfjs's rank parameter: Tensor<Rank.R2> is Tensor2D) documents the rank for TypeScript written
 * against tfjs; it does not constrain the shape type, so tensors of any rank stay assignable to each other.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export class Tensor<R extends Rank = Rank> {
  readonly isTensor = true;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
  readonly size: number;
  /** Set by autograd on outputs of recorded ops; null on leaves. */
  gradFn: GradNode | null = null;
  /** @internal How many live grad nodes read this tensor (see recordOp). */
  graphRefs = 0;
  /** @internal Set when a tidy scope (or the op that made it) handed this tensor to the graphs that read it. */
  graphOwned = false;
  private ownGrad: Tensor | null = null;
  /** @internal Set by keep(): no scope disposes this tensor. */
  keptFromScopes = false;
  /** Its storage, and whether it still holds it (false once disposed, or collected by the GC backstop). */
  private readonly held: Holding;
  private wantsGrad = false;

  /** @internal Tensors are made by ops (tensor(), zeros(), ...); this wraps a storage the caller owns one reference of. */
  constructor(ref: StorageRef, shape: readonly number[], dtype: DType) {
    // A frozen array (another tensor's shape, as most ops pass for their output) is shared; any other is copied.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
    this.dtype = dtype;
    this.device = ref.device;
    let size = 1;
    for (let d = 0; d < shape.length; d++) size *= shape[d];
    this.size = size;
    this.held = { ref, live: true };
    trackTensor(this, this.held);
  }

  get rank(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return !this.held.live;
  }
  /**
   * Accumulated gradient of a leaf that requires grad. The tensor owns it: replacing it or setting it to null
   * (or zeroGrad()) disposes the previous gradient.
   */
  get grad(): Tensor | null {
    return this.ownGrad;
  }
  set grad(value: Tensor | null) {
    if (value !== null && (value as { isTensor?: unknown })?.isTensor !== true) {
      throw new ValueError(`grad: expected a Tensor or null, got ${typeof value}`);
    }
    const previous = this.ownGrad;
    this.ownGrad = value;
    if (previous && previous !== value && !previous.isDisposed) previous.dispose();
  }

  /** True for leaves the user marked and for results of recorded ops on them. */
  get requiresGrad(): boolean {
    return this.wantsGrad;
  }
  set requiresGrad(value: boolean) {
    // A complex64 tensor's gradient is complex64 too: the gradients of its real and imaginary parts, paired.
    if (value && this.dtype !== 'float32' && this.dtype !== 'complex64') {
      throw new DTypeError(`requiresGrad: only float32 (and complex64) tensors can require gradients, this one is ${this.dtype}`);
    }
    this.wantsGrad = value;
  }

  /** @internal The native storage; throws DisposedError naming `op` after dispose(). */
  storage(op = 'tensor'): StorageRef {
    if (!this.held.live) throw new DisposedError(`${op}: tensor of shape [${this.shape}] was disposed`);
    return this.held.ref;
  }

  /** Resolves with the values once the device has computed them; never blocks the event loop. */
  async data(): Promise<DataArray> {
    const ref = this.storage('data');
    const buffer = await native.read(ref.handle, 0, this.size * bytesPerElement(this.dtype));
    return typedArrayFromBuffer(this.dtype, buffer);
  }

  /** The values, waiting for the device synchronously (blocks the thread: prefer `await data()`). */
  dataSync(): DataArray {
    const ref = this.storage('dataSync');
    return typedArrayFromBuffer(this.dtype, native.readSync(ref.handle, 0, this.size * bytesPerElement(this.dtype)));
  }

  /** The single value of a one-element tensor (synchronous, like PyTorch's item()). */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: expected a tensor with one element, got shape [${this.shape}]`);
    if (this.dtype === 'complex64') throw new DTypeError('item: a complex64 value is not one number; read real(x) and imag(x)');
    return this.dataSync()[0];
  }

  /** The values as nested arrays (complex64: each innermost list holds re, im pairs, as tfjs's). */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), nestShape(this));
  }

  arraySync(): NestedArray {
    return nest(this.dataSync(), nestShape(this));
  }

  /** Frees this tensor's reference to its storage; using it afterwards throws DisposedError. */
  dispose(): void {
    if (!this.held.live) return;
    untrackTensor(this.held);
    // The graph that made this tensor can no longer be reached through it.
    if (this.gradFn) releaseNode(this.gradFn);
    this.gradFn = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Reverse-mode autograd from this tensor; a non-scalar needs the gradient of its output. */
  backward(gradient?: Tensor, options: { retainGraph?: boolean } = {}): void {
    if (gradient !== undefined && !(gradient instanceof Tensor)) {
      throw new ValueError(`backward: 'gradient' must be a Tensor of shape [${this.shape}], got ${Array.isArray(gradient) ? 'an array' : typeof gradient}`);
    }
    runBackward(this, gradient, options);
  }

  /** A tensor sharing this storage, cut from the autograd graph. */
  detach(): Tensor {
    return new Tensor(this.storage('detach').retain(), this.shape, this.dtype);
  }

  /** @internal A view with another shape over the same storage (no autograd; see ops.reshape). */
  view(shape: readonly number[]): Tensor {
    return new Tensor(this.storage('reshape').retain(), shape, this.dtype);
  }

  /** This tensor on `device` (itself when already there), differentiable. */
  to(device: Device): Tensor {
    return toDevice(this, normalizeDevice(device, 'to'));
  }

  reshape(shape: readonly number[]): Tensor {
    return reshapeOp(this, shape);
  }

  /** The values as tfjs prints them ("Tensor\n    [[1, 2],\n     [3, 4]]"); reads them synchronously. */
  toString(verbose = false): string {
    if (!this.held.live) return `Tensor (disposed, shape [${this.shape}], dtype ${this.dtype})`;
    return formatTensor(this.dataSync(), this.shape, this.dtype, verbose);
  }

  /** Logs toString(verbose) to the console (tfjs's print). */
  print(verbose = false): void {
    console.log(this.toString(verbose));
  }
}

/** The shape array() nests values in: a complex tensor's innermost dim holds twice its values (a scalar, one pair). */
function nestShape(t: Tensor): readonly number[] {
  if (t.dtype !== 'complex64') return t.shape;
  return t.rank === 0 ? [2] : [...t.shape.slice(0, -1), 2 * t.shape[t.rank - 1]];
}

function nest(values: DataArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return values[0];
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim];
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? values[offset + i] : build(offset + i * stride, dim + 1));
    }
    return out;
  };
  return build(0, 0);
}

// Bound late to avoid an import cycle at module evaluation (ops import Tensor).
let reshapeOp: (x: Tensor, shape: readonly number[]) => Tensor;
let toDevice: (x: Tensor, device: Device) => Tensor;
export function bindTensorMethods(fns: { reshape: typeof reshapeOp; to: typeof toDevice }): void {
  reshapeOp = fns.reshape;
  toDevice = fns.to;
}
