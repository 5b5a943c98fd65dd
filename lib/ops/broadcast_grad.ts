// sumToShape: folds a gradient of a broadcast result back onto the shape of the input that was broadcast.
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { sameShape } from './validate';

/** Sums `g` over the axes that broadcasting added or stretched so the result has `shape`. Returns g itself when equal. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const reducedShape = g.shape.filter((_, i) => !axes.includes(i));
  const [reduced] = runKernel('reduce_sum', [g], [{ shape: reducedShape, dtype: g.dtype }], { axes });
  if (sameShape(reduced.shape, shape)) return reduced;
  const view = reduced.view(shape);
  reduced.dispose();
  return view;
}
