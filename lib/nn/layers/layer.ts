// Layer: the base of every layer: lazy build from the first input's shape, named weights, apply() with autograd, configs.
import { ValueError } from '../../errors';
import { getDefaultDevice, normalizeDevice, type Device } from '../../device';
import { keep, opScope, tidy } from '../../memory';
import { noGrad } from '../../autograd/tape';
import { runKernel } from '../../engine/kernel';
import { toDevice } from '../../ops';
import type { Tensor } from '../../tensor';
import { registerWeight, unregisterWeight } from '../../variable';
import type { DType } from '../../dtype';
import type { Fans, Initializer } from '../initializers';
import type { Regularizer } from '../regularizers';
import type { Constraint } from '../constraints';
import { isSymbolicInput, Node, SymbolicTensor } from './symbolic';

/** A shape with the batch dimension (and possibly others) unknown. */
export type Shape = (number | null)[];

/** Options every layer accepts (tfjs LayerArgs). */
export interface LayerArgs {
  name?: string;
  /** Shape of one example, without the batch dimension (only meaningful on a model's first layer). */
  inputShape?: (number | null)[] | number;
  /** Full input shape including the batch dimension (null for any). */
  batchInputShape?: (number | null)[];
  trainable?: boolean;
}

export interface CallArgs {
  /** Training mode: dropout drops, batch normalization uses and updates batch statistics. Default false. */
  training?: boolean;
  /** @internal For a final softmax: return the logits (the model fuses softmax into the cross-entropy). */
  logits?: boolean;
  /**
   * Recurrent layers only (tfjs's kwarg): the states to start from. apply(x, {initialState: [h, c]}) is the same call
   * as apply([x, h, c]), and is recorded that way in a functional model.
   */
  initialState?: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
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
    /** Projection applied after each optimizer step in fit (tfjs kernelConstraint, ...); null for none. */
    readonly constraint: Constraint | null = null,
  ) {
    this.syncGrad();
    registerWeight(this); // optimizer.minimize() trains it without a varList, as tfjs's layer variables
  }
  get value(): Tensor {
    return this.tensor;
  }
  get shape(): readonly number[] {
    return this.tensor.shape;
  }
  /** tfjs's read(): the current value (the weight's own tensor; do not dispose it). */
  read(): Tensor {
    return this.tensor;
  }
  get dtype(): DType {
    return this.tensor.dtype;
  }
  /** tfjs's originalName: the name the weight was created under (the same here). */
  get originalName(): string {
    return this.name;
  }
  /** tfjs's write(v): assign(v), returning this. */
  write(v: Tensor): this {
    this.assign(v);
    return this;
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
  /** @internal Projects the weight onto its constraint (after an optimizer step); no-op without one. */
  applyConstraint(): void {
    if (!this.constraint) return;
    tidy(() => noGrad(() => runKernel('copy', [this.constraint!.apply(this.tensor)], [{ into: this.tensor }])));
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
    unregisterWeight(this);
    this.tensor.dispose();
  }
}

const nameCounts = new Map<string, number>();

/** What a layer asks for when it creates a weight while a model file is loaded. */
export interface WeightRequest {
  layer: Layer;
  /** `<layer name>/<weight name>`, as in `model.weights`. */
  name: string;
  shape: number[];
  dtype: DType;
  device: Device;
}

/**
 * While a model file is loaded: gives each weight a layer creates its stored value (checked against the request),
 * so no initializer runs and nothing larger than the file is allocated. Throws when the file has no such weight.
 */
export type WeightSource = (request: WeightRequest) => Tensor;

let weightSource: WeightSource | null = null;

/** Runs `fn` (building a model from a file's config) with every new weight taken from `source` instead of initialized. */
export function withWeightSource<T>(source: WeightSource, fn: () => T): T {
  const previous = weightSource;
  weightSource = source;
  try {
    return fn();
  } finally {
    weightSource = previous;
  }
}

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

