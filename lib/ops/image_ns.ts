// tfjs's tf.image ops beyond resizing: flipLeftRight, grayscaleToRGB, rgbToGrayscale, threshold, cropAndResize,
// transform, rotateWithOffset. The sampling ops compute, on the host, which source pixels (and weights) each output
// pixel reads, then gather them on the tensor's device: gradients with respect to the image come from the tape.
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { add, greater, lessEqual, mul, sub } from './elementwise';
import { concat } from './layout';
import { gather, reverse, tile } from './gather';
import { sum } from './reduce';
import { cast, reshape } from './reshape';
import { checkDType, checkRank, checkTensor } from './validate';

function checkImage4(op: string, image: Tensor): void {
  checkTensor(op, 'image', image);
  checkRank(op, 'image', image, 4);
}

/** Mirrors each image of a float32 batch [N, H, W, C] left to right. */
function flipLeftRight(image: Tensor): Tensor {
  checkImage4('flipLeftRight', image);
  checkDType('flipLeftRight', 'image', image, 'float32');
  return reverse(image, 2);
}

/** [..., 1] grayscale to [..., 3] RGB (the channel repeated). */
function grayscaleToRGB(image: Tensor): Tensor {
  const op = 'grayscaleToRGB';
  checkTensor(op, 'image', image);
  if (image.rank < 2 || image.shape[image.rank - 1] !== 1) throw new ShapeError(`${op}: 'image' must have rank >= 2 and a last dimension of 1, got shape [${image.shape}]`);
  return tile(image, image.shape.map((_, i) => (i === image.rank - 1 ? 3 : 1)));
}

const LUMA = [0.2989, 0.587, 0.114];

/** [..., 3] RGB to [..., 1] luma (0.2989 R + 0.5870 G + 0.1140 B), computed in float32 and cast back to the input dtype. */
function rgbToGrayscale(image: Tensor): Tensor {
  const op = 'rgbToGrayscale';
  checkTensor(op, 'image', image);
  if (image.rank < 2 || image.shape[image.rank - 1] !== 3) throw new ShapeError(`${op}: 'image' must have rank >= 2 and a last dimension of 3, got shape [${image.shape}]`);
  const f = image.dtype === 'float32' ? image : cast(image, 'float32');
  const gray = sum(mul(f, tensor(LUMA, [3], { device: image.device })), -1, true);
  return image.dtype === 'float32' ? gray : cast(gray, image.dtype);
}

/** Otsu's threshold over a 256-bin histogram, with tfjs's float32 arithmetic (Math.fround after every step). */
function otsu(hist: Float64Array, total: number): number {
  const f = Math.fround;
  let best = -1;
  let bestVar = 0;
  for (let t = 0; t < hist.length - 1; t++) {
    let n1 = 0, n2 = 0, s1 = 0, s2 = 0;
    for (let i = 0; i <= t; i++) { n1 += hist[i]; s1 += hist[i] * i; }
    for (let i = t + 1; i < hist.length; i++) { n2 += hist[i]; s2 += hist[i] * i; }
    const [c1, c2, m1sum, m2sum] = [f(n1), f(n2), f(s1), f(s2)];
    const w1 = f(c1 / total);
    const w2 = f(c2 / total);
    const mean1 = f(m1sum / c1);
    const mean2 = f(m2sum / c2);
    const d = f(mean1 - mean2);
    const v = f(f(f(w1 * w2) * d) * d);
    if (v > bestVar) {
      bestVar = v;
      best = t;
    }
  }
  return best;
}

/**
 * Binarises an image [H, W, 3 or 1] (int32 or float32) to int32 0 / 255: luma > 255 * threshValue (<= when
 * inverted). method 'otsu' picks the threshold from the histogram of the rounded luma instead (the values are read
 * synchronously, as tfjs's histogram does; they must be non-negative).
 */
