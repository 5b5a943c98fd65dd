// Recurrent layers with tfjs's names, defaults and weight layouts: simpleRNN, lstm (gates i, f, c, o) and gru (gates
// z, r, h; resetAfter as Keras). The whole sequence runs in one fused native kernel (lib/ops/rnn.ts); only the
// input projection x W + b is a separate, large matmul.
import { ValueError } from '../../../errors';
import { add, concat, dropout, gruSequence, lstmSequence, matmul, mul, ones, reshape, simpleRnnSequence, slice, zeros, RNN_ACTIVATIONS, type RnnActivation } from '../../../ops';
import type { Tensor } from '../../../tensor';
import { getInitializer, type Fans, type Initializer } from '../../initializers';
import { getRegularizer, type Regularizer } from '../../regularizers';
import { getConstraint, type Constraint, type ConstraintArg } from '../../constraints';
import type { InitializerArg, RegularizerArg } from '../kernel_layer';
import { checkPositiveInt, isShapeList, Layer, type CallArgs, type LayerArgs, type LayerVariable, type Shape } from '../layer';

export interface RNNLayerArgs extends LayerArgs {
  units: number;
  /** Output activation (default 'tanh'; null means linear). */
  activation?: RnnActivation | null;
  useBias?: boolean;
  /** Default 'glorotNormal' (tfjs' recurrent cells). */
  kernelInitializer?: InitializerArg;
  /** Default 'orthogonal'. */
  recurrentInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  recurrentRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  /** Projections applied after each optimizer step (tf.constraints). */
  kernelConstraint?: ConstraintArg;
  recurrentConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
  /** Fraction of the inputs dropped in training (one mask over the features, fixed over the time steps, as tfjs). */
  dropout?: number;
  /** Fraction of the recurrent state h_{t-1} dropped (where it enters the recurrent matmul) in training; one mask per sequence. */
  recurrentDropout?: number;
  /** Return the whole output sequence [batch, steps, units] instead of the last output [batch, units]. */
  returnSequences?: boolean;
  /** Also return the final states (h, and c for LSTM) after the output (functional models). */
  returnState?: boolean;
  /** Process the sequence last step first. */
  goBackwards?: boolean;
  /** Keep states across batches: not supported (must be false). */
  stateful?: boolean;
  /** Accepted for compatibility; the fused kernel never unrolls. */
  unroll?: boolean;
  /** Accepted for compatibility (tfjs' 1 or 2); one fused implementation serves both. */
  implementation?: number;
  /** Input features, an alternative to inputShape: [inputLength, inputDim]. */
  inputDim?: number;
  inputLength?: number;
}

export interface GatedRNNLayerArgs extends RNNLayerArgs {
  /** Gate activation (default 'hardSigmoid', as tfjs). */
  recurrentActivation?: RnnActivation | null;
}

export interface LSTMLayerArgs extends GatedRNNLayerArgs {
  /** Initialize the forget gate's bias to 1 (default false, as tfjs; Keras defaults to true). */
  unitForgetBias?: boolean;
}

export interface GRULayerArgs extends GatedRNNLayerArgs {
  /**
   * Apply the reset gate after the recurrent matmul with separate input and recurrent biases [2, 3*units] (Keras 2+'s
   * default, so Keras GRUs load). Default false; tfjs itself refuses true.
   */
  resetAfter?: boolean;
}

function activationName(layer: string, option: string, v: unknown, dflt: RnnActivation): RnnActivation {
  if (v === undefined) return dflt;
  if (v === null) return 'linear';
  if (typeof v !== 'string' || !(v in RNN_ACTIVATIONS)) {
    throw new ValueError(`${layer}: '${option}' must be one of ${Object.keys(RNN_ACTIVATIONS).join(', ')} (the fused recurrent kernels' set), got ${JSON.stringify(v)}`);
  }
  return v as RnnActivation;
}

export function rate(layer: string, option: string, v: unknown): number {
  const r = v ?? 0;
  if (typeof r !== 'number' || !(r >= 0 && r < 1)) throw new ValueError(`${layer}: '${option}' must be in [0, 1), got ${JSON.stringify(v)}`);
  return r;
}

function withInputShape(args: RNNLayerArgs): RNNLayerArgs {
  if (args.inputShape || args.batchInputShape || (args.inputDim === undefined && args.inputLength === undefined)) return args;
  return { ...args, inputShape: [args.inputLength ?? null, args.inputDim ?? null] };
}

