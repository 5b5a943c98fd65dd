// The part Dense and Conv2D share: activation, bias switch, kernel/bias initializers and regularizers, their weights and config.
import type { Tensor } from '../../tensor';
import { add } from '../../ops';
import { biasAct, isBiasActivation, type BiasEpilogue } from '../../ops/bias_act';
import { getActivation, type ActivationIdentifier } from '../activations';
import { getInitializer, type Fans, type Initializer, type InitializerConfig, type InitializerIdentifier } from '../initializers';
import { getRegularizer, type Regularizer, type RegularizerConfig, type RegularizerIdentifier } from '../regularizers';
import { getConstraint, type Constraint, type ConstraintArg } from '../constraints';
import { Layer, type CallArgs, type LayerVariable } from './layer';

export type InitializerArg = InitializerIdentifier | Initializer | InitializerConfig;
export type RegularizerArg = RegularizerIdentifier | Regularizer | RegularizerConfig | null;

/** Applies an activation unless the caller asked for logits and it is the final softmax. */
export function applyActivation(name: ActivationIdentifier, fn: (x: Tensor) => Tensor, x: Tensor, args: CallArgs): Tensor {
  if (name === 'linear' || (args.logits && name === 'softmax')) return x;
  return fn(x);
}

/** The options of a layer with a kernel and an optional bias (tfjs names). */
export interface KernelBiasArgs {
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  /** Projection applied to the kernel after each optimizer step (tf.constraints). */
  kernelConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
}

/** Those options resolved; `what` ('dense', 'conv2d') prefixes the error messages. */
export class KernelBiasOptions {
  readonly activation: ActivationIdentifier;
  readonly act: (x: Tensor) => Tensor;
  readonly useBias: boolean;
  readonly kernelInit: Initializer;
  readonly biasInit: Initializer;
  readonly kernelReg: Regularizer | null;
  readonly biasReg: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;

  constructor(what: string, args: KernelBiasArgs) {
    this.activation = args.activation ?? 'linear';
    this.act = getActivation(this.activation, what);
    this.useBias = args.useBias ?? true;
    this.kernelInit = getInitializer(args.kernelInitializer ?? 'glorotUniform', `${what}: kernelInitializer`);
    this.biasInit = getInitializer(args.biasInitializer ?? 'zeros', `${what}: biasInitializer`);
    this.kernelReg = getRegularizer(args.kernelRegularizer, `${what}: kernelRegularizer`);
    this.biasReg = getRegularizer(args.biasRegularizer, `${what}: biasRegularizer`);
    this.kernelConstraint = getConstraint(args.kernelConstraint, `${what}: kernelConstraint`);
    this.biasConstraint = getConstraint(args.biasConstraint, `${what}: biasConstraint`);
  }

  /** The config entries, in the order Dense and Conv2D have always written them (last in their configs). */
  toConfig(): Record<string, unknown> {
    return {
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInit.toJSON(),
      biasInitializer: this.biasInit.toJSON(),
      kernelRegularizer: this.kernelReg?.toJSON() ?? null,
      biasRegularizer: this.biasReg?.toJSON() ?? null,
      kernelConstraint: this.kernelConstraint?.toJSON() ?? null,
      biasConstraint: this.biasConstraint?.toJSON() ?? null,
    };
  }
}

/**
 * A layer computing activation(f(x, kernel) + bias). The subclass resolves `kb` in its constructor after its own
 * checks (so a bad argument is reported in the same order as before this base existed).
 */
export abstract class KernelBiasLayer extends Layer {
  protected abstract readonly kb: KernelBiasOptions;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  get activation(): ActivationIdentifier {
    return this.kb.activation;
  }
  get useBias(): boolean {
    return this.kb.useBias;
  }
  override get activationName(): string {
    return this.kb.activation;
  }

  /** Creates the kernel and (with useBias) a bias of `[biasSize]`; both see the same fans. */
  protected addKernelAndBias(kernelShape: number[], biasSize: number, fans: Fans): void {
    this.kernel = this.addWeight('kernel', kernelShape, this.kb.kernelInit, fans, { regularizer: this.kb.kernelReg, constraint: this.kb.kernelConstraint });
    if (this.kb.useBias) this.bias = this.addWeight('bias', [biasSize], this.kb.biasInit, fans, { regularizer: this.kb.biasReg, constraint: this.kb.biasConstraint });
  }

  /** The bias and activation when a kernel can apply them itself (conv2d's fused epilogue); undefined otherwise. */
  protected fusedEpilogue(): BiasEpilogue | undefined {
    const b = this.bias?.value;
    const activation = this.kb.activation;
    return b && b.dtype === 'float32' && b.rank === 1 && isBiasActivation(activation) ? { bias: b, activation } : undefined;
  }

  /**
   * Adds the bias (if any) to `y` and applies the activation: in one kernel each way (biasAct) when the bias runs
   * along y's last dim (every layer here computes channels-last) and the activation is one the kernel applies.
   */
  protected biasAndActivation(y: Tensor, args: CallArgs): Tensor {
    const fused = this.fusedEpilogue();
    if (fused && y.dtype === 'float32' && y.rank > 0 && y.shape[y.rank - 1] === fused.bias.shape[0]) {
      return biasAct(y, fused.bias, fused.activation);
    }
    const z = this.bias ? add(y, this.bias.value) : y;
    return applyActivation(this.kb.activation, this.kb.act, z, args);
  }
}