function threshold(image: Tensor, method: 'binary' | 'otsu' = 'binary', inverted = false, threshValue = 0.5): Tensor {
  const op = 'threshold';
  checkTensor(op, 'image', image);
  checkRank(op, 'image', image, 3);
  if (image.shape[2] !== 3 && image.shape[2] !== 1) throw new ShapeError(`${op}: 'image' must have 3 or 1 channels, got shape [${image.shape}]`);
  checkDType(op, 'image', image, 'int32', 'float32');
  if (method !== 'binary' && method !== 'otsu') throw new ValueError(`${op}: 'method' must be 'binary' or 'otsu', got ${JSON.stringify(method)}`);
  const dev = { device: image.device };
  let gray: Tensor;
  if (image.shape[2] === 3) {
    const f = image.dtype === 'float32' ? image : cast(image, 'float32');
    const ch = (k: number) => mul(gather(f, [k], 2), tensor([LUMA[k]], [], dev));
    gray = add(add(ch(0), ch(1)), ch(2));
  } else {
    gray = image;
  }
  let limit: number;
  if (method === 'otsu') {
    const hist = new Float64Array(256);
    for (const v of gray.dataSync()) {
      const k = Math.round(v);
      if (!(k >= 0)) throw new ValueError(`${op}: the 'otsu' histogram needs non-negative values, got ${v}`);
      if (k < 256) hist[k]++;
    }
    limit = otsu(hist, image.shape[0] * image.shape[1]);
  } else {
    limit = Math.fround(threshValue) * 255;
  }
  const t = tensor([limit], [1], dev);
  const on = inverted ? lessEqual(gray, t) : greater(gray, t);
  return mul(cast(on, 'int32'), tensor([255], [], { dtype: 'int32', ...dev }));
}

/** Reads a small tensor's values on the host (sampling positions depend on them). */
function hostValues(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as ArrayLike<number>);
}

/** image [B, H, W, C] as rows [B*H*W + 1, C]: the extra last row holds `fill` (what out-of-image samples read). */
function rowsWithFill(image: Tensor, fill: number[]): Tensor {
  const [b, h, w, c] = image.shape;
  const f = image.dtype === 'float32' ? image : cast(image, 'float32');
  return concat([reshape(f, [b * h * w, c]), tensor(Float32Array.from(fill), [1, c], { device: image.device })], 0);
}

/** sum_k weight_k * rows[index_k] for P output pixels; index/weight arrays hold P entries per term. */
function blend(rows: Tensor, terms: { index: Int32Array; weight?: Float32Array }[]): Tensor {
  const P = terms[0].index.length;
  const dev = { device: rows.device };
  return terms
    .map(({ index, weight }) => {
      const g = gather(rows, tensor(index, [P], { dtype: 'int32', ...dev }));
      return weight ? mul(g, tensor(weight, [P, 1], dev)) : g;
    })
    .reduce((s, t) => add(s, t));
}

/**
 * Crops boxes [numBoxes, 4] (normalised [y1, x1, y2, x2]) out of image [B, H, W, C] and resizes each to cropSize
 * [h, w] (bilinear or nearest); boxInd [numBoxes] (int32) names each box's image. Samples outside the image read
 * extrapolationValue. float32 result [numBoxes, h, w, C].
 */
