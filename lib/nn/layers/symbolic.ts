// Symbolic tensors and nodes: what layer.apply returns on a model's inputs (tf.input), recording the layer graph
// a functional model (tf.model) later executes.
import type { DType } from '../../dtype';
import type { Layer, CallArgs, Shape } from './layer';

let nextId = 0;

/** A placeholder with a shape (batch dimension null) and dtype: the output of a layer applied in the graph. */
export class SymbolicTensor {
  readonly id = nextId++;
  readonly shape: Shape;
  constructor(
    readonly dtype: DType,
    shape: Shape,
    /** The layer that produced this tensor. */
    readonly sourceLayer: Layer,
    /** Which call of the layer (index into sourceLayer.inboundNodes). */
    readonly nodeIndex: number,
    /** Which output of that call. */
    readonly tensorIndex: number,
    readonly name: string,
  ) {
    this.shape = [...shape];
  }
  get rank(): number {
    return this.shape.length;
  }
  /** @internal The call that produced this tensor. */
  get node(): Node {
    return this.sourceLayer.inboundNodes[this.nodeIndex];
  }
  toString(): string {
    return `SymbolicTensor(${this.name}, [${this.shape.map((d) => (d === null ? 'null' : d)).join(',')}], ${this.dtype})`;
  }
}

/** One call of a layer in the graph: its symbolic inputs and outputs. */
export class Node {
  constructor(
    readonly layer: Layer,
    readonly inputs: SymbolicTensor[],
    readonly outputs: SymbolicTensor[],
    /** Whether the layer was given a list (merge layers), as opposed to one tensor. */
    readonly inputIsList: boolean,
    readonly callArgs: CallArgs,
  ) {}
}

export const isSymbolic = (x: unknown): x is SymbolicTensor => x instanceof SymbolicTensor;

/**
 * True when `x` is a symbolic tensor or a non-empty list of them (mixing symbolic and concrete is an error). `layer`
 * names the caller in that error ('<layer>.apply'); the message is only built when thrown.
 */
export function isSymbolicInput(x: unknown, layer: string): boolean {
  if (Array.isArray(x)) {
    const n = x.filter(isSymbolic).length;
    if (n > 0 && n !== x.length) throw new TypeError(`${layer}.apply: cannot mix symbolic tensors (tf.input / layer outputs) with concrete tensors in one call`);
    return n > 0;
  }
  return isSymbolic(x);
}
