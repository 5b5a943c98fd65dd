// Layer wrappers (tfjs bidirectional and timeDistributed): a layer that owns inner layers and exposes their weights.
import { ValueError } from '../../../errors';
import { add, concat, mul, reshape, reverse, scale } from '../../../ops';
import type { Tensor } from '../../../tensor';
import { deserializeLayer } from '../registry';
import { isShapeList, Layer, type CallArgs, type LayerArgs, type Shape } from '../layer';
import { Wrapper } from './wrapper_base';
export { Wrapper } from './wrapper_base';
import { RNNBase, type RNNResult } from './rnn';

export interface WrapperLayerArgs extends LayerArgs {
  layer: Layer;
}

/** Applies `layer` to every time step: [B, T, ...] -> layer on [B*T, ...] -> [B, T, ...out]. */
export class TimeDistributed extends Wrapper {
  override readonly className = 'TimeDistributed';
  readonly layer: Layer;
  constructor(args: WrapperLayerArgs) {
    super(args, 'TimeDistributed');
    if (!(args?.layer instanceof Layer)) throw new ValueError(`timeDistributed: 'layer' must be a Layer, got ${typeof args?.layer}`);
    this.layer = args.layer;
  }
  protected get inner(): Layer[] {
    return [this.layer];
  }
  override build(inputShape: Shape): void {
    if (inputShape.length < 3) throw new ValueError(`timeDistributed '${this.name}': needs inputs [batch, steps, ...], got [${inputShape}]`);
    if (!this.layer.built) {
      if (this.weightDevice) this.layer.to(this.weightDevice);
      this.layer.weightScope = this.name; // tfjs: 'time_distributed/kernel', the inner layer's name left out
      this.layer.build([null, ...inputShape.slice(2)]);
    }
    super.build(inputShape);
  }
  protected call(x: Tensor, args: CallArgs): Tensor {
    const [B, T] = x.shape;
    const y = this.layer.apply(reshape(x, [B * T, ...x.shape.slice(2)]), args);
    return reshape(y, [B, T, ...y.shape.slice(1)]);
  }
  override computeOutputShape(inputShape: Shape): Shape {
    const inner = this.layer.computeOutputShape([null, ...inputShape.slice(2)]) as Shape;
    return [inputShape[0], inputShape[1], ...inner.slice(1)];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: this.layer.toJSON() };
  }
}

export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

export interface BidirectionalLayerArgs extends WrapperLayerArgs {
  layer: RNNBase;
  /** How the two directions' outputs combine (default 'concat'). */
  mergeMode?: BidirectionalMergeMode;
}

/** The steps of [B, T, U] in reverse order (one gather along the time axis; differentiable). */
function reverseSteps(seq: Tensor): Tensor {
  return seq.shape[1] === 1 ? seq : reverse(seq, 1);
}

/** Runs an RNN forwards and a copy of it backwards over the sequence and merges the two outputs (tfjs bidirectional). */
export class Bidirectional extends Wrapper {
  protected override readonly acceptsInitialState = true;
  override readonly className = 'Bidirectional';
  readonly forwardLayer: RNNBase;
  readonly backwardLayer: RNNBase;
  readonly mergeMode: BidirectionalMergeMode;
  private readonly innerName: string;
  constructor(args: BidirectionalLayerArgs) {
    super(args, 'Bidirectional');
    if (!(args?.layer instanceof RNNBase)) throw new ValueError(`bidirectional: 'layer' must be a recurrent layer (simpleRNN, lstm, gru), got ${(args?.layer as { className?: string } | undefined)?.className ?? typeof args?.layer}`);
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (mode !== null && !['concat', 'sum', 'mul', 'ave'].includes(mode)) {
      throw new ValueError(`bidirectional: 'mergeMode' must be 'concat', 'sum', 'mul', 'ave' or null, got ${JSON.stringify(args.mergeMode)}`);
    }
    if (mode === null) throw new ValueError("bidirectional: mergeMode null (a list of outputs) needs the functional API, which this layer does not use yet");
    this.mergeMode = mode;
    const json = args.layer.toJSON();
    this.innerName = args.layer.name;
    this.forwardLayer = deserializeLayer({ className: json.className, config: { ...json.config, name: `forward_${args.layer.name}` } }) as RNNBase;
    this.backwardLayer = deserializeLayer({ className: json.className, config: { ...json.config, name: `backward_${args.layer.name}`, goBackwards: !args.layer.goBackwards } }) as RNNBase;
  }
  protected get inner(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }
  /** Called on [x, ...initialState] (forward layer's states, then the backward layer's), x gives the shapes. */
  override build(shapes: Shape | Shape[]): void {
    const inputShape = isShapeList(shapes) ? shapes[0] : shapes;
    for (const l of this.inner) {
      if (!l.built) {
        if (this.weightDevice) l.to(this.weightDevice);
        l.weightScope = `${this.name}/${l.name}`; // tfjs: 'bidirectional/forward_lstm/kernel'
        l.build(inputShape);
      }
    }
    super.build(inputShape);
  }
  /** Both directions' results; the output merged, the states forward then backward. */
  callWithState(x: Tensor, initialState?: Tensor[], args: CallArgs = {}): RNNResult {
    if (!this.built) {
      if (this.weightDevice === null) this.weightDevice = x.device;
      this.build([null, ...x.shape.slice(1)]);
    }
    const n = this.forwardLayer.stateCount;
    const f = this.forwardLayer.callWithState(x, initialState?.slice(0, n), args);
    const b = this.backwardLayer.callWithState(x, initialState?.slice(n), args);
    // The backward layer's sequence is in its processing order: flip it back to the input's time order.
    const bo = this.backwardLayer.returnSequences ? reverseSteps(b.output) : b.output;
    const merged =
      this.mergeMode === 'concat' ? concat([f.output, bo], -1) : this.mergeMode === 'sum' ? add(f.output, bo) : this.mergeMode === 'mul' ? mul(f.output, bo) : scale(add(f.output, bo), 0.5);
    return { output: merged, states: [...f.states, ...b.states] };
  }
  protected call(x: Tensor | Tensor[], args: CallArgs): Tensor {
    const [input, ...initial] = Array.isArray(x) ? x : [x];
    const n = 2 * this.forwardLayer.stateCount;
    if (initial.length > 0 && initial.length !== n) throw new ValueError(`bidirectional '${this.name}': initialState must be ${n} tensors (the forward layer's states, then the backward layer's), got ${initial.length}`);
    return this.callWithState(input, initial.length > 0 ? initial : undefined, args).output;
  }
  override computeOutputShape(shapes: Shape | Shape[]): Shape {
    const full = this.forwardLayer.computeOutputShape(isShapeList(shapes) ? shapes[0] : shapes);
    const s = isShapeList(full) ? full[0] : full;
    if (this.mergeMode !== 'concat') return s;
    const last = s[s.length - 1];
    return [...s.slice(0, -1), last === null ? null : 2 * last];
  }
  override getConfig(): Record<string, unknown> {
    const json = this.forwardLayer.toJSON();
    return { ...super.getConfig(), layer: { className: json.className, config: { ...json.config, name: this.innerName } }, mergeMode: this.mergeMode };
  }
}
