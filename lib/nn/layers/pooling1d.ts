// Pooling over sequences [batch, steps, channels] (maxPooling1d, averagePooling1d, through the 2-D pool kernels on
// [batch, steps, 1, channels]) and global pooling: globalMax/AveragePooling1d, globalMaxPooling2d.
import { ValueError } from '../../errors';
import { avgPool2d, max, maxPool2d, mean, reshape } from '../../ops';
import type { Tensor } from '../../tensor';
import { checkPadding, convLength, type PaddingMode } from './convolutional';
import { checkPositiveInt, Layer, type LayerArgs, type Shape } from './layer';

function checkSequence(layer: string, s: readonly (number | null)[]): void {
  if (s.length !== 3) throw new ValueError(`${layer}: expects inputs [batch, steps, channels], got shape [${s}]`);
}

/** A number or a one-element list (tfjs accepts both for 1-D pooling). */
function single(layer: string, option: string, v: unknown): number {
  return checkPositiveInt(layer, option, Array.isArray(v) && v.length === 1 ? v[0] : v);
}

export interface Pooling1DLayerArgs extends LayerArgs {
  poolSize?: number | [number];
  /** Default: poolSize. */
  strides?: number | [number];
  padding?: PaddingMode;
}

abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: PaddingMode;
  constructor(args: Pooling1DLayerArgs, className: string, private readonly what: string, private readonly pool: typeof maxPool2d) {
    super(args, className);
    this.poolSize = single(what, 'poolSize', args.poolSize ?? 2);
    this.strides = args.strides === undefined || args.strides === null ? this.poolSize : single(what, 'strides', args.strides);
    this.padding = checkPadding(what, args.padding ?? 'valid');
  }
  override computeOutputShape(s: Shape): Shape {
    checkSequence(`${this.what} '${this.name}'`, s);
    return [s[0], convLength(s[1], this.poolSize, this.strides, 1, this.padding), s[2]];
  }
  protected call(x: Tensor): Tensor {
    checkSequence(`${this.what} '${this.name}'`, x.shape);
    const [n, t, c] = x.shape;
    const y = this.pool(reshape(x, [n, t, 1, c]), { kernelSize: [this.poolSize, 1], stride: [this.strides, 1], padding: this.padding });
    return reshape(y, [n, y.shape[1], c]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [this.poolSize], strides: [this.strides], padding: this.padding };
  }
}

export class MaxPooling1D extends Pooling1D {
  override readonly className = 'MaxPooling1D';
  constructor(args: Pooling1DLayerArgs = {}) {
    super(args, 'MaxPooling1D', 'maxPooling1d', maxPool2d);
  }
}

export class AveragePooling1D extends Pooling1D {
  override readonly className = 'AveragePooling1D';
  constructor(args: Pooling1DLayerArgs = {}) {
    super(args, 'AveragePooling1D', 'averagePooling1d', avgPool2d);
  }
}

/** [batch, steps, channels] -> [batch, channels] by the mean or max over steps. */
abstract class GlobalPooling extends Layer {
  constructor(
    args: LayerArgs,
    className: string,
    private readonly what: string,
    private readonly rank: number,
    private readonly reduce: (x: Tensor, axes: number[]) => Tensor,
  ) {
    super(args, className);
  }
  override computeOutputShape(s: Shape): Shape {
    if (s.length !== this.rank) throw new ValueError(`${this.what} '${this.name}': expects inputs of rank ${this.rank}, got shape [${s}]`);
    return [s[0], s[this.rank - 1]];
  }
  protected call(x: Tensor): Tensor {
    this.computeOutputShape(x.shape as Shape);
    return this.reduce(x, this.rank === 3 ? [1] : [1, 2]);
  }
}

export class GlobalAveragePooling1D extends GlobalPooling {
  override readonly className = 'GlobalAveragePooling1D';
  constructor(args: LayerArgs = {}) {
    super(args, 'GlobalAveragePooling1D', 'globalAveragePooling1d', 3, (x, axes) => mean(x, axes));
  }
}

export class GlobalMaxPooling1D extends GlobalPooling {
  override readonly className = 'GlobalMaxPooling1D';
  constructor(args: LayerArgs = {}) {
    super(args, 'GlobalMaxPooling1D', 'globalMaxPooling1d', 3, (x, axes) => max(x, axes));
  }
}

export class GlobalMaxPooling2D extends GlobalPooling {
  override readonly className = 'GlobalMaxPooling2D';
  constructor(args: LayerArgs & { dataFormat?: 'channelsLast' } = {}) {
    super(args, 'GlobalMaxPooling2D', 'globalMaxPooling2d', 4, (x, axes) => max(x, axes));
  }
}