/** Whether a computeOutputShape result is a list of shapes (a layer with several outputs). */
export const isShapeList = (s: Shape | Shape[]): s is Shape[] => s.length > 0 && Array.isArray(s[0]);

const shapeText = (s: Shape): string => `[${s.map((d) => (d === null ? 'null' : d)).join(',')}]`;

export abstract class Layer {
  /**
   * Serialization name (tfjs/Keras class name), e.g. 'Dense'. A custom layer sets it with `static className = '...'`
   * (tfjs' convention) or passes it to the constructor.
   */
  readonly className: string;
  readonly name: string;
  /** Each call of this layer on symbolic tensors (tf.input and layer outputs), in order. */
  readonly inboundNodes: Node[] = [];
  /** Calls of other layers that take this layer's outputs. */
  readonly outboundNodes: Node[] = [];
  readonly batchInputShape: Shape | null;
  built = false;
  /** Shape of the last input this layer was built for (batch dimension null). */
  inputShape: Shape | null = null;
  /** Where the weights are (or will be) created; null: the first input's device. */
  protected weightDevice: Device | null = null;
  private vars: LayerVariable[] = [];
  private isTrainable: boolean;

  constructor(args: LayerArgs = {}, className?: string) {
    const ctor = this.constructor as { className?: unknown; name: string };
    this.className = className ?? (typeof ctor.className === 'string' ? ctor.className : ctor.name);
    // Configs also come from files: a name keys the layer's weights, and trainable decides what trains.
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) {
      throw new ValueError(`${this.className}: 'name' must be a non-empty string, got ${JSON.stringify(args.name)}`);
    }
    if (args.trainable !== undefined && typeof args.trainable !== 'boolean') {
      throw new ValueError(`${this.className}: 'trainable' must be a boolean, got ${JSON.stringify(args.trainable)}`);
    }
    this.name = args.name ?? uniqueLayerName(snake(this.className));
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (typeof args.inputShape === 'number') this.batchInputShape = [null, args.inputShape]; // tfjs: inputShape: 16
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

  /** tfjs' getClassName(): the serialization name. */
  getClassName(): string {
    return this.className;
  }

  /**
   * Creates the weights for inputs of `inputShape` (batch dimension null; a list of shapes for a layer called on a
   * list). Called once, by apply().
   */
  build(inputShape: Shape | Shape[]): void {
    this.inputShape = isShapeList(inputShape) ? null : [...inputShape];
    this.built = true;
  }

  /** The forward computation on a built layer: one tensor in (or a list, for merge layers), one out (or a list). */
  protected abstract call(x: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /** The output shape for an input shape (batch dimension null), without computing anything. Default: the same. */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return isShapeList(inputShape) ? inputShape.map((s) => [...s]) : [...inputShape];
  }

