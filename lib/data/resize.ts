// Bilinear resize of NHWC images, matching tf.image.resize(method='bilinear') (half-pixel centers) or align_corners=true.

import { ArrayND } from './array';
import { ShapeError, ValueError } from '../errors';

export interface ResizeOptions {
  /** Map corner pixel centers onto each other (TF1 align_corners=True). Default false: half-pixel centers. */
  alignCorners?: boolean;
}

interface Axis {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float32Array;
}

/** For each output coordinate: the two source indices and the weight of the upper one. */
function axisWeights(inSize: number, outSize: number, alignCorners: boolean): Axis {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  const scale = alignCorners ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0) : inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    // Half-pixel: output pixel center o+0.5 maps to input center (o+0.5)*scale, i.e. index (o+0.5)*scale-0.5.
    let src = alignCorners ? o * scale : (o + 0.5) * scale - 0.5;
    src = Math.min(Math.max(src, 0), inSize - 1); // samples outside the image take the edge pixel
    const l = Math.floor(src);
    lo[o] = l;
    hi[o] = Math.min(l + 1, inSize - 1);
    frac[o] = src - l;
  }
  return { lo, hi, frac };
}

/** Resizes float images [N, H, W, C] to [N, height, width, C]. */
export function resizeBilinear(images: ArrayND, size: readonly [number, number], opts: ResizeOptions = {}): ArrayND<Float32Array> {
  if (images.shape.length !== 4) throw new ShapeError(`resizeBilinear: expected NHWC images of rank 4, got shape [${images.shape.join(',')}]`);
  const [n, h, w, c] = images.shape;
  const [oh, ow] = size;
  for (const [k, v] of [['height', oh], ['width', ow]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`resizeBilinear: output ${k} must be a positive integer, got ${v}`);
  }
  if (h < 1 || w < 1) throw new ShapeError(`resizeBilinear: input images are ${h}x${w}`);
  const ya = axisWeights(h, oh, opts.alignCorners ?? false);
  const xa = axisWeights(w, ow, opts.alignCorners ?? false);
  const src = images.data;
  const out = new Float32Array(n * oh * ow * c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    const base = b * h * w * c;
    for (let y = 0; y < oh; y++) {
      const r0 = base + ya.lo[y] * w * c;
      const r1 = base + ya.hi[y] * w * c;
      const fy = ya.frac[y];
      for (let x = 0; x < ow; x++) {
        const c0 = xa.lo[x] * c;
        const c1 = xa.hi[x] * c;
        const fx = xa.frac[x];
        for (let ch = 0; ch < c; ch++) {
          const top = src[r0 + c0 + ch] + (src[r0 + c1 + ch] - src[r0 + c0 + ch]) * fx;
          const bot = src[r1 + c0 + ch] + (src[r1 + c1 + ch] - src[r1 + c0 + ch]) * fx;
          out[o++] = top + (bot - top) * fy;
        }
      }
    }
  }
  return { data: out, shape: [n, oh, ow, c] };
}