function cropAndResize(image: Tensor, boxes: Tensor, boxInd: Tensor, cropSize: [number, number], method: 'bilinear' | 'nearest' = 'bilinear', extrapolationValue = 0): Tensor {
  const op = 'cropAndResize';
  checkImage4(op, image);
  checkTensor(op, 'boxes', boxes);
  checkTensor(op, 'boxInd', boxInd);
  const numBoxes = boxes.shape[0];
  if (boxes.rank !== 2 || boxes.shape[1] !== 4) throw new ShapeError(`${op}: 'boxes' must be [numBoxes, 4], got shape [${boxes.shape}]`);
  if (boxInd.rank !== 1 || boxInd.shape[0] !== numBoxes) throw new ShapeError(`${op}: 'boxInd' must be [${numBoxes}], got shape [${boxInd.shape}]`);
  checkDType(op, 'boxes', boxes, 'float32');
  checkDType(op, 'boxInd', boxInd, 'int32');
  if (!Array.isArray(cropSize) || cropSize.length !== 2 || !cropSize.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ValueError(`${op}: 'cropSize' must be [height, width] of integers >= 1, got ${JSON.stringify(cropSize)}`);
  }
  if (method !== 'bilinear' && method !== 'nearest') throw new ValueError(`${op}: 'method' must be 'bilinear' or 'nearest', got ${JSON.stringify(method)}`);
  const [batch, H, W, C] = image.shape;
  const [ch, cw] = cropSize;
  const bx = hostValues(boxes);
  const bi = hostValues(boxInd);
  bi.forEach((v, i) => {
    if (v < 0 || v >= batch) throw new ValueError(`${op}: boxInd[${i}] = ${v} is outside [0, ${batch})`);
  });
  const P = numBoxes * ch * cw;
  const FILL = batch * H * W;
  const idx = [0, 1, 2, 3].map(() => new Int32Array(P).fill(FILL));
  const xl = new Float32Array(P);
  const yl = new Float32Array(P);
  // The source coordinate of output row/column i: tfjs's (TensorFlow's) rule, with the box centre for a size of 1.
  const coord = (lo: number, hi: number, size: number, n: number, i: number) =>
    n > 1 ? lo * (size - 1) + i * ((hi - lo) * (size - 1) / (n - 1)) : 0.5 * (lo + hi) * (size - 1);
  for (let b = 0; b < numBoxes; b++) {
    const [y1, x1, y2, x2] = bx.subarray(4 * b, 4 * b + 4);
    const base = bi[b] * H * W;
    for (let y = 0; y < ch; y++) {
      const yy = coord(y1, y2, H, ch, y);
      if (yy < 0 || yy > H - 1) continue;
      for (let x = 0; x < cw; x++) {
        const xx = coord(x1, x2, W, cw, x);
        if (xx < 0 || xx > W - 1) continue;
        const p = (b * ch + y) * cw + x;
        if (method === 'nearest') {
          idx[0][p] = base + Math.round(yy) * W + Math.round(xx);
          continue;
        }
        const [t, bo, l, r] = [Math.floor(yy), Math.ceil(yy), Math.floor(xx), Math.ceil(xx)];
        [idx[0][p], idx[1][p], idx[2][p], idx[3][p]] = [base + t * W + l, base + t * W + r, base + bo * W + l, base + bo * W + r];
        xl[p] = xx - l;
        yl[p] = yy - t;
      }
    }
  }
  const rows = rowsWithFill(image, new Array(C).fill(extrapolationValue));
  let out: Tensor;
  if (method === 'nearest') {
    out = blend(rows, [{ index: idx[0] }]);
  } else {
    // top = tl + (tr - tl) xl, bottom likewise, out = top + (bottom - top) yl (tfjs's order of operations).
    const dev = { device: image.device };
    const g = idx.map((i) => gather(rows, tensor(i, [P], { dtype: 'int32', ...dev })));
    const xw = tensor(xl, [P, 1], dev);
    const yw = tensor(yl, [P, 1], dev);
    const top = add(g[0], mul(sub(g[1], g[0]), xw));
    const bottom = add(g[2], mul(sub(g[3], g[2]), xw));
    out = add(top, mul(sub(bottom, top), yw));
  }
  return reshape(out, [numBoxes, ch, cw, C]);
}

type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

/** Maps a source coordinate outside [0, len - 1] back inside by fillMode (TensorFlow's rules); 'constant' keeps it. */
function mapCoord(v: number, len: number, mode: FillMode): number {
  const clamp = (c: number) => Math.min(Math.max(c, 0), len - 1);
  if (mode === 'nearest') return clamp(v);
  if (mode === 'constant') return v;
  if (v >= 0 && v <= len - 1) return clamp(v);
  if (len <= 1) return 0;
  if (mode === 'reflect') {
    const period = 2 * len;
    let c = v;
    if (c < 0) {
      if (c < period) c += period * Math.trunc(-c / period);
      c = c < -len ? c + period : -c - 1;
    } else {
      c -= period * Math.trunc(c / period);
      if (c >= len) c = period - c - 1;
    }
    return clamp(c);
  }
  // wrap
  const c = v < 0 ? v + len * (Math.trunc(-v / (len - 1)) + 1) : v - len * Math.trunc(v / (len - 1));
  return clamp(c);
}

/**
 * Projective transform of images [B, H, W, C] (float32): transforms [B or 1, 8] rows [a0, a1, a2, b0, b1, b2, c0,
 * c1] map each output (x, y) to the input point ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1.
 */
