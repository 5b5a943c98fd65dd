// tfjs's convLstm2d and convLstm2dCell: an LSTM whose input and recurrent transforms are 2-D convolutions over
// sequences of NHWC images [batch, steps, height, width, channels]. Weights as tfjs: kernel [kh, kw, channels,
// 4 * filters], recurrent_kernel [kh, kw, filters, 4 * filters], bias [4 * filters], gates i, f, c, o side by side.
// The input convolution runs over all steps at once; the recurrent one (stride 1, 'same', no dilation, as tfjs) step
// by step, composed from differentiable ops.
import { ValueError } from '../../../errors';
import { add, concat, conv2d, dropout, mul, ones, reshape, slice, stack, zeros } from '../../../ops';
import type { Tensor } from '../../../tensor';
import { getActivation, type ActivationIdentifier } from '../../activations';
import { getConstraint, type Constraint, type ConstraintArg } from '../../constraints';
import { getInitializer, type Initializer } from '../../initializers';
import { getRegularizer, type Regularizer } from '../../regularizers';
import { checkDataFormat, checkPadding, convLength, type PaddingMode } from '../convolutional';
import type { InitializerArg, RegularizerArg } from '../kernel_layer';
import { checkPositiveInt, isShapeList, Layer, pairOf, type CallArgs, type LayerArgs, type LayerVariable, type Shape } from '../layer';
import { RNNCell } from './cells';
import { applyRecurrent, rate, UnitForgetBias, type RNNResult } from './rnn';

/** The options of one convolutional LSTM step (tfjs ConvLSTM2DCellArgs). */
export interface ConvLSTM2DCellLayerArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  /** Default 'tanh'. */
  activation?: ActivationIdentifier | null;
  /** Gate activation, default 'hardSigmoid' (tfjs). */
  recurrentActivation?: ActivationIdentifier | null;
  useBias?: boolean;
  /** Default 'glorotNormal'. */
  kernelInitializer?: InitializerArg;
  /** Default 'orthogonal'. */
  recurrentInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  recurrentRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
  recurrentConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
  /** Initialize the forget gate's bias to 1 (default false, as tfjs). */
  unitForgetBias?: boolean;
  /** Fraction of the step inputs dropped in training: one mask per gate, fixed over the steps (tfjs). */
  dropout?: number;
  /** Fraction of h_{t-1} dropped where it enters the recurrent convolution: one mask per gate per sequence. */
  recurrentDropout?: number;
  /** Accepted for compatibility (tfjs's LSTM implementation mode); one implementation serves all. */
  implementation?: number;
}

export interface ConvLSTM2DLayerArgs extends ConvLSTM2DCellLayerArgs {
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  /** Keep states across batches: not supported (must be false). */
  stateful?: boolean;
  /** Unrolling is refused as in tfjs. */
  unroll?: boolean;
}

const GATES = 4;

/** The convolutional LSTM over a whole sequence; apply(x) or apply([x, h0, c0]); with returnState [output, h, c]. */
export class ConvLSTM2D extends Layer {
  protected override readonly acceptsInitialState = true;
  override readonly className = 'ConvLSTM2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly activation: ActivationIdentifier;
  readonly recurrentActivation: ActivationIdentifier;
  readonly useBias: boolean;
  readonly unitForgetBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateCount = 2;
  private readonly implementation: number;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  private readonly act: (x: Tensor) => Tensor;
  private readonly recAct: (x: Tensor) => Tensor;
  private readonly kernelInit: Initializer;
  private readonly recurrentInit: Initializer;
  private readonly biasInit: Initializer;
  private readonly kernelReg: Regularizer | null;
  private readonly recurrentReg: Regularizer | null;
  private readonly biasReg: Regularizer | null;
  private readonly kernelConstraint: Constraint | null;
  private readonly recurrentConstraint: Constraint | null;
  private readonly biasConstraint: Constraint | null;

