// Layers that rearrange values (tfjs names): repeatVector, permute, masking, and on NHWC images upSampling2d
// (nearest), zeroPadding2d and cropping2d. All are compositions of differentiable ops.
import { ValueError } from '../../errors';
import { concat, equal, max, mul, ones, pad, reshape, slice, sub, transpose } from '../../ops';
import type { Tensor } from '../../tensor';
import { checkPositiveInt, Layer, pairOf, type LayerArgs, type Shape } from './layer';
import { checkDataFormat } from './convolutional';

export interface RepeatVectorLayerArgs extends LayerArgs {
  n: number;
}

/** [batch, features] -> [batch, n, features]. */
export class RepeatVector extends Layer {
  override readonly className = 'RepeatVector';
  readonly n: number;
  constructor(args: RepeatVectorLayerArgs) {
    super(args, 'RepeatVector');
    this.n = checkPositiveInt('repeatVector', 'n', args?.n);
  }
  override computeOutputShape(s: Shape): Shape {
    if (s.length !== 2) throw new ValueError(`repeatVector '${this.name}': expects inputs [batch, features], got rank ${s.length}`);
    return [s[0], this.n, s[1]];
  }
  protected call(x: Tensor): Tensor {
    this.computeOutputShape(x.shape as Shape);
    const row = reshape(x, [x.shape[0], 1, x.shape[1]]);
    return concat(Array.from({ length: this.n }, () => row), 1);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

export interface PermuteLayerArgs extends LayerArgs {
  /** A permutation of 1..rank-1 (the batch axis stays first), e.g. [2, 1]. */
  dims: number[];
}

export class Permute extends Layer {
  override readonly className = 'Permute';
  readonly dims: number[];
  constructor(args: PermuteLayerArgs) {
    super(args, 'Permute');
    const d = args?.dims;
    const ok = Array.isArray(d) && d.length > 0 && [...d].sort((a, b) => a - b).every((v, i) => v === i + 1);
    if (!ok) throw new ValueError(`permute: 'dims' must be a permutation of 1..${Array.isArray(d) ? d.length : 'n'}, got ${JSON.stringify(d)}`);
    this.dims = [...d];
  }
  override computeOutputShape(s: Shape): Shape {
    if (s.length !== this.dims.length + 1) throw new ValueError(`permute '${this.name}': dims ${JSON.stringify(this.dims)} need inputs of rank ${this.dims.length + 1}, got ${s.length}`);
    return [s[0], ...this.dims.map((d) => s[d])];
  }
  protected call(x: Tensor): Tensor {
    this.computeOutputShape(x.shape as Shape);
    return transpose(x, [0, ...this.dims]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

export interface MaskingLayerArgs extends LayerArgs {
  maskValue?: number;
}

/**
 * Zeroes the time steps (positions along the second-to-last axis) whose features all equal maskValue. The mask is
 * not passed on to later layers (tensornode layers do not take masks yet); this layer only zeroes the values.
 */
export class Masking extends Layer {
  override readonly className = 'Masking';
  readonly maskValue: number;
  constructor(args: MaskingLayerArgs = {}) {
    super(args, 'Masking');
    this.maskValue = args.maskValue ?? 0;
    if (typeof this.maskValue !== 'number' || Number.isNaN(this.maskValue)) throw new ValueError(`masking: 'maskValue' must be a number, got ${JSON.stringify(args.maskValue)}`);
  }
  protected call(x: Tensor): Tensor {
    const keep = max(sub(1, equal(x, this.maskValue)), -1, true);
    return mul(x, keep);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

function checkImage(layer: string, s: readonly (number | null)[]): void {
  if (s.length !== 4) throw new ValueError(`${layer}: expected NHWC images of rank 4, got shape [${s}]`);
}

export interface UpSampling2DLayerArgs extends LayerArgs {
  /** Repeats of rows and columns (default [2, 2]). */
  size?: number | [number, number];
  dataFormat?: 'channelsLast';
  interpolation?: 'nearest';
}

/** Nearest-neighbour upsampling: each pixel becomes a size[0] x size[1] block. */
export class UpSampling2D extends Layer {
  override readonly className = 'UpSampling2D';
  readonly size: [number, number];
  constructor(args: UpSampling2DLayerArgs = {}) {
    super(args, 'UpSampling2D');
    this.size = pairOf('upSampling2d', 'size', args.size ?? [2, 2]);
    checkDataFormat('upSampling2d', args.dataFormat);
    if (args.interpolation !== undefined && args.interpolation !== 'nearest') {
      throw new ValueError(`upSampling2d: only interpolation 'nearest' is supported, got ${JSON.stringify(args.interpolation)}`);
    }
  }
  override computeOutputShape(s: Shape): Shape {
    checkImage(`upSampling2d '${this.name}'`, s);
    return [s[0], s[1] === null ? null : s[1] * this.size[0], s[2] === null ? null : s[2] * this.size[1], s[3]];
  }
  protected call(x: Tensor): Tensor {
    checkImage(`upSampling2d '${this.name}'`, x.shape);
    const [n, h, w, c] = x.shape;
    const [sh, sw] = this.size;
    // [n, h, 1, w, 1, c] broadcast against ones [1, 1, sh, 1, sw, 1]: the backward pass sums each block.
    const blocks = mul(reshape(x, [n, h, 1, w, 1, c]), ones([1, 1, sh, 1, sw, 1], { device: x.device }));
    return reshape(blocks, [n, h * sh, w * sw, c]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], dataFormat: 'channelsLast', interpolation: 'nearest' };
  }
}

type Margins = [[number, number], [number, number]];

/** A number, [rows, cols] (symmetric) or [[top, bottom], [left, right]] as non-negative integers. */
function margins(layer: string, option: string, v: unknown): Margins {
  const nonNeg = (d: unknown): d is number => Number.isInteger(d) && (d as number) >= 0;
  if (nonNeg(v)) return [[v, v], [v, v]];
  if (Array.isArray(v) && v.length === 2 && v.every(nonNeg)) return [[v[0], v[0]], [v[1], v[1]]];
  if (Array.isArray(v) && v.length === 2 && v.every((p) => Array.isArray(p) && p.length === 2 && p.every(nonNeg))) {
    return [[v[0][0], v[0][1]], [v[1][0], v[1][1]]];
  }
  throw new ValueError(`${layer}: '${option}' must be a number, [rows, cols] or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(v)}`);
}

export interface ZeroPadding2DLayerArgs extends LayerArgs {
  padding?: number | [number, number] | [[number, number], [number, number]];
  dataFormat?: 'channelsLast';
}

export class ZeroPadding2D extends Layer {
  override readonly className = 'ZeroPadding2D';
  readonly padding: Margins;
  constructor(args: ZeroPadding2DLayerArgs = {}) {
    super(args, 'ZeroPadding2D');
    this.padding = margins('zeroPadding2d', 'padding', args.padding ?? 1);
    checkDataFormat('zeroPadding2d', args.dataFormat);
  }
  override computeOutputShape(s: Shape): Shape {
    checkImage(`zeroPadding2d '${this.name}'`, s);
    const [[t, b], [l, r]] = this.padding;
    return [s[0], s[1] === null ? null : s[1] + t + b, s[2] === null ? null : s[2] + l + r, s[3]];
  }
  protected call(x: Tensor): Tensor {
    checkImage(`zeroPadding2d '${this.name}'`, x.shape);
    return pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: 'channelsLast' };
  }
}

export interface Cropping2DLayerArgs extends LayerArgs {
  cropping: number | [number, number] | [[number, number], [number, number]];
  dataFormat?: 'channelsLast';
}

export class Cropping2D extends Layer {
  override readonly className = 'Cropping2D';
  readonly cropping: Margins;
  constructor(args: Cropping2DLayerArgs) {
    super(args, 'Cropping2D');
    this.cropping = margins('cropping2d', 'cropping', args?.cropping);
    checkDataFormat('cropping2d', args.dataFormat);
  }
  override computeOutputShape(s: Shape): Shape {
    checkImage(`cropping2d '${this.name}'`, s);
    const [[t, b], [l, r]] = this.cropping;
    const h = s[1] === null ? null : s[1] - t - b;
    const w = s[2] === null ? null : s[2] - l - r;
    if ((h !== null && h < 1) || (w !== null && w < 1)) throw new ValueError(`cropping2d '${this.name}': cropping ${JSON.stringify(this.cropping)} leaves nothing of [${s}]`);
    return [s[0], h, w, s[3]];
  }
  protected call(x: Tensor): Tensor {
    const [, h, w] = this.computeOutputShape(x.shape as Shape) as number[];
    return slice(x, [0, this.cropping[0][0], this.cropping[1][0], 0], [x.shape[0], h, w, x.shape[3]]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), dataFormat: 'channelsLast' };
  }
}
