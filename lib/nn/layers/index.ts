// The `layers` namespace: tfjs-style factories (layers.dense({...})) and the layer classes.
import { Activation, Dense, Dropout, Flatten, Reshape, type ActivationLayerArgs, type DenseLayerArgs, type DropoutLayerArgs, type ReshapeLayerArgs } from './core';
import {
  AveragePooling2D,
  Conv2D,
  GlobalAveragePooling2D,
  MaxPooling2D,
  type Conv2DLayerArgs,
  type Pooling2DLayerArgs,
} from './convolutional';
import type { LayerArgs } from './layer';
import { BatchNormalization, type BatchNormalizationLayerArgs } from './normalization';
import { Bidirectional, Embedding, GRU, LSTM, SimpleRNN, TimeDistributed, type BidirectionalLayerArgs, type EmbeddingLayerArgs, type GRULayerArgs, type LSTMLayerArgs, type RNNLayerArgs, type WrapperLayerArgs } from './recurrent';

export { Layer, LayerVariable, type LayerArgs, type CallArgs, type Shape } from './layer';
export { Activation, Dense, Dropout, Flatten, Reshape } from './core';
export type { ActivationLayerArgs, DenseLayerArgs, DropoutLayerArgs, ReshapeLayerArgs } from './core';
export { AveragePooling2D, Conv2D, GlobalAveragePooling2D, MaxPooling2D } from './convolutional';
export type { Conv2DLayerArgs, Pooling2DLayerArgs } from './convolutional';
export { BatchNormalization, type BatchNormalizationLayerArgs } from './normalization';
export { deserializeLayer, registerLayer, registeredLayers } from './registry';
export * from './recurrent';

export const dense = (args: DenseLayerArgs): Dense => new Dense(args);
export const conv2d = (args: Conv2DLayerArgs): Conv2D => new Conv2D(args);
export const maxPooling2d = (args: Pooling2DLayerArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const averagePooling2d = (args: Pooling2DLayerArgs = {}): AveragePooling2D => new AveragePooling2D(args);
export const globalAveragePooling2d = (args: LayerArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const reshape = (args: ReshapeLayerArgs): Reshape => new Reshape(args);
export const dropout = (args: DropoutLayerArgs): Dropout => new Dropout(args);
export const batchNormalization = (args: BatchNormalizationLayerArgs = {}): BatchNormalization => new BatchNormalization(args);
export const activation = (args: ActivationLayerArgs): Activation => new Activation(args);
export const embedding = (args: EmbeddingLayerArgs): Embedding => new Embedding(args);
export const simpleRNN = (args: RNNLayerArgs): SimpleRNN => new SimpleRNN(args);
export const lstm = (args: LSTMLayerArgs): LSTM => new LSTM(args);
export const gru = (args: GRULayerArgs): GRU => new GRU(args);
export const bidirectional = (args: BidirectionalLayerArgs): Bidirectional => new Bidirectional(args);
export const timeDistributed = (args: WrapperLayerArgs): TimeDistributed => new TimeDistributed(args);
