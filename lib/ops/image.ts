// tfjs's image.resizeBilinear and image.resizeNearestNeighbor (NHWC, alignCorners / halfPixelCenters as tfjs): each
// axis is a gather of source rows (columns) and, for bilinear, a lerp between two gathers; gradients come with them.
import { ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { add, mul, sub } from './elementwise';
import { gather } from './gather';
import { cast, reshape } from './reshape';
import { checkRank, checkTensor } from './validate';
import { imageOps } from './image_ns';
import { nmsOps } from './image_nms';

/** Source/target size ratio of one axis, as tfjs computes it. */
function ratio(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

function checkArgs(op: string, images: Tensor, size: unknown, alignCorners: unknown, halfPixelCenters: unknown): [number, number] {
  checkTensor(op, 'images', images);
  checkRank(op, 'images', images, 3, 4);
  const ok = Array.isArray(size) && size.length === 2 && size.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) throw new ValueError(`${op}: 'size' must be [newHeight, newWidth] of positive integers, got ${JSON.stringify(size)}`);
  if (alignCorners && halfPixelCenters) throw new ValueError(`${op}: 'alignCorners' and 'halfPixelCenters' cannot both be true (as in tfjs)`);
  return size as [number, number];
}

/** Runs f on a batch: rank-3 images get a batch dim for the call. */
function onBatch(images: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  if (images.rank === 4) return f(images);
  const y = f(reshape(images, [1, ...images.shape]));
  return reshape(y, y.shape.slice(1));
}

/** Bilinear resize of images [N, H, W, C] (or [H, W, C]) to size [newHeight, newWidth]; float32 result. */
function resizeBilinear(images: Tensor, size: [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  const op = 'resizeBilinear';
  const [oh, ow] = checkArgs(op, images, size, alignCorners, halfPixelCenters);
  const x = images.dtype === 'float32' ? images : cast(images, 'float32');
  return onBatch(x, (x4) => {
    // Along one axis: out[i] = in[lo] + (in[hi] - in[lo]) * frac, with tfjs's source position for i.
    const along = (t: Tensor, axis: 1 | 2, inSize: number, outSize: number): Tensor => {
      const r = ratio(inSize, outSize, alignCorners);
      const lo: number[] = [], hi: number[] = [], frac = new Float32Array(outSize);
      for (let i = 0; i < outSize; i++) {
        const src = halfPixelCenters ? r * (i + 0.5) - 0.5 : r * i;
        const f = Math.max(0, Math.floor(src));
        lo.push(Math.min(f, inSize - 1));
        hi.push(Math.min(inSize - 1, Math.ceil(src)));
        frac[i] = src - f;
      }
      const shape = axis === 1 ? [1, outSize, 1, 1] : [1, 1, outSize, 1];
      const a = gather(t, lo, axis);
      const b = gather(t, hi, axis);
      return add(a, mul(sub(b, a), tensor(frac, shape, { device: t.device })));
    };
    return along(along(x4, 1, x4.shape[1], oh), 2, x4.shape[2], ow);
  });
}

/** Nearest-neighbour resize of images [N, H, W, C] (or [H, W, C]); keeps the input's dtype. */
function resizeNearestNeighbor(images: Tensor, size: [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  const op = 'resizeNearestNeighbor';
  const [oh, ow] = checkArgs(op, images, size, alignCorners, halfPixelCenters);
  return onBatch(images, (x4) => {
    const pick = (inSize: number, outSize: number): number[] => {
      const r = ratio(inSize, outSize, alignCorners);
      return Array.from({ length: outSize }, (_, i) => {
        const src = halfPixelCenters ? r * (i + 0.5) : r * i;
        const k = Math.min(inSize - 1, alignCorners ? Math.round(src) : Math.floor(src));
        return halfPixelCenters ? Math.max(0, k) : k;
      });
    };
    return gather(gather(x4, pick(x4.shape[1], oh), 1), pick(x4.shape[2], ow), 2);
  });
}

/** tfjs's tf.image namespace: the resize ops here, the others from image_ns.ts and image_nms.ts. */
export const image = { resizeBilinear, resizeNearestNeighbor, ...imageOps, ...nmsOps };
