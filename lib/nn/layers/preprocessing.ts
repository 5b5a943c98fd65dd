// tfjs's preprocessing layers: rescaling, resizing, centerCrop (images, channels-last) and categoryEncoding.
// Each computes what tfjs-layers 4.x computes (its quirks included, each noted where it is kept).
import { ValueError } from '../../errors';
import { add, cast, expandDims, gather, image, max, mul, oneHot, reshape, sum } from '../../ops';
import type { Tensor } from '../../tensor';
import { checkPositiveInt, Layer, type CallArgs, type LayerArgs, type Shape } from './layer';

function finiteNumber(layer: string, option: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${layer}: '${option}' must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function checkImages(what: string, shape: readonly (number | null)[]): void {
  if (shape.length !== 3 && shape.length !== 4) throw new ValueError(`${what}: expected images [batch, height, width, channels] or [height, width, channels], got shape [${shape.map((d) => d ?? 'null')}]`);
}

/** [.., height, width, channels] with height and width replaced. */
function withSize(s: Shape, height: number, width: number): Shape {
  const out = [...s];
  out[s.length - 3] = height;
  out[s.length - 2] = width;
  return out;
}

export interface RescalingLayerArgs extends LayerArgs {
  scale: number;
  offset?: number;
}

/** x * scale + offset, as float32 (e.g. scale 1/255 for pixel values). */
export class Rescaling extends Layer {
  override readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;
  constructor(args: RescalingLayerArgs) {
    super(args, 'Rescaling');
    this.scale = finiteNumber('rescaling', 'scale', args?.scale);
    this.offset = finiteNumber('rescaling', 'offset', args.offset ?? 0);
  }
  protected call(x: Tensor): Tensor {
    const f = x.dtype === 'float32' ? x : cast(x, 'float32');
    return add(mul(f, this.scale), this.offset);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

export interface ResizingLayerArgs extends LayerArgs {
  height: number;
  width: number;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: 'bilinear' | 'nearest';
  /**
   * As tfjs: passed on as the resize's `alignCorners = !cropToAspectRatio` (so the default resizes with aligned
   * corners, and true resizes without cropping).
   */
  cropToAspectRatio?: boolean;
}

/** Resizes images to [height, width]. */
export class Resizing extends Layer {
  override readonly className = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly cropToAspectRatio: boolean;
  constructor(args: ResizingLayerArgs) {
    super(args, 'Resizing');
    this.height = checkPositiveInt('resizing', 'height', args?.height);
    this.width = checkPositiveInt('resizing', 'width', args.width);
    const i = args.interpolation ?? 'bilinear';
    if (i !== 'bilinear' && i !== 'nearest') throw new ValueError(`resizing: 'interpolation' must be 'bilinear' or 'nearest', got ${JSON.stringify(i)}`);
    this.interpolation = i;
    this.cropToAspectRatio = Boolean(args.cropToAspectRatio);
  }
  protected call(x: Tensor): Tensor {
    checkImages(`resizing '${this.name}'`, x.shape);
    const size: [number, number] = [this.height, this.width];
    const resize = this.interpolation === 'bilinear' ? image.resizeBilinear : image.resizeNearestNeighbor;
    return resize(x, size, !this.cropToAspectRatio);
  }
  override computeOutputShape(s: Shape): Shape {
    checkImages(`resizing '${this.name}'`, s);
    return withSize(s, this.height, this.width);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio };
  }
}

export interface CenterCropLayerArgs extends LayerArgs {
  height: number;
  width: number;
}

/**
 * The central [height, width] window of images (tfjs centerCrop): cropped when the image is at least that large in
 * both dims, else resized up (bilinear). The dtype is kept.
 */
export class CenterCrop extends Layer {
  override readonly className = 'CenterCrop';
  readonly height: number;
  readonly width: number;
  constructor(args: CenterCropLayerArgs) {
    super(args, 'CenterCrop');
    this.height = checkPositiveInt('centerCrop', 'height', args?.height);
    this.width = checkPositiveInt('centerCrop', 'width', args.width);
  }
  protected call(x: Tensor): Tensor {
    checkImages(`centerCrop '${this.name}'`, x.shape);
    const r = x.rank;
    const [inH, inW] = [x.shape[r - 3], x.shape[r - 2]];
    const hBuffer = inH === this.height ? 0 : Math.floor((inH - this.height) / 2);
    // tfjs moves a zero width offset to 1 when the widths differ (kept: the same pixels as tfjs).
    const wBuffer = inW === this.width ? 0 : Math.floor((inW - this.width) / 2) || 1;
    if (hBuffer < 0 || wBuffer < 0) {
      const up = image.resizeBilinear(x, [this.height, this.width]);
      return x.dtype === 'float32' ? up : cast(up, x.dtype);
    }
    // tfjs crops with cropAndResize(nearest) over the box [buffer / in, (size + buffer) / in]: the source rows are
    // round(box position) of each output row, which is the plain window except at rounding edges.
    const rows = cropRows(inH, this.height, hBuffer);
    const cols = cropRows(inW, this.width, wBuffer);
    return gather(gather(x, rows, r - 3), cols, r - 2);
  }
  override computeOutputShape(s: Shape): Shape {
    checkImages(`centerCrop '${this.name}'`, s);
    return withSize(s, this.height, this.width);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

/** Source indices of cropAndResize(nearest) along one axis for the box [buffer / n, (size + buffer) / n]. */
function cropRows(n: number, size: number, buffer: number): number[] {
  const y1 = buffer / n;
  const y2 = (size + buffer) / n;
  return Array.from({ length: size }, (_, i) => {
    const pos = size > 1 ? y1 * (n - 1) + (i * (y2 - y1) * (n - 1)) / (size - 1) : 0.5 * (y1 + y2) * (n - 1);
    return Math.min(n - 1, Math.max(0, Math.round(pos)));
  });
}

export type CategoryEncodingMode = 'oneHot' | 'multiHot' | 'count';

export interface CategoryEncodingLayerArgs extends LayerArgs {
  numTokens: number;
  /** 'multiHot' (default): 1 where a token occurs; 'oneHot': one token per example; 'count': occurrences. */
  outputMode?: CategoryEncodingMode;
}

/** Integer tokens in [0, numTokens) -> float32 vectors of numTokens (inputs of rank 0-2, as tfjs). */
export class CategoryEncoding extends Layer {
  override readonly className = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: CategoryEncodingMode;
  constructor(args: CategoryEncodingLayerArgs) {
    super(args, 'CategoryEncoding');
    this.numTokens = checkPositiveInt('categoryEncoding', 'numTokens', args?.numTokens);
    const m = args.outputMode ?? 'multiHot';
    if (m !== 'oneHot' && m !== 'multiHot' && m !== 'count') throw new ValueError(`categoryEncoding: 'outputMode' must be 'oneHot', 'multiHot' or 'count', got ${JSON.stringify(m)}`);
    this.outputMode = m;
  }
  protected call(x: Tensor, _args: CallArgs): Tensor {
    const what = `categoryEncoding '${this.name}'`;
    let ids = x.dtype === 'int32' ? x : cast(x, 'int32');
    if (ids.rank === 0) ids = reshape(ids, [1]);
    if (this.outputMode === 'oneHot' && ids.shape[ids.rank - 1] !== 1) ids = expandDims(ids, -1);
    if (ids.rank > 2) throw new ValueError(`${what}: inputs of shape [${x.shape}] would give an output of rank ${ids.rank} (at most 2 outside outputMode 'int')`);
    // As tfjs, values out of range are an error (this reads the tokens back to the host).
    const values = ids.dataSync();
    for (const v of values) {
      if (!(v >= 0 && v < this.numTokens)) throw new ValueError(`${what}: token ${v} is outside [0, ${this.numTokens}) (numTokens ${this.numTokens})`);
    }
    const hot = oneHot(ids, this.numTokens, 1, 0, 'float32'); // [..., n, numTokens]
    const axis = ids.rank - 1;
    return this.outputMode === 'count' ? sum(hot, axis) : max(hot, axis);
  }
  override computeOutputShape(s: Shape): Shape {
    if (s.length === 0) return [this.numTokens];
    if (this.outputMode === 'oneHot' && s[s.length - 1] !== 1) return [...s, this.numTokens];
    return [...s.slice(0, -1), this.numTokens];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode };
  }
}