function transform(image: Tensor, transforms: Tensor, interpolation: 'nearest' | 'bilinear' = 'nearest', fillMode: FillMode = 'constant', fillValue = 0, outputShape?: [number, number]): Tensor {
  const op = 'transform';
  checkImage4(op, image);
  checkDType(op, 'image', image, 'float32');
  checkTensor(op, 'transforms', transforms);
  const [batch, H, W, C] = image.shape;
  if (transforms.rank !== 2 || (transforms.shape[0] !== batch && transforms.shape[0] !== 1) || transforms.shape[1] !== 8) {
    throw new ShapeError(`${op}: 'transforms' must be [${batch}, 8] or [1, 8], got shape [${transforms.shape}]`);
  }
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') throw new ValueError(`${op}: 'interpolation' must be 'nearest' or 'bilinear', got ${JSON.stringify(interpolation)}`);
  if (!['constant', 'reflect', 'wrap', 'nearest'].includes(fillMode)) throw new ValueError(`${op}: 'fillMode' must be constant, reflect, wrap or nearest, got ${JSON.stringify(fillMode)}`);
  if (outputShape != null && (!Array.isArray(outputShape) || outputShape.length !== 2 || !outputShape.every((d) => Number.isInteger(d) && d >= 1))) {
    throw new ValueError(`${op}: 'outputShape' must be [height, width] of positive integers, got ${JSON.stringify(outputShape)}`);
  }
  const [oh, ow] = outputShape ?? [H, W];
  const tv = hostValues(transforms);
  const P = batch * oh * ow;
  const FILL = batch * H * W;
  const idx = [0, 1, 2, 3].map(() => new Int32Array(P).fill(FILL));
  const wts = [0, 1, 2, 3].map(() => new Float32Array(P));
  const flat = (b: number, y: number, x: number) => (y >= 0 && y < H && x >= 0 && x < W ? (b * H + y) * W + x : FILL);
  for (let b = 0; b < batch; b++) {
    const t = transforms.shape[0] === 1 ? tv.subarray(0, 8) : tv.subarray(8 * b, 8 * b + 8);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const p = (b * oh + oy) * ow + ox;
        const k = t[6] * ox + t[7] * oy + 1;
        if (k === 0) {
          wts[0][p] = 1; // a point at infinity: the fill value
          continue;
        }
        const x = mapCoord((t[0] * ox + t[1] * oy + t[2]) / k, W, fillMode);
        const y = mapCoord((t[3] * ox + t[4] * oy + t[5]) / k, H, fillMode);
        if (interpolation === 'nearest') {
          idx[0][p] = flat(b, Math.round(y), Math.round(x));
          wts[0][p] = 1;
          continue;
        }
        const [y0, x0] = [Math.floor(y), Math.floor(x)];
        const corners: [number, number, number][] = [
          [y0, x0, (y0 + 1 - y) * (x0 + 1 - x)],
          [y0, x0 + 1, (y0 + 1 - y) * (x - x0)],
          [y0 + 1, x0, (y - y0) * (x0 + 1 - x)],
          [y0 + 1, x0 + 1, (y - y0) * (x - x0)],
        ];
        corners.forEach(([cy, cx, w], i) => {
          idx[i][p] = flat(b, cy, cx);
          wts[i][p] = w;
        });
      }
    }
  }
  const rows = rowsWithFill(image, new Array(C).fill(fillValue));
  const terms = interpolation === 'nearest' ? [{ index: idx[0] }] : idx.map((index, i) => ({ index, weight: wts[i] }));
  // Nearest with a point at infinity: index FILL with weight 1 already reads the fill value.
  return reshape(blend(rows, terms), [batch, oh, ow, C]);
}

/**
 * Rotates each image [B, H, W, C] (float32) by `radians` about `center` (fractions of width and height, one number
 * for both or [x, y]), nearest-neighbour; uncovered pixels get fillValue (a number, or per-channel [r, g, b] with
 * 255 for a 4th channel).
 */
function rotateWithOffset(image: Tensor, radians: number, fillValue: number | [number, number, number] = 0, center: number | [number, number] = 0.5): Tensor {
  const op = 'rotateWithOffset';
  checkImage4(op, image);
  checkDType(op, 'image', image, 'float32');
  if (typeof radians !== 'number') throw new ValueError(`${op}: 'radians' must be a number, got ${radians}`);
  const [batch, H, W, C] = image.shape;
  const cx = W * (typeof center === 'number' ? center : center[0]);
  const cy = H * (typeof center === 'number' ? center : center[1]);
  const fill = Array.from({ length: C }, (_, c) => (typeof fillValue === 'number' ? fillValue : c === 3 ? 255 : fillValue[c]));
  if (fill.some((v) => typeof v !== 'number')) throw new ValueError(`${op}: 'fillValue' must be a number or one value per colour channel, got ${JSON.stringify(fillValue)}`);
  const [sin, cos] = [Math.sin(radians), Math.cos(radians)];
  const P = batch * H * W;
  const index = new Int32Array(P);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const sx = Math.round((x - cx) * cos - (y - cy) * sin + cx);
        const sy = Math.round((x - cx) * sin + (y - cy) * cos + cy);
        index[(b * H + y) * W + x] = sx >= 0 && sx < W && sy >= 0 && sy < H ? (b * H + sy) * W + sx : P;
      }
    }
  }
  return reshape(blend(rowsWithFill(image, fill), [{ index }]), image.shape);
}

/** The new tf.image functions (merged with the resize ops into `image` by image.ts). */
export const imageOps = { flipLeftRight, grayscaleToRGB, rgbToGrayscale, threshold, cropAndResize, transform, rotateWithOffset };