  constructor(args: ConvLSTM2DLayerArgs) {
    super(args, 'ConvLSTM2D');
    const what = 'convLstm2d';
    this.filters = checkPositiveInt(what, 'filters', args?.filters);
    this.kernelSize = pairOf(what, 'kernelSize', args.kernelSize);
    this.strides = pairOf(what, 'strides', args.strides ?? 1);
    this.padding = checkPadding(what, args.padding ?? 'valid');
    checkDataFormat(what, args.dataFormat);
    this.dilationRate = pairOf(what, 'dilationRate', args.dilationRate ?? 1);
    if (this.strides.some((s) => s !== 1) && this.dilationRate.some((d) => d !== 1)) {
      throw new ValueError(`${what}: either 'strides' or 'dilationRate' must be 1, got strides [${this.strides}] and dilationRate [${this.dilationRate}]`);
    }
    this.activation = args.activation === null ? 'linear' : (args.activation ?? 'tanh');
    this.recurrentActivation = args.recurrentActivation === null ? 'linear' : (args.recurrentActivation ?? 'hardSigmoid');
    this.act = getActivation(this.activation, `${what}: activation`);
    this.recAct = getActivation(this.recurrentActivation, `${what}: recurrentActivation`);
    this.useBias = args.useBias ?? true;
    this.unitForgetBias = args.unitForgetBias ?? false;
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
    if (args.unroll) throw new ValueError(`${what}: unrolling is not possible with convolutional RNNs (as in tfjs)`);
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.implementation = args.implementation ?? 1;
  }

  /** tfjs's units of the LSTM underneath: the filter count. */
  get units(): number {
    return this.filters;
  }

  private checkInput(shape: readonly (number | null)[]): number {
    const c = shape[4];
    if (shape.length !== 5 || typeof c !== 'number') {
      throw new ValueError(`convLstm2d '${this.name}': needs inputs [batch, steps, height, width, channels] with known channels, got [${shape.map((d) => d ?? 'null')}]`);
    }
    return c;
  }