/** Bias [1*U, ones U, 2U zeros]-style initializer: the forget gate's slice set to one (tfjs unitForgetBias). */
export class UnitForgetBias {
  constructor(private readonly inner: Initializer) {}
  init(shape: readonly number[], fans: Fans, device: string): Tensor {
    const u = shape[0] / 4;
    const part = (n: number) => this.inner.init([n], fans, device);
    const parts = [part(u), ones([u], { device }), part(2 * u)];
    const out = concat(parts, 0);
    for (const p of parts) p.dispose();
    return out;
  }
}

/** The state a recurrent layer returns after a sequence. */
export interface RNNResult {
  /** The last output [batch, units], or the sequence [batch, steps, units] with returnSequences. */
  output: Tensor;
  /** The final states (h; and c for LSTM), each [batch, units]. */
  states: Tensor[];
}

export abstract class RNNBase extends Layer {
  protected override readonly acceptsInitialState = true;
  readonly units: number;
  readonly activation: RnnActivation;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  protected readonly kernelInit: Initializer;
  protected readonly recurrentInit: Initializer;
  protected readonly biasInit: Initializer;
  protected readonly kernelReg: Regularizer | null;
  protected readonly recurrentReg: Regularizer | null;
  protected readonly biasReg: Regularizer | null;
  protected readonly kernelConstraint: Constraint | null;
  protected readonly recurrentConstraint: Constraint | null;
  protected readonly biasConstraint: Constraint | null;
  private readonly implementation: number;

  /** Gates side by side in the kernels: 1 (simple), 4 (LSTM), 3 (GRU). */
  protected abstract readonly gates: number;
  /** States carried between steps: 1 (h) or 2 (h, c). */
  abstract readonly stateCount: number;

  constructor(args: RNNLayerArgs, className: string, what: string) {
    super(withInputShape(args), className);
    this.units = checkPositiveInt(what, 'units', args.units);
    this.activation = activationName(what, 'activation', args.activation, 'tanh');
    this.useBias = args.useBias ?? true;
    this.kernelInit = getInitializer(args.kernelInitializer ?? 'glorotNormal', `${what}: kernelInitializer`);
    this.recurrentInit = getInitializer(args.recurrentInitializer ?? 'orthogonal', `${what}: recurrentInitializer`);
    this.biasInit = getInitializer(args.biasInitializer ?? 'zeros', `${what}: biasInitializer`);
    this.kernelReg = getRegularizer(args.kernelRegularizer, `${what}: kernelRegularizer`);
    this.recurrentReg = getRegularizer(args.recurrentRegularizer, `${what}: recurrentRegularizer`);
    this.biasReg = getRegularizer(args.biasRegularizer, `${what}: biasRegularizer`);
    this.kernelConstraint = getConstraint(args.kernelConstraint, `${what}: kernelConstraint`);
    this.recurrentConstraint = getConstraint(args.recurrentConstraint, `${what}: recurrentConstraint`);
    this.biasConstraint = getConstraint(args.biasConstraint, `${what}: biasConstraint`);
    this.dropout = rate(what, 'dropout', args.dropout);
    this.recurrentDropout = rate(what, 'recurrentDropout', args.recurrentDropout);
    if (args.stateful) throw new ValueError(`${what}: 'stateful' RNNs are not supported (pass initial states through apply instead)`);
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.implementation = args.implementation ?? 1;
  }

  /** Bias shape and initializer (GRU resetAfter has two rows; LSTM may set the forget gate to one). */
  protected biasSpec(): { shape: number[]; init: Initializer | UnitForgetBias } {
    return { shape: [this.gates * this.units], init: this.biasInit };
  }

