// Sequential: a builder that stacks layers into a LayersModel (one input, one output), as in tfjs and Keras.
// The graph is made when the input shape is known: from the first layer's inputShape, build(), or the first data.
import { ValueError } from '../errors';
import { isShapeList, Layer, type Shape } from '../nn/layers/layer';
import { input, InputLayer } from '../nn/layers/input_layer';
import { isSymbolic, SymbolicTensor } from '../nn/layers/symbolic';
import { defaultModelName, LayersModel } from './layers_model';
import type { TensorArgs } from './model_data';
import type { Tensor } from '../tensor';
import { compileFromConfig, deserializeNamed } from './from_config';

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

export class Sequential extends LayersModel {
  private stack: Layer[] = [];

  constructor(args: SequentialArgs = {}) {
    super({ name: args.name ?? defaultModelName('sequential'), className: 'Sequential' });
    for (const l of args.layers ?? []) this.add(l);
  }

  /** The stacked layers (tfjs: without the input layer). */
  override get layers(): Layer[] {
    return this.stack ?? [];
  }

  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new ValueError(`${this.name}.add: expected a layer, got ${typeof layer}`);
    if (layer instanceof InputLayer) throw new ValueError(`${this.name}.add: give the first layer 'inputShape' instead of adding an InputLayer`);
    if (this.stack.includes(layer)) throw new ValueError(`${this.name}.add: layer '${layer.name}' is already in the model`);
    this.stack.push(layer);
    try {
      if (this.outputs.length > 0) {
        // Built already: connect only the new layer to the current output.
        this.connect(this.inputs[0], [layer], this.outputs[0]);
      } else if (this.stack[0].batchInputShape) {
        // With a known input shape (Keras: the first layer's inputShape) weights exist from the start, as in tfjs.
        this.build();
      }
    } catch (e) {
      this.stack.pop();
      throw e;
    }
  }

  /** Removes the last layer (tfjs pop()). */
  pop(): void {
    if (this.stack.length === 0) throw new ValueError(`${this.name}.pop: the model has no layers`);
    this.stack.pop();
    if (this.outputs.length > 0) {
      if (this.stack.length === 0) this.initEmpty();
      else this.connect(this.inputs[0], this.stack, this.inputs[0]);
    }
  }

  private initEmpty(): void {
    this.inputs = [];
    this.outputs = [];
    this.built = false;
    this.graphChanged();
  }

  /** Applies `layers` from `from` on, on the model's device, and makes the graph inputs -> the last output. */
  private connect(inp: SymbolicTensor, layers: Layer[], from: SymbolicTensor): void {
    let x = from;
    for (const l of layers) {
      if (!l.built) l.to(this.deviceName);
      const y = l.apply(x);
      if (!isSymbolic(y)) throw new ValueError(`${this.name}: layer '${l.name}' has several outputs; a Sequential model needs one output per layer`);
      x = y;
    }
    this.initGraph([inp], [x]);
    this.graphChanged();
  }

  /** Builds every layer for inputs of `inputShape` (batch dim included, null allowed); default: the first layer's. */
  override build(inputShape?: Shape | Shape[]): void {
    if (this.outputs.length > 0) return;
    if (inputShape && isShapeList(inputShape)) throw new ValueError(`${this.name}.build: a Sequential model has one input, got several shapes`);
    if (this.stack.length === 0) throw new ValueError(`${this.name}: the model has no layers`);
    const shape = (inputShape as Shape | undefined) ?? this.stack[0].batchInputShape ?? null;
    if (!shape) throw new ValueError(`${this.name}: cannot build without an input shape (give the first layer 'inputShape' or call fit/predict)`);
    const first = this.stack[0];
    const inp = input({ batchShape: [null, ...shape.slice(1)], name: `${first.name}_input` });
    this.connect(inp, this.stack, inp);
  }

  /** Builds from the shape of the first data (tensor, list or symbolic tensor) when no input shape was given. */
  protected override prepare(x: TensorArgs | SymbolicTensor | SymbolicTensor[]): void {
    if (this.outputs.length > 0) return;
    if (this.stack.length === 0) throw new ValueError(`${this.name}: the model has no layers`);
    const first = Array.isArray(x) ? x[0] : x;
    const shape = first && (isSymbolic(first) || (first as { isTensor?: unknown }).isTensor === true) ? (first as { shape: readonly (number | null)[] }).shape : null;
    this.build(this.stack[0].batchInputShape ?? (shape ? [null, ...shape.slice(1)] : undefined));
  }

  override getConfig(): Record<string, unknown> {
    const layers = this.stack.map((l, i) => {
      const json = l.toJSON();
      // The first layer records the input shape it was built for, so a loaded model can build before any data.
      if (i === 0 && !json.config.batchInputShape && this.inputs.length > 0) json.config = { ...json.config, batchInputShape: [...this.inputs[0].shape] };
      return json;
    });
    return { name: this.name, layers };
  }

  /** Outputs for `x` in inference mode (see LayersModel.predict); a Sequential has one output. */
  override predict(x: TensorArgs, args: { batchSize?: number } = {}): Tensor {
    return super.predict(x, args) as Tensor;
  }

  override async predictAsync(x: TensorArgs, args: { batchSize?: number } = {}): Promise<Tensor> {
    return (await super.predictAsync(x, args)) as Tensor;
  }

  override toJSON(): { className: 'Sequential'; config: { name: string; layers: ReturnType<Layer['toJSON']>[] }; compileConfig: Record<string, unknown> | null } {
    return { className: 'Sequential', config: this.getConfig() as { name: string; layers: ReturnType<Layer['toJSON']>[] }, compileConfig: this.compileConfig };
  }

  /** A model (fresh weights) from its config {name, layers: [{className, config}]}. */
  static fromConfig(config: Record<string, unknown>): Sequential {
    const layers = config.layers;
    if (!Array.isArray(layers)) throw new ValueError(`Sequential.fromConfig: 'layers' must be a list, got ${JSON.stringify(layers)}`);
    return new Sequential({ name: typeof config.name === 'string' ? config.name : undefined, layers: layers.map((l, i) => deserializeNamed(i, l)) });
  }

  /** A new model (fresh weights) from toJSON() output; compiled too when the JSON has compile settings. */
  static fromJSON(json: { className: string; config: Record<string, unknown>; compileConfig?: Record<string, unknown> | null }): Sequential {
    if (!json || json.className !== 'Sequential') throw new ValueError(`Sequential.fromJSON: expected className 'Sequential', got ${JSON.stringify(json?.className)}`);
    const model = Sequential.fromConfig(json.config);
    compileFromConfig(model, json.compileConfig ?? null);
    return model;
  }
}

/** tfjs' `sequential({layers})`. */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}
