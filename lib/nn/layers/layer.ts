// Layer: the base of every layer: lazy build from the first input's shape, named weights, apply() with autograd, configs.
import { ValueError } from '../../errors';
import { getDefaultDevice, normalizeDevice, type Device } from '../../device';
import { keep } from '../../memory';
import { noGrad } from '../../autograd/tape';
import { runKernel } from '../../engine/kernel';
import { toDevice } from '../../ops';
import type { Tensor } from '../../tensor';
import type { Fans, Initializer } from '../initializers';
import type { Regularizer } from '../regularizers';

/** A shape with the batch dimension (and possibly others) unknown. */
export type Shape = (number | null)[];

/** Options every layer accepts (tfjs LayerArgs). */
export interface LayerArgs {
  name?: string;
  /** Shape of one example, without the batch dimension (only meaningful on a model's first layer). */
  inputShape?: (number | null)[];
  /** Full input shape including the batch dimension (null for any). */
  batchInputShape?: (number | null)[];
  trainable?: boolean;
}

export interface CallArgs {
  /** Training mode: dropout drops, batch normalization uses and updates batch statistics. Default false. */
  training?: boolean;
  /** @internal For a final softmax: return the logits (the model fuses softmax into the cross-entropy). */
  logits?: boolean;
}

/** One named weight of a layer: its current tensor, whether it trains, and its regularizer. */
export class LayerVariable {
  constructor(
    /** `<layer name>/<weight name>`, e.g. `dense_1/kernel`. */
    readonly name: string,
    private tensor: Tensor,
    private readonly layer: Layer,
    private readonly ownTrainable: boolean,
    readonly regularizer: Regularizer | null,
  ) {
    this.syncGrad();
  }
  get value(): Tensor {
    return this.tensor;
  }
  get shape(): readonly number[] {
    return this.tensor.shape;
  }
  /** Trains when both the weight (e.g. not a moving statistic) and its layer are trainable. */
  get trainable(): boolean {
    return this.ownTrainable && this.layer.trainable;
  }
  /** @internal Keeps requiresGrad in line with `trainable`. */
  syncGrad(): void {
    this.tensor.requiresGrad = this.trainable;
  }
  /** Overwrites the values in place (same shape; values are copied, `v` stays the caller's). */
  assign(v: Tensor): void {
    if (v.shape.join() !== this.tensor.shape.join()) {
      throw new ValueError(`assign: weight '${this.name}' has shape [${this.tensor.shape}], got a value of shape [${v.shape}]`);
    }
    noGrad(() => {
      const src = v.device === this.tensor.device ? v : toDevice(v, this.tensor.device);
      runKernel('copy', [src], [{ into: this.tensor }]);
      if (src !== v) src.dispose();
    });
  }
  /** @internal Moves the weight to `device` (a new tensor; the old one is disposed). */
  moveTo(device: Device): void {
    if (this.tensor.device === device) return;
    const moved = noGrad(() => toDevice(this.tensor, device));
    this.tensor.dispose();
    this.tensor = keep(moved);
    this.syncGrad();
  }
  dispose(): void {
    this.tensor.dispose();
  }
}

const nameCounts = new Map<string, number>();

