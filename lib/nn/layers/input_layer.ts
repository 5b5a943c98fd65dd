// InputLayer and tf.input(): the entry points of a functional model's graph (a placeholder of a shape and dtype).
import { ValueError } from '../../errors';
import type { DType } from '../../dtype';
import type { Tensor } from '../../tensor';
import { Layer, uniqueLayerName, type Shape } from './layer';
import { Node, SymbolicTensor } from './symbolic';

export interface InputLayerArgs {
  /** Shape of one example, without the batch dimension. */
  inputShape?: Shape | number;
  /** Full shape including the batch dimension (null: any). */
  batchInputShape?: Shape;
  batchSize?: number;
  dtype?: DType;
  sparse?: boolean;
  name?: string;
}

export interface InputConfig {
  /** Shape of one example, without the batch dimension (tfjs: shape). */
  shape?: Shape | number;
  batchShape?: Shape;
  name?: string;
  dtype?: DType;
  sparse?: boolean;
}

/** A shape list; one number is taken as [n], as tfjs does for `shape` / `inputShape` (it appends to [batch]). */
function checkShape(where: string, given: unknown, allowNumber = false): Shape {
  const s = allowNumber && typeof given === 'number' ? [given] : given;
  if (!Array.isArray(s) || !s.every((d) => d === null || (Number.isSafeInteger(d) && d >= 0))) {
    throw new ValueError(`${where}: a shape must be a list of non-negative integers or null, got ${JSON.stringify(given)}`);
  }
  return [...s];
}

/** The layer holding a model input: it computes nothing, its one node has no inputs and outputs the placeholder. */
export class InputLayer extends Layer {
  override readonly className = 'InputLayer';
  readonly dtype: DType;
  readonly sparse: boolean;

  constructor(args: InputLayerArgs) {
    if (!args || (args.inputShape === undefined) === (args.batchInputShape === undefined)) {
      throw new ValueError(`inputLayer: give exactly one of 'inputShape' and 'batchInputShape'`);
    }
    const batch = args.batchInputShape
      ? checkShape('inputLayer: batchInputShape', args.batchInputShape)
      : [args.batchSize ?? null, ...checkShape('inputLayer: inputShape', args.inputShape, true)];
    super({ name: args.name ?? uniqueLayerName('input'), batchInputShape: batch }, 'InputLayer');
    this.dtype = args.dtype ?? 'float32';
    if (this.dtype !== 'float32' && this.dtype !== 'int32') throw new ValueError(`inputLayer: dtype must be 'float32' or 'int32', got ${JSON.stringify(args.dtype)}`);
    this.sparse = args.sparse ?? false;
    this.built = true;
    this.inputShape = [null, ...batch.slice(1)];
    const placeholder = new SymbolicTensor(this.dtype, batch, this, 0, 0, this.name);
    this.inboundNodes.push(new Node(this, [], [placeholder], false, {}));
  }

  /** The placeholder tensor of this input. */
  get placeholder(): SymbolicTensor {
    return this.inboundNodes[0].outputs[0];
  }

  protected call(x: Tensor): Tensor {
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { batchInputShape: [...this.batchInputShape!], dtype: this.dtype, sparse: this.sparse, name: this.name };
  }
}

/** tfjs' tf.input({shape | batchShape, name, dtype}): a symbolic tensor to build a functional model from. */
export function input(config: InputConfig): SymbolicTensor {
  if (!config || (config.shape === undefined) === (config.batchShape === undefined)) {
    throw new ValueError(`input: give exactly one of 'shape' (without the batch dimension) and 'batchShape'`);
  }
  const layer = new InputLayer({
    inputShape: config.shape,
    batchInputShape: config.batchShape,
    name: config.name,
    dtype: config.dtype,
    sparse: config.sparse,
  });
  return layer.placeholder;
}