  override build(shapes: Shape | Shape[]): void {
    // Called on [x, ...initialState] the first shape is the sequence's.
    const inputShape = isShapeList(shapes) ? shapes[0] : shapes;
    const inDim = inputShape[inputShape.length - 1];
    if (inputShape.length !== 3 || typeof inDim !== 'number') {
      throw new ValueError(`${this.className.toLowerCase()} '${this.name}': needs inputs [batch, steps, features] with known features, got [${inputShape}]`);
    }
    const GU = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [inDim, GU], this.kernelInit, { fanIn: inDim, fanOut: GU }, { regularizer: this.kernelReg, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, GU], this.recurrentInit, { fanIn: this.units, fanOut: GU }, { regularizer: this.recurrentReg, constraint: this.recurrentConstraint });
    if (this.useBias) {
      const b = this.biasSpec();
      this.bias = this.addWeight('bias', b.shape, b.init as Initializer, { fanIn: inDim, fanOut: GU }, { regularizer: this.biasReg, constraint: this.biasConstraint });
    }
    super.build(inputShape);
  }

  /** x W (+ input bias) for every step at once: [B, T, G*U]; with dropout, one input mask fixed over time (tfjs). */
  protected inputProjection(x: Tensor, args: CallArgs): Tensor {
    let input = x;
    if (this.dropout > 0 && args.training) {
      const [B, , I] = x.shape;
      input = mul(x, dropout(ones([B, 1, I], { device: x.device }), this.dropout));
    }
    const xw = matmul(input, this.kernel!.value);
    const b = this.inputBias();
    return b ? add(xw, b) : xw;
  }

  protected inputBias(): Tensor | null {
    return this.bias ? this.bias.value : null;
  }

  /** Runs the fused sequence kernel: the output sequence [B, T, U] and the final states. */
  protected abstract sequence(xw: Tensor, states: Tensor[], mask: Tensor | undefined): { seq: Tensor; states: Tensor[] };

  /**
   * The layer on `x` [batch, steps, features] from `initialState` (zeros by default): the output and the final
   * states. apply() returns the output; this is how a caller gets the states too.
   */
  callWithState(x: Tensor, initialState?: Tensor[], args: CallArgs = {}): RNNResult {
    if (!this.built) {
      if (this.weightDevice === null) this.weightDevice = x.device;
      this.build([null, ...x.shape.slice(1)]);
    }
    const what = `${this.className.toLowerCase()} '${this.name}'`;
    const inDim = this.kernel!.shape[0];
    if (x.rank !== 3 || x.shape[2] !== inDim) throw new ValueError(`${what}: expected inputs [batch, steps, ${inDim}], got [${x.shape}]`);
    const [B, T] = x.shape;
    if (T < 1) throw new ValueError(`${what}: the input sequence has no steps`);
    let states = initialState;
    if (states === undefined || states === null) {
      states = Array.from({ length: this.stateCount }, () => zeros([B, this.units], { device: x.device }));
    } else if (!Array.isArray(states) || states.length !== this.stateCount || states.some((s) => s.shape.join() !== `${B},${this.units}`)) {
      throw new ValueError(`${what}: initialState must be ${this.stateCount} tensor(s) of shape [${B}, ${this.units}]`);
    }
    const mask = this.recurrentDropout > 0 && args.training ? dropout(ones([B, this.units], { device: x.device }), this.recurrentDropout) : undefined;
    const r = this.sequence(this.inputProjection(x, args), states, mask);
    const output = this.returnSequences ? r.seq : lastStep(r.seq);
    return { output, states: r.states };
  }

  /** apply(x) or apply([x, ...initialState]); with returnState the result is [output, ...final states]. */
  protected call(x: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    return applyRecurrent(this, x, args);
  }

  override computeOutputShape(shapes: Shape | Shape[]): Shape | Shape[] {
    const s = isShapeList(shapes) ? shapes[0] : shapes;
    const out: Shape = this.returnSequences ? [s[0], s[1], this.units] : [s[0], this.units];
    return this.returnState ? [out, ...Array.from({ length: this.stateCount }, (): Shape => [s[0], this.units])] : out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInit.toJSON(),
      recurrentInitializer: this.recurrentInit.toJSON(),
      biasInitializer: this.biasInit.toJSON(),
      kernelRegularizer: this.kernelReg?.toJSON() ?? null,
      recurrentRegularizer: this.recurrentReg?.toJSON() ?? null,
      biasRegularizer: this.biasReg?.toJSON() ?? null,
      kernelConstraint: this.kernelConstraint?.toJSON() ?? null,
      recurrentConstraint: this.recurrentConstraint?.toJSON() ?? null,
      biasConstraint: this.biasConstraint?.toJSON() ?? null,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: false,
      implementation: this.implementation,
    };
  }
}

/** A recurrent layer's call: apply(x) or apply([x, ...initialState]); with returnState [output, ...final states]. */
export function applyRecurrent(
  layer: { returnState: boolean; callWithState(x: Tensor, initialState?: Tensor[], args?: CallArgs): RNNResult },
  x: Tensor | Tensor[],
  args: CallArgs,
): Tensor | Tensor[] {
  const [input, ...initial] = Array.isArray(x) ? x : [x];
  const r = layer.callWithState(input, initial.length > 0 ? initial : undefined, args);
  return layer.returnState ? [r.output, ...r.states] : r.output;
}

