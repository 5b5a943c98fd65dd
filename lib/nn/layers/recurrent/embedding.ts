// Embedding (tfjs embedding): integer token ids [batch, ...] -> rows of an [inputDim, outputDim] table.
import { ValueError } from '../../../errors';
import { cast, gather } from '../../../ops';
import type { Tensor } from '../../../tensor';
import { getInitializer, type Initializer } from '../../initializers';
import { getRegularizer, type Regularizer } from '../../regularizers';
import type { InitializerArg, RegularizerArg } from '../kernel_layer';
import { checkPositiveInt, Layer, type LayerArgs, type LayerVariable, type Shape } from '../layer';

export interface EmbeddingLayerArgs extends LayerArgs {
  /** Vocabulary size: ids are in [0, inputDim). */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Default randomUniform in [-0.05, 0.05] (tfjs). */
  embeddingsInitializer?: InitializerArg;
  embeddingsRegularizer?: RegularizerArg;
  /** Id 0 is padding (tfjs maskZero). Recorded in the config; masks are not propagated to later layers yet. */
  maskZero?: boolean;
  /** Sequence length, an alternative to inputShape: [inputLength]. */
  inputLength?: number | number[];
}

export class Embedding extends Layer {
  override readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength: number | number[] | null;
  embeddings: LayerVariable | null = null;
  private readonly init: Initializer;
  private readonly reg: Regularizer | null;

  constructor(args: EmbeddingLayerArgs) {
    const len = args.inputLength;
    super(len !== undefined && !args.inputShape && !args.batchInputShape ? { ...args, inputShape: Array.isArray(len) ? len : [len] } : args, 'Embedding');
    this.inputDim = checkPositiveInt('embedding', 'inputDim', args.inputDim);
    this.outputDim = checkPositiveInt('embedding', 'outputDim', args.outputDim);
    this.maskZero = args.maskZero ?? false;
    this.inputLength = len ?? null;
    this.init = getInitializer(args.embeddingsInitializer ?? { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } }, 'embedding: embeddingsInitializer');
    this.reg = getRegularizer(args.embeddingsRegularizer, 'embedding: embeddingsRegularizer');
  }

  override build(inputShape: Shape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.init, { fanIn: this.inputDim, fanOut: this.outputDim }, { regularizer: this.reg });
    super.build(inputShape);
  }

  protected call(x: Tensor): Tensor {
    if (x.rank < 1) throw new ValueError(`embedding '${this.name}': expected ids [batch, ...], got a scalar`);
    // tfjs casts float ids to int32; an id outside [0, inputDim) is a ValueError from the gather kernel. The gradient
    // adds each row's dy into the table rows it read (scatter_add).
    return gather(this.embeddings!.value, x.dtype === 'int32' ? x : cast(x, 'int32'));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: this.init.toJSON(),
      embeddingsRegularizer: this.reg?.toJSON() ?? null,
      maskZero: this.maskZero,
      inputLength: this.inputLength,
    };
  }
}