  /**
   * Runs the layer on `x` (building it on first use), recording autograd; inference mode unless {training: true}.
   * On symbolic tensors (tf.input(), other layers' outputs) it records the call for a functional model instead and
   * returns symbolic outputs.
   */
  apply(x: Tensor, args?: CallArgs): Tensor;
  apply(x: SymbolicTensor, args?: CallArgs): SymbolicTensor;
  apply(x: Tensor[], args?: CallArgs): Tensor | Tensor[];
  apply(x: SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  apply(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args?: CallArgs): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  apply(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    if (args.initialState !== undefined && args.initialState !== null) return this.applyWithInitialState(x, args);
    // One tensor (the common call, run for every layer of every predict): checked without allocating.
    if (!Array.isArray(x) && (x as { isTensor?: unknown } | null)?.isTensor === true) return this.applyEager(x as Tensor, false, args);
    if (isSymbolicInput(x, this.name)) return this.applySymbolic(x as SymbolicTensor | SymbolicTensor[], args);
    const list = Array.isArray(x);
    const inputs = (list ? x : [x]) as Tensor[];
    if (inputs.length === 0 || inputs.some((t) => !t || (t as { isTensor?: unknown }).isTensor !== true)) {
      throw new ValueError(`${this.name}.apply: expected a Tensor, a SymbolicTensor or a non-empty list of them`);
    }
    return this.applyEager(list ? inputs : inputs[0], list, args);
  }

  /** apply() on concrete tensors: builds on first use, then calls the layer in its own scope. */
  private applyEager(x: Tensor | Tensor[], list: boolean, args: CallArgs): Tensor | Tensor[] {
    if (!this.built) {
      const inputs = list ? (x as Tensor[]) : [x as Tensor];
      if (this.weightDevice === null) this.weightDevice = inputs[0].device;
      const shapes = inputs.map((t): Shape => [null, ...t.shape.slice(1)]);
      this.build(list ? shapes : shapes[0]);
    }
    // One scope per call, as tfjs layers do: intermediates are released on return (what backward needs stays).
    return opScope(() => this.call(x, args));
  }

  /**
   * tfjs's layer.outputShape: the output shape (batch dimension null) of the layer's calls on symbolic tensors, or
   * of its build when it was only run eagerly; a list of shapes for a layer with several outputs.
   */
  get outputShape(): Shape | Shape[] {
    const shapes = this.inboundNodes.map((n) => (n.outputs.length === 1 ? n.outputs[0].shape : n.outputs.map((o) => o.shape)));
    const texts = new Set(shapes.map((s) => JSON.stringify(s)));
    if (texts.size > 1) throw new ValueError(`layer '${this.name}' has several calls with different output shapes (${[...texts].join(', ')}): ask a call's output for its shape`);
    if (shapes.length > 0) return shapes[0];
    if (this.built && this.inputShape) return this.computeOutputShape(this.inputShape);
    throw new ValueError(`layer '${this.name}' has never been called and thus has no defined output shape`);
  }

  /** Recurrent layers take initial states (tfjs's `initialState` kwarg); any other layer refuses them. */
  protected readonly acceptsInitialState: boolean = false;

  /** apply(x, {initialState}) as apply([x, ...initialState]), so a functional model records (and saves) the states as inputs. */
  private applyWithInitialState(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: CallArgs): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    const { initialState, ...rest } = args;
    if (!this.acceptsInitialState) throw new ValueError(`${this.name}.apply: 'initialState' is only for recurrent layers (${this.getClassName()} has no state)`);
    if (Array.isArray(x)) throw new ValueError(`${this.name}.apply: give the initial states either in the input list [x, ...states] or as 'initialState', not both`);
    const states = (Array.isArray(initialState) ? initialState : [initialState]) as (Tensor | SymbolicTensor)[];
    return this.apply([x, ...states] as Tensor[] | SymbolicTensor[], rest);
  }

  /** apply() on symbolic tensors: builds the layer for their shapes and records a node; returns symbolic outputs. */
  private applySymbolic(x: SymbolicTensor | SymbolicTensor[], args: CallArgs): SymbolicTensor | SymbolicTensor[] {
    const list = Array.isArray(x);
    const inputs = list ? x : [x];
    const shapes = inputs.map((s) => s.shape);
    const inShape = list ? shapes : shapes[0];
    if (!this.built) this.build(inShape);
    else if (!list && this.inputShape) this.checkInputShape(shapes[0]);
    const outShape = this.computeOutputShape(inShape);
    const outShapes = isShapeList(outShape) ? outShape : [outShape];
    const nodeIndex = this.inboundNodes.length;
    const outputs = outShapes.map(
      (s, i) => new SymbolicTensor(inputs[0].dtype, s, this, nodeIndex, i, outShapes.length > 1 ? `${this.name}/${i}` : this.name),
    );
    const node = new Node(this, inputs, outputs, list, { ...args });
    this.inboundNodes.push(node);
    for (const s of inputs) s.sourceLayer.outboundNodes.push(node);
    return isShapeList(outShape) ? outputs : outputs[0];
  }

