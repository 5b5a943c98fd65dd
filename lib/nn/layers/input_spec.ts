// tf.InputSpec: what a layer declares about its inputs (dtype, shape, rank bounds, fixed axis sizes), as tfjs's.
import { ValueError } from '../../errors';
import type { DType } from '../../dtype';
import type { Shape } from './layer';

export interface InputSpecArgs {
  dtype?: DType;
  shape?: Shape;
  ndim?: number;
  maxNDim?: number;
  minNDim?: number;
  /** Axis -> the size it must have. */
  axes?: { [axis: number]: number };
}

export class InputSpec {
  dtype?: DType;
  shape?: Shape;
  /** The rank: `ndim`, else the length of `shape` (as tfjs fills it in). */
  ndim?: number;
  maxNDim?: number;
  minNDim?: number;
  axes: { [axis: number]: number };
  constructor(args: InputSpecArgs) {
    if (args === null || typeof args !== 'object') throw new ValueError(`InputSpec: expected an object of options, got ${args === null ? 'null' : typeof args}`);
    this.dtype = args.dtype;
    this.shape = args.shape;
    this.ndim = args.shape != null ? args.shape.length : args.ndim;
    this.maxNDim = args.maxNDim;
    this.minNDim = args.minNDim;
    this.axes = args.axes ?? {};
  }
}