/** Keras-style unique names: `dense`, `dense_1`, `dense_2`, ... */
export function uniqueLayerName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** snake_case of a class name for default layer names: Conv2D -> conv2d, BatchNormalization -> batch_normalization. */
function snake(className: string): string {
  return className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export abstract class Layer {
  /** Serialization name (tfjs/Keras class name), e.g. 'Dense'. */
  abstract readonly className: string;
  readonly name: string;
  readonly batchInputShape: Shape | null;
  built = false;
  /** Shape of the last input this layer was built for (batch dimension null). */
  inputShape: Shape | null = null;
  protected device: Device | null = null;
  private vars: LayerVariable[] = [];
  private isTrainable: boolean;

  constructor(args: LayerArgs, className: string) {
    this.name = args.name ?? uniqueLayerName(snake(className));
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [null, ...args.inputShape];
    else this.batchInputShape = null;
    this.isTrainable = args.trainable ?? true;
  }

  get trainable(): boolean {
    return this.isTrainable;
  }
  set trainable(v: boolean) {
    this.isTrainable = v;
    for (const w of this.vars) w.syncGrad();
  }

  /** Creates the weights for inputs of `inputShape` (batch dimension null). Called once, by apply(). */
  build(inputShape: Shape): void {
    this.inputShape = [...inputShape];
    this.built = true;
  }

  /** The forward computation on a built layer. */
  protected abstract call(x: Tensor, args: CallArgs): Tensor;

  /** The output shape for an input shape (batch dimension null), without computing anything. */
  abstract computeOutputShape(inputShape: Shape): Shape;

  /** Runs the layer on `x` (building it on first use), recording autograd. Inference mode unless {training: true}. */
  apply(x: Tensor, args: CallArgs = {}): Tensor {
    if (!this.built) {
      if (this.device === null) this.device = x.device;
      this.build([null, ...x.shape.slice(1)]);
    }
    return this.call(x, args);
  }

  /** The name of the activation this layer ends with, if any ('softmax' lets a model fuse it into the loss). */
  get activationName(): string | null {
    return null;
  }

  /** Adds a weight made by `initializer` on the layer's device. */
  protected addWeight(
    name: string,
    shape: number[],
    initializer: Initializer,
    fans: Fans,
    opts: { trainable?: boolean; regularizer?: Regularizer | null } = {},
  ): LayerVariable {
    const device = this.device ?? getDefaultDevice();
    const t = keep(noGrad(() => initializer.init(shape, fans, device)));
    const v = new LayerVariable(`${this.name}/${name}`, t, this, opts.trainable ?? true, opts.regularizer ?? null);
    this.vars.push(v);
    return v;
  }

  /** All weights, in creation order (trainable and not). */
  get weights(): LayerVariable[] {
    return [...this.vars];
  }
  get trainableWeights(): LayerVariable[] {
    return this.vars.filter((v) => v.trainable);
  }
  get nonTrainableWeights(): LayerVariable[] {
    return this.vars.filter((v) => !v.trainable);
  }

  /** The trainable weight tensors (for custom training loops and optimizers). */
  parameters(): Tensor[] {
    return this.trainableWeights.map((v) => v.value);
  }

  /** name -> tensor of every weight (the live tensors, not copies). */
  namedWeights(): Map<string, Tensor> {
    return new Map(this.vars.map((v) => [v.name, v.value]));
  }

  /** Copies of the weight values, in `weights` order (the caller owns and disposes them). */
  getWeights(): Tensor[] {
    return noGrad(() => this.vars.map((v) => keep(runKernel('copy', [v.value], [{ shape: v.value.shape, dtype: v.value.dtype }])[0])));
  }

  /** Overwrites the weights with `values` (in `weights` order, same shapes). */
  setWeights(values: Tensor[]): void {
    if (values.length !== this.vars.length) {
      throw new ValueError(`setWeights: layer '${this.name}' has ${this.vars.length} weights, got ${values.length} values`);
    }
    this.vars.forEach((v, i) => v.assign(values[i]));
  }

  countParams(): number {
    return this.vars.reduce((n, v) => n + v.value.size, 0);
  }

  /** Regularization penalties of this layer's weights (scalar tensors, differentiable). */
  regularizationLosses(): Tensor[] {
    return this.vars.filter((v) => v.regularizer && v.trainable).map((v) => v.regularizer!.apply(v.value));
  }

  /** Moves the weights to `device` (and builds later weights there). */
  to(device: Device): this {
    const d = normalizeDevice(device, `${this.name}.to`);
    this.device = d;
    for (const v of this.vars) v.moveTo(d);
    return this;
  }

  /** Options that recreate this layer (tfjs getConfig), without weights. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    return config;
  }

  toJSON(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: this.getConfig() };
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
    this.vars = [];
    this.built = false;
  }
}

/** Positive integer check for layer options, throwing ValueError naming the layer and option. */
export function checkPositiveInt(layer: string, option: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`${layer}: '${option}' must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** A number or an [h, w] pair as a pair of positive integers. */
export function pairOf(layer: string, option: string, v: unknown): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2) throw new ValueError(`${layer}: '${option}' must be a number or [h, w], got ${JSON.stringify(v)}`);
  return [checkPositiveInt(layer, option, p[0]), checkPositiveInt(layer, option, p[1])];
}
