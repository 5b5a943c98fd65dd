// Container: a graph of layers between symbolic inputs and outputs (tfjs' Container): topology, execution, weights,
// getLayer, and the functional config. It is a Layer itself, so a model can be used inside another model.
import { ShapeError, ValueError } from '../errors';
import { normalizeDevice, type Device } from '../device';
import type { Tensor } from '../tensor';
import { isShapeList, Layer, type CallArgs, type LayerVariable, type Shape } from '../nn/layers/layer';
import { InputLayer } from '../nn/layers/input_layer';
import { Node, SymbolicTensor } from '../nn/layers/symbolic';

/** [layer name, node index, tensor index]: a tensor of the graph in a config (tfjs' input_layers/output_layers). */
export type TensorRef = [string, number, number];

/** One layer in a functional config: its class, options and the calls (nodes) that connect it. */
export interface GraphLayerConfig {
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** Per call of the layer in this model, its inputs as [layer, node, tensor, kwargs]. */
  inboundNodes: [string, number, number, Record<string, unknown>][][];
}

export interface GraphConfig {
  name: string;
  layers: GraphLayerConfig[];
  inputLayers: TensorRef[];
  outputLayers: TensorRef[];
}

export interface ContainerArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

/** @internal How execute() runs: training mode, and the outputs whose final softmax is left to the loss. */
export interface ExecuteArgs extends CallArgs {
  logitsOutputs?: ReadonlySet<number>;
  /**
   * Check each input against the model's declared input shape (default true: predict, fit, evaluate). A model
   * used as a layer inside another skips it, as tfjs does: its layers check what they need, so a Dense-first model
   * also takes [batch, 1, features], as in tfjs.
   */
  checkInputShapes?: boolean;
}

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

export class Container extends Layer {
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  private graphLayers: Layer[] = [];
  inputLayers: Layer[] = [];
  outputLayers: Layer[] = [];
  /** The calls to run, in an order where each node's inputs are computed before it. */
  private nodes: Node[] = [];
  protected deviceName: Device;
  private ownTrainable = true;

  constructor(name: string | undefined, className: string, device: Device) {
    super({ name }, className);
    this.deviceName = device;
  }

  /** tfjs's model.outputShape: the shape of the model's output, or a list of them for several outputs. */
  override get outputShape(): Shape | Shape[] {
    if (this.outputs.length === 0) return super.outputShape;
    return this.outputs.length === 1 ? [...this.outputs[0].shape] : this.outputs.map((o) => [...o.shape]);
  }