  /** A built layer called again (shared) must get inputs of the rank and known sizes it was built for. */
  private checkInputShape(shape: Shape): void {
    const want = this.inputShape!;
    const ok = want.length === shape.length && want.every((d, i) => d === null || shape[i] === null || d === shape[i]);
    if (!ok) throw new ValueError(`${this.name}.apply: the layer was built for inputs ${shapeText(want)}, got ${shapeText(shape)}`);
  }

  /** The symbolic input of the layer's only call (tfjs layer.input); throws when it was called 0 or several times. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const node = this.onlyNode('input');
    const ins = node.inputs.length === 0 ? node.outputs : node.inputs;
    return node.inputIsList ? ins : ins[0];
  }

  /** The symbolic output of the layer's only call (tfjs layer.output). */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const node = this.onlyNode('output');
    return node.outputs.length === 1 ? node.outputs[0] : node.outputs;
  }

  private onlyNode(what: string): Node {
    if (this.inboundNodes.length === 0) throw new ValueError(`layer '${this.name}' has never been called on symbolic tensors, so it has no ${what}`);
    if (this.inboundNodes.length > 1) throw new ValueError(`layer '${this.name}' has been called ${this.inboundNodes.length} times (a shared layer), so '${what}' is ambiguous`);
    return this.inboundNodes[0];
  }

  /** The name of the activation this layer ends with, if any ('softmax' lets a model fuse it into the loss). */
  get activationName(): string | null {
    return null;
  }

  /**
   * The prefix of this layer's weight names ('<scope>/kernel'); the layer's own name unless a wrapper sets it, as
   * tfjs names a wrapped layer's weights under the wrapper ('bidirectional/forward_lstm/kernel',
   * 'time_distributed/kernel'), so that tfjs files with wrappers load by name.
   */
  weightScope: string | null = null;

  /** Adds a weight made by `initializer` on the layer's device. */
  protected addWeight(
    name: string,
    shape: number[],
    initializer: Initializer,
    fans: Fans,
    opts: { trainable?: boolean; regularizer?: Regularizer | null; constraint?: Constraint | null } = {},
  ): LayerVariable {
    const device = this.weightDevice ?? getDefaultDevice();
    const size = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || !Number.isSafeInteger(size)) {
      throw new ValueError(`layer '${this.name}': weight '${name}' has an invalid shape [${shape}]`);
    }
    const source = weightSource;
    const fullName = `${this.weightScope ?? this.name}/${name}`;
    const t = source
      ? keep(source({ layer: this, name: fullName, shape: [...shape], dtype: 'float32', device }))
      : keep(noGrad(() => initializer.init(shape, fans, device)));
    const v = new LayerVariable(fullName, t, this, opts.trainable ?? true, opts.regularizer ?? null, opts.constraint ?? null);
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
  getWeights(trainableOnly = false): Tensor[] {
    // The weights' own tensors, as tfjs returns its variables: no copies, so a loop calling getWeights (a DQN's
    // target-network sync) makes no tensors. Do not dispose them; copy (clone) what must outlive an update.
    return (trainableOnly ? this.vars.filter((v) => v.trainable) : this.vars).map((v) => v.value);
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
    this.weightDevice = d;
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

/** Largest size option (units, filters, kernel size, ...) a layer accepts. */
export const MAX_LAYER_SIZE = 2 ** 31 - 1;

/** Positive integer check for layer options, throwing ValueError naming the layer and option. */
export function checkPositiveInt(layer: string, option: string, v: unknown): number {
  // Sizes reach int32 kernel attributes; anything larger is a corrupt or hostile config, not a model.
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_LAYER_SIZE) {
    throw new ValueError(`${layer}: '${option}' must be a positive integer up to ${MAX_LAYER_SIZE}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** A number or an [h, w] pair as a pair of positive integers. */
export function pairOf(layer: string, option: string, v: unknown): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2) throw new ValueError(`${layer}: '${option}' must be a number or [h, w], got ${JSON.stringify(v)}`);
  return [checkPositiveInt(layer, option, p[0]), checkPositiveInt(layer, option, p[1])];
}
