// A layer's conv filter kept in the native [O, kh, kw, C] layout between calls (reordered again only when the filter's storage changed), and the convolutions that take it.
import type { Attrs } from '../native';
import { isGradEnabled, recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { keep, type StorageRef } from '../memory';
import type { Tensor } from '../tensor';
import { conv2dNative, type Conv2dOptions } from './conv';
import type { BiasEpilogue } from './bias_act';
import { conv2dSetup, conv2dTransposeSetup } from './conv_geometry';
import { transpose } from './layout';
import { sameShape } from './validate';

/** [kh, kw, C, O] (or a transposed conv's [kh, kw, outDepth, inDepth]) -> [O, kh, kw, C]. */
const TO_NATIVE = [3, 0, 1, 2];

/**
 * One reordered copy of a filter, owned by a layer (disposed with it). The copy is valid while the filter's storage is
 * the same one and its `version` has not moved: assign(), setWeights() and optimizer steps write in place and bump it.
 * The copy is kept out of every tidy scope (the layer, not the caller, owns it).
 */
export class ReorderedFilter {
  private source: StorageRef | null = null;
  private version = -1;
  private shape: readonly number[] = [];
  private copy: Tensor | null = null;

  /**
   * `filter` in the native layout, or null when this call records a gradient for the filter: then the caller takes
   * the differentiable path (a fresh transpose the gradient flows back through).
   */
  get(filter: Tensor): Tensor | null {
    if (filter.requiresGrad && isGradEnabled()) return null;
    const ref = filter.storage('conv2d');
    if (this.copy !== null && ref === this.source && ref.version === this.version && sameShape(filter.shape, this.shape)) return this.copy;
    this.dispose();
    // Not recorded (the filter needs no gradient here), so the copy belongs to no graph.
    const copy = keep(transpose(filter, TO_NATIVE));
    this.copy = copy;
    this.source = ref;
    this.version = ref.version;
    this.shape = filter.shape;
    return copy;
  }

  /** Releases the copy; a graph still reading it (a recorded conv whose x needs a gradient) releases it after backward. */
  dispose(): void {
    const copy = this.copy;
    this.copy = null;
    this.source = null;
    if (copy === null || copy.isDisposed) return;
    if (copy.graphRefs > 0) copy.graphOwned = true;
    else copy.dispose();
  }
}

/**
 * conv2d (options form, rank-4 x) for a layer: the reordered filter comes from `cache` unless the filter's gradient is
 * recorded; with `epilogue`, the layer's bias and activation run inside the same kernel.
 */
export function conv2dCached(x: Tensor, filter: Tensor, options: Conv2dOptions, cache: ReorderedFilter, epilogue?: BiasEpilogue): Tensor {
  const { attrs, shape } = conv2dSetup(x, filter, options);
  // Null: the differentiable path, whose transpose the layer's op scope releases (or hands to the graph).
  const w = cache.get(filter) ?? transpose(filter, TO_NATIVE);
  return conv2dNative(x, w, shape, attrs, epilogue);
}

/** conv2dTranspose on a rank-4 x for a layer, with the reordered filter from `cache` as conv2dCached. */
export function conv2dTransposeCached(x: Tensor, filter: Tensor, outputShape: number[], strides: number | [number, number], pad: 'valid' | 'same', cache: ReorderedFilter): Tensor {
  const { attrs, shape } = conv2dTransposeSetup(x, filter, outputShape, strides, pad);
  return conv2dTransposeNative(x, cache.get(filter) ?? transpose(filter, TO_NATIVE), shape, attrs);
}

/** The transposed convolution on an [inDepth, kh, kw, outDepth] filter (the native [O, kh, kw, C] of the conv it transposes). */
export function conv2dTransposeNative(x4: Tensor, wInt: Tensor, shape: number[], attrs: Attrs): Tensor {
  const [y] = runKernel('conv2d_backward_input', [x4, wInt], [{ shape, dtype: 'float32' }], attrs);
  // d x = conv2d(dy, W) (the forward convolution); d W = conv2d_backward_filter(dy as the input, x as its gradient)
  return recordOp('conv2dTranspose', [x4, wInt], y, (dy) => [
    x4.requiresGrad ? runKernel('conv2d', [dy, wInt], [{ shape: x4.shape, dtype: 'float32' }], attrs)[0] : null,
    wInt.requiresGrad ? runKernel('conv2d_backward_filter', [dy, x4], [{ shape: wInt.shape, dtype: 'float32' }], attrs)[0] : null,
  ]);
}
