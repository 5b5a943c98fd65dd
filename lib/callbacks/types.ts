// The slice of a model that callbacks use (kept here so callbacks do not import the model module).
import type { Tensor } from '../tensor';
import type { Optimizer } from '../optim/optimizer';

/** Epoch or batch logs: 'loss', metric names, 'val_'-prefixed validation values, 'batch'/'size' for batches. */
export type Logs = Record<string, number>;

export interface TrainingModel {
  /** Set to true (from a callback) to stop fit() after the current batch. */
  stopTraining: boolean;
  optimizer: Optimizer | null;
  /** Every weight with its `<layer>/<weight>` name (TensorBoard's histograms are tagged with these names). */
  readonly weights: readonly { readonly name: string; readonly value: Tensor }[];
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
}
