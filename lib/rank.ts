// tfjs's rank typing: the Rank enum, shape tuples per rank, and the Scalar / Tensor1D ... Tensor6D aliases, so
// TypeScript written against tfjs compiles unchanged. Ranks are checked at run time by the ops, not by the types.
import type { Tensor } from './tensor';
import type { DType } from './dtype';

export enum Rank {
  R0 = 'R0',
  R1 = 'R1',
  R2 = 'R2',
  R3 = 'R3',
  R4 = 'R4',
  R5 = 'R5',
  R6 = 'R6',
}

/** The shape type of each rank, as tfjs declares it. */
export interface ShapeMap {
  R0: number[];
  R1: [number];
  R2: [number, number];
  R3: [number, number, number];
  R4: [number, number, number, number];
  R5: [number, number, number, number, number];
  R6: [number, number, number, number, number, number];
}

export type Scalar = Tensor<Rank.R0>;
export type Tensor1D = Tensor<Rank.R1>;
export type Tensor2D = Tensor<Rank.R2>;
export type Tensor3D = Tensor<Rank.R3>;
export type Tensor4D = Tensor<Rank.R4>;
export type Tensor5D = Tensor<Rank.R5>;
export type Tensor6D = Tensor<Rank.R6>;

/** tfjs's name for a dtype string. */
export type DataType = DType;
/** Tensors keyed by name (model inputs, gradients by variable name). */
export interface NamedTensorMap {
  [name: string]: Tensor;
}
/** Anything tidy/dispose/keep walk: tensors inside arrays and plain objects, and plain values. */
export type TensorContainer = void | Tensor | string | number | boolean | TensorContainerObject | TensorContainerArray | Float32Array | Int32Array | Uint8Array;
export interface TensorContainerObject {
  [x: string]: TensorContainer;
}
export type TensorContainerArray = TensorContainer[];