  override build(shapes: Shape | Shape[]): void {
    const s = isShapeList(shapes) ? shapes[0] : shapes;
    const inC = this.checkInput(s);
    const [kh, kw] = this.kernelSize;
    const F = this.filters;
    const field = kh * kw;
    this.kernel = this.addWeight('kernel', [kh, kw, inC, GATES * F], this.kernelInit, { fanIn: field * inC, fanOut: field * GATES * F }, { regularizer: this.kernelReg, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [kh, kw, F, GATES * F], this.recurrentInit, { fanIn: field * F, fanOut: field * GATES * F }, { regularizer: this.recurrentReg, constraint: this.recurrentConstraint });
    if (this.useBias) {
      const init = this.unitForgetBias ? (new UnitForgetBias(this.biasInit) as unknown as Initializer) : this.biasInit;
      this.bias = this.addWeight('bias', [GATES * F], init, { fanIn: field * inC, fanOut: field * GATES * F }, { regularizer: this.biasReg, constraint: this.biasConstraint });
    }
    super.build(s);
  }

  /** [height, width] of the states and outputs for inputs of `h` x `w`. */
  private outputSize(h: number | null, w: number | null): [number | null, number | null] {
    return [
      convLength(h, this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding),
      convLength(w, this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding),
    ];
  }

  /** Gate g's slice [.., g * F, (g + 1) * F) of a tensor with the four gates side by side in its last dim. */
  private gate(t: Tensor, g: number): Tensor {
    const F = this.filters;
    return slice(t, [...t.shape.slice(0, -1).map(() => 0), g * F], [...t.shape.slice(0, -1), F]);
  }

  /** The layer on `x` [batch, steps, height, width, channels] from `initialState` ([h, c], zeros by default). */
  callWithState(x: Tensor, initialState?: Tensor[], args: CallArgs = {}): RNNResult {
    if (!this.built) {
      if (this.weightDevice === null) this.weightDevice = x.device;
      this.build([null, ...x.shape.slice(1)]);
    }
    const what = `convLstm2d '${this.name}'`;
    const inC = this.kernel!.shape[2];
    if (this.checkInput(x.shape) !== inC) throw new ValueError(`${what}: expected inputs with ${inC} channels, got [${x.shape}]`);
    const [B, T, H, W] = x.shape;
    if (T < 1) throw new ValueError(`${what}: the input sequence has no steps`);
    const [oh, ow] = this.outputSize(H, W) as [number, number];
    if (oh < 1 || ow < 1) throw new ValueError(`${what}: a ${this.kernelSize.join('x')} kernel does not fit the ${H}x${W} inputs`);
    const F = this.filters;
    const stateShape = [B, oh, ow, F];
    let states = initialState;
    if (states === undefined || states === null) {
      states = [zeros(stateShape, { device: x.device }), zeros(stateShape, { device: x.device })];
    } else if (!Array.isArray(states) || states.length !== 2 || states.some((s) => s.shape.join() !== stateShape.join())) {
      throw new ValueError(`${what}: initialState must be 2 tensors (h, c) of shape [${stateShape}]`);
    }
    const convOpts = { stride: this.strides, padding: this.padding, dilation: this.dilationRate };
    const kernel = this.kernel!.value;
    const training = args.training === true;

    // The input convolution of every step at once: [B * T, oh, ow, 4F]. With dropout, tfjs draws one mask per gate
    // over a step's input, kept for the whole sequence, so each gate convolves its own masked input.
    let xw: Tensor;
    if (this.dropout > 0 && training) {
      const parts = Array.from({ length: GATES }, (_, g) => {
        const masked = mul(x, dropout(ones([B, 1, H, W, inC], { device: x.device }), this.dropout));
        return conv2d(reshape(masked, [B * T, H, W, inC]), this.gate(kernel, g), convOpts);
      });
      xw = concat(parts, 3);
    } else {
      xw = conv2d(reshape(x, [B * T, H, W, inC]), kernel, convOpts);
    }
    if (this.bias) xw = add(xw, this.bias.value);
    const xs = reshape(xw, [B, T, oh, ow, GATES * F]);

    const rk = this.recurrentKernel!.value;
    const recMasks = this.recurrentDropout > 0 && training ? Array.from({ length: GATES }, () => dropout(ones(stateShape, { device: x.device }), this.recurrentDropout)) : null;
    const recOpts = { stride: 1, padding: 'same' as const };
    let [h, c] = states;
    const outputs: Tensor[] = [];
    for (let k = 0; k < T; k++) {
      const t = this.goBackwards ? T - 1 - k : k;
      const xt = reshape(slice(xs, [0, t, 0, 0, 0], [B, 1, oh, ow, GATES * F]), [B, oh, ow, GATES * F]);
      const hr = recMasks ? concat(recMasks.map((m, g) => conv2d(mul(h, m), this.gate(rk, g), recOpts)), 3) : conv2d(h, rk, recOpts);
      const z = add(xt, hr);
      const i = this.recAct(this.gate(z, 0));
      const f = this.recAct(this.gate(z, 1));
      c = add(mul(f, c), mul(i, this.act(this.gate(z, 2))));
      h = mul(this.recAct(this.gate(z, 3)), this.act(c));
      outputs.push(h);
    }
    // The sequence is in processing order (reversed with goBackwards), as tfjs returns it.
    return { output: this.returnSequences ? stack(outputs, 1) : h, states: [h, c] };
  }

  protected call(x: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    return applyRecurrent(this, x, args);
  }

  override computeOutputShape(shapes: Shape | Shape[]): Shape | Shape[] {
    const s = isShapeList(shapes) ? shapes[0] : shapes;
    this.checkInput(s);
    const step: Shape = [s[0], ...this.outputSize(s[2], s[3]), this.filters];
    const out: Shape = this.returnSequences ? [s[0], s[1], ...step.slice(1)] : step;
    return this.returnState ? [out, [...step], [...step]] : out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
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
      unitForgetBias: this.unitForgetBias,
      implementation: this.implementation,
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: [...this.dilationRate],
      strides: [...this.strides],
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: false,
    };
  }
}

/** One convolutional LSTM step (tfjs convLstm2dCell), for rnn({cell}) over [batch, steps, height, width, channels]. */
export class ConvLSTM2DCell extends RNNCell {
  override readonly className = 'ConvLSTM2DCell';
  readonly stateCount = 2;
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];

  constructor(args: ConvLSTM2DCellLayerArgs) {
    super(args as unknown as Record<string, unknown>, 'ConvLSTM2DCell', (a) => new ConvLSTM2D(a as unknown as ConvLSTM2DLayerArgs));
    const o = this.getConfig();
    this.filters = o.filters as number;
    this.kernelSize = o.kernelSize as [number, number];
    this.strides = o.strides as [number, number];
    this.padding = o.padding as PaddingMode;
    this.dilationRate = o.dilationRate as [number, number];
  }

  override get sequenceRank(): number {
    return 5;
  }

  protected override get stepLayout(): string {
    return '[batch, height, width, channels]';
  }

  /** tfjs's stateSize: [filters, filters] (h and c). */
  override get stateSize(): number[] {
    return [this.filters, this.filters];
  }

  override stepOutputShape(s: Shape): Shape {
    const size = (n: number | null, a: number) => convLength(n, this.kernelSize[a], this.strides[a], this.dilationRate[a], this.padding);
    return [s[0], size(s[2], 0), size(s[3], 1), this.filters];
  }
}