/** The last step [B, ...] of a sequence [B, T, ...] (differentiable). */
export function lastStep(seq: Tensor): Tensor {
  const [B, T, ...rest] = seq.shape;
  return reshape(slice(seq, [0, T - 1, ...rest.map(() => 0)], [B, 1, ...rest]), [B, ...rest]);
}

/** h_t = activation(x_t W + h_{t-1} R + b) (tfjs simpleRNN). */
export class SimpleRNN extends RNNBase {
  override readonly className = 'SimpleRNN';
  protected readonly gates = 1;
  readonly stateCount = 1;
  constructor(args: RNNLayerArgs) {
    super(args, 'SimpleRNN', 'simpleRNN');
  }
  protected sequence(xw: Tensor, [h0]: Tensor[], recurrentMask?: Tensor): { seq: Tensor; states: Tensor[] } {
    const seq = simpleRnnSequence(xw, h0, this.recurrentKernel!.value, { activation: this.activation, goBackwards: this.goBackwards, recurrentMask });
    return { seq, states: [lastStep(seq)] };
  }
}

/** LSTM and GRU: a gate activation besides the output activation. */
abstract class GatedRNN extends RNNBase {
  readonly recurrentActivation: RnnActivation;
  constructor(args: GatedRNNLayerArgs, className: string, what: string) {
    super(args, className, what);
    this.recurrentActivation = activationName(what, 'recurrentActivation', args.recurrentActivation, 'hardSigmoid');
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation };
  }
  /** The options of the fused op for this layer. */
  protected seqOptions(recurrentMask: Tensor | undefined): { activation: RnnActivation; recurrentActivation: RnnActivation; goBackwards: boolean; recurrentMask?: Tensor } {
    return { activation: this.activation, recurrentActivation: this.recurrentActivation, goBackwards: this.goBackwards, recurrentMask };
  }
}

/** LSTM (tfjs lstm): kernel [in, 4U] and recurrent_kernel [U, 4U] with gates i, f, c, o; states [h, c]. */
export class LSTM extends GatedRNN {
  override readonly className = 'LSTM';
  protected readonly gates = 4;
  readonly stateCount = 2;
  readonly unitForgetBias: boolean;
  constructor(args: LSTMLayerArgs) {
    super(args, 'LSTM', 'lstm');
    this.unitForgetBias = args.unitForgetBias ?? false;
  }
  protected override biasSpec(): { shape: number[]; init: Initializer | UnitForgetBias } {
    return { shape: [4 * this.units], init: this.unitForgetBias ? new UnitForgetBias(this.biasInit) : this.biasInit };
  }
  protected sequence(xw: Tensor, [h0, c0]: Tensor[], recurrentMask?: Tensor): { seq: Tensor; states: Tensor[] } {
    const r = lstmSequence(xw, h0, c0, this.recurrentKernel!.value, this.seqOptions(recurrentMask));
    return { seq: r.h, states: [lastStep(r.h), lastStep(r.c)] };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}

/** GRU (tfjs gru): gates z, r, h; h = z*h_prev + (1-z)*candidate. resetAfter keeps input and recurrent biases [2, 3U]. */
export class GRU extends GatedRNN {
  override readonly className = 'GRU';
  protected readonly gates = 3;
  readonly stateCount = 1;
  readonly resetAfter: boolean;
  constructor(args: GRULayerArgs) {
    super(args, 'GRU', 'gru');
    this.resetAfter = args.resetAfter ?? false;
  }
  protected override biasSpec(): { shape: number[]; init: Initializer } {
    return { shape: this.resetAfter ? [2, 3 * this.units] : [3 * this.units], init: this.biasInit };
  }
  protected override inputBias(): Tensor | null {
    if (!this.bias || !this.resetAfter) return super.inputBias();
    return reshape(slice(this.bias.value, [0, 0], [1, 3 * this.units]), [3 * this.units]);
  }
  protected sequence(xw: Tensor, [h0]: Tensor[], recurrentMask?: Tensor): { seq: Tensor; states: Tensor[] } {
    const U = this.units;
    const rb = this.bias && this.resetAfter ? reshape(slice(this.bias.value, [1, 0], [1, 3 * U]), [3 * U]) : zeros([3 * U], { device: xw.device });
    const seq = gruSequence(xw, h0, this.recurrentKernel!.value, rb, { ...this.seqOptions(recurrentMask), resetAfter: this.resetAfter });
    return { seq, states: [lastStep(seq)] };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