  /** Sets the graph from symbolic inputs to outputs: finds its nodes and layers and checks it is connected. */
  protected initGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    const where = `model '${this.name}'`;
    if (inputs.length === 0 || outputs.length === 0) throw new ValueError(`${where}: needs at least one input and one output`);
    for (const t of [...inputs, ...outputs]) {
      if (!(t instanceof SymbolicTensor)) throw new ValueError(`${where}: inputs and outputs must be symbolic tensors (tf.input() and layer.apply() results), got ${String(t)}`);
    }
    for (const t of inputs) {
      if (!(t.sourceLayer instanceof InputLayer)) {
        throw new ValueError(`${where}: input '${t.name}' must come from tf.input() (it is an output of layer '${t.sourceLayer.name}')`);
      }
    }
    if (new Set(inputs).size !== inputs.length) throw new ValueError(`${where}: the same input is listed twice`);
    const inputIds = new Set(inputs.map((t) => t.id));
    // Post-order walk back from the outputs: every node's inputs come before it.
    const order: Node[] = [];
    const seen = new Set<Node>();
    const visit = (node: Node, from: string): void => {
      if (seen.has(node)) return;
      seen.add(node);
      if (node.layer instanceof InputLayer && !inputIds.has(node.outputs[0].id)) {
        throw new ValueError(`${where}: graph disconnected: '${from}' needs input '${node.layer.name}', which is not among the model's inputs`);
      }
      for (const t of node.inputs) visit(t.node, node.layer.name);
      order.push(node);
    };
    for (const t of outputs) visit(t.node, 'output');
    for (const t of inputs) visit(t.node, 'input');
    // Depth: 0 at the outputs, growing toward the inputs; running deepest first respects every dependency.
    const depth = new Map<Node, number>(order.map((n) => [n, 0]));
    for (const node of [...order].reverse()) {
      const d = depth.get(node)!;
      for (const t of node.inputs) depth.set(t.node, Math.max(depth.get(t.node) ?? 0, d + 1));
    }
    const rank = new Map(order.map((n, i) => [n, i]));
    const sorted = [...order].sort((a, b) => depth.get(b)! - depth.get(a)! || rank.get(a)! - rank.get(b)!);
    const layerDepth = new Map<Layer, number>();
    for (const n of sorted) layerDepth.set(n.layer, Math.max(layerDepth.get(n.layer) ?? 0, depth.get(n)!));
    const layers = [...layerDepth.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)!);
    const names = new Set<string>();
    for (const l of layers) {
      if (l === this) throw new ValueError(`${where}: a model cannot contain itself`);
      if (names.has(l.name)) throw new ValueError(`${where}: two layers are named '${l.name}' (layer names must be unique in a model)`);
      names.add(l.name);
    }
    this.inputs = [...inputs];
    this.outputs = [...outputs];
    this.nodes = sorted.filter((n) => !(n.layer instanceof InputLayer));
    this.graphLayers = layers;
    this.inputLayers = inputs.map((t) => t.sourceLayer);
    this.outputLayers = outputs.map((t) => t.sourceLayer);
    this.built = true;
  }

  /** Every layer of the graph, deepest (inputs) first, each once. */
  get layers(): Layer[] {
    return this.graphLayers;
  }

  /** @internal The calls this model runs, in execution order (input layers excluded). */
  get graphNodes(): Node[] {
    return this.nodes;
  }

  /** The names of the input layers (keys of a dict of inputs). */
  get inputNames(): string[] {
    return this.inputLayers.map((l) => l.name);
  }
  /** The names of the layers producing the outputs (keys of a dict of targets). */
  get outputNames(): string[] {
    return this.outputLayers.map((l) => l.name);
  }

  /** A layer by name or by index into `layers` (tfjs getLayer(name?, index?)). */
  getLayer(name?: string | number, index?: number): Layer {
    if (typeof name === 'number') return this.getLayer(undefined, name);
    if (index !== undefined) {
      if (!Number.isInteger(index) || index < 0 || index >= this.layers.length) {
        throw new ValueError(`${this.name}.getLayer: index ${index} is out of range (the model has ${this.layers.length} layers)`);
      }
      return this.layers[index];
    }
    const found = this.layers.find((l) => l.name === name);
    if (!found) throw new ValueError(`${this.name}.getLayer: no layer named ${JSON.stringify(name)} (layers: ${this.layers.map((l) => l.name).join(', ')})`);
    return found;
  }

  /** Runs the graph on concrete inputs (in `inputs` order); returns the outputs in `outputs` order. */
  execute(xs: Tensor[], args: ExecuteArgs = {}): Tensor[] {
    if (xs.length !== this.inputs.length) throw new ValueError(`model '${this.name}': expects ${this.inputs.length} input(s), got ${xs.length}`);
    const values = new Map<number, Tensor>();
    this.inputs.forEach((s, i) => {
      const x = xs[i];
      if (!x || (x as { isTensor?: unknown }).isTensor !== true) throw new ValueError(`model '${this.name}': input '${this.inputNames[i]}' must be a Tensor`);
      const ok = args.checkInputShapes === false || (x.rank === s.rank && s.shape.every((d, k) => k === 0 || d === null || d === x.shape[k]));
      if (!ok) {
        const want = `[${s.shape.map((d) => (d === null ? 'null' : d)).join(',')}]`;
        throw new ShapeError(`model '${this.name}': input '${this.inputNames[i]}' expects shape ${want}, got [${x.shape}]`);
      }
      values.set(s.id, x);
    });
    const { logitsOutputs, checkInputShapes: _checked, ...callArgs } = args;
    // The arguments of a node without call kwargs of its own and not asked for logits: one object for all of them
    // (execute runs once per predict; the layers only read their arguments).
    const plainArgs: CallArgs = { ...callArgs, logits: false };
    for (const node of this.nodes) {
      const logits = !!logitsOutputs && node.outputs.length === 1 && logitsOutputs.has(node.outputs[0].id);
      const callArgsOf = logits || hasKeys(node.callArgs) ? { ...callArgs, ...node.callArgs, logits } : plainArgs;
      const input = node.inputIsList ? node.inputs.map((t) => values.get(t.id)!) : values.get(node.inputs[0].id)!;
      const out = node.layer.apply(input, callArgsOf) as Tensor | Tensor[];
      if (!Array.isArray(out) && node.outputs.length === 1) {
        values.set(node.outputs[0].id, out);
        continue;
      }
      const outs = Array.isArray(out) ? out : [out];
      if (outs.length !== node.outputs.length) {
        throw new ValueError(`layer '${node.layer.name}' returned ${outs.length} tensor(s) where its computeOutputShape promised ${node.outputs.length}`);
      }
      node.outputs.forEach((s, i) => values.set(s.id, outs[i]));
    }
    return this.outputs.map((s) => values.get(s.id)!);
  }

  /** As a layer inside another model: the inputs in order, one tensor or a list; the outputs likewise. */
  protected call(x: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const outs = this.execute(asList(x), { training: args.training, checkInputShapes: false });
    return outs.length === 1 ? outs[0] : outs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    if (shapes.length !== this.inputs.length) throw new ValueError(`model '${this.name}': expects ${this.inputs.length} input(s), got ${shapes.length}`);
    const known = new Map<number, Shape>();
    this.inputs.forEach((s, i) => known.set(s.id, shapes[i]));
    for (const node of this.nodes) {
      const ins = node.inputs.map((t) => known.get(t.id)!);
      const out = node.layer.computeOutputShape(node.inputIsList ? ins : ins[0]);
      const outs = isShapeList(out) ? out : [out];
      node.outputs.forEach((s, i) => known.set(s.id, outs[i]));
    }
    const result = this.outputs.map((s) => known.get(s.id)!);
    return result.length === 1 ? result[0] : result;
  }

  override build(): void {
    // The layers were built when they were applied to the symbolic inputs.
  }

  /** The device the weights live on. */
  get device(): Device {
    return this.deviceName;
  }

  override get trainable(): boolean {
    return this.ownTrainable;
  }
  /** Freezes (false) or unfreezes every layer of the model (tfjs model.trainable). */
  override set trainable(v: boolean) {
    this.ownTrainable = v;
    for (const l of this.layers ?? []) l.trainable = v;
  }

  override get weights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.weights);
  }
  override get trainableWeights(): LayerVariable[] {
    return this.ownTrainable ? this.layers.flatMap((l) => l.trainableWeights) : [];
  }
  override get nonTrainableWeights(): LayerVariable[] {
    return this.ownTrainable ? this.layers.flatMap((l) => l.nonTrainableWeights) : this.weights;
  }
  override namedWeights(): Map<string, Tensor> {
    return new Map(this.weights.map((v) => [v.name, v.value]));
  }
  override countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }
  override getWeights(trainableOnly = false): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights(trainableOnly));
  }
  /** Overwrites all weights (values copied), in `weights` order. */
  override setWeights(values: Tensor[]): void {
    const n = this.weights.length;
    if (!Array.isArray(values) || values.length !== n) throw new ValueError(`${this.name}.setWeights: the model has ${n} weights, got ${values?.length}`);
    let k = 0;
    for (const l of this.layers) {
      const m = l.weights.length;
      l.setWeights(values.slice(k, k + m));
      k += m;
    }
  }
  override regularizationLosses(): Tensor[] {
    return this.layers.flatMap((l) => l.regularizationLosses());
  }
  /** Moves the weights (and later the optimizer state, on its next step) to `device`. */
  override to(device: Device): this {
    this.deviceName = normalizeDevice(device, `${this.name}.to`);
    super.to(this.deviceName);
    for (const l of this.layers) l.to(this.deviceName);
    return this;
  }
  override dispose(): void {
    for (const l of this.layers) l.dispose();
  }

  /** The functional config: each layer with the calls that connect it, and the model's input and output tensors. */
  graphConfig(): GraphConfig {
    // Node indices count only this model's calls of a layer (a shared layer may have calls in other models too).
    const own = new Set<Node>([...this.nodes, ...this.inputLayers.map((l) => l.inboundNodes[0])]);
    const localIndex = new Map<Node, number>();
    for (const l of this.layers) l.inboundNodes.filter((n) => own.has(n)).forEach((n, i) => localIndex.set(n, i));
    const ref = (t: SymbolicTensor): TensorRef => [t.sourceLayer.name, localIndex.get(t.node)!, t.tensorIndex];
    const layers = this.layers.map((l) => {
      const json = l.toJSON();
      const nodes = l instanceof InputLayer ? [] : l.inboundNodes.filter((n) => own.has(n));
      return {
        name: l.name,
        className: json.className,
        config: json.config,
        inboundNodes: nodes.map((n) => n.inputs.map((t) => [...ref(t), { ...n.callArgs }] as [string, number, number, Record<string, unknown>])),
      };
    });
    return { name: this.name, layers, inputLayers: this.inputs.map(ref), outputLayers: this.outputs.map(ref) };
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.graphConfig() };
  }
}
