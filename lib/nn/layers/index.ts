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
import type { Layer, LayerArgs } from './layer';
import { InputLayer } from './input_layer';
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
export { InputLayer, input, type InputLayerArgs, type InputConfig } from './input_layer';
export { SymbolicTensor, Node } from './symbolic';
/** tfjs' layers.inputLayer({inputShape | batchInputShape}). */
export const inputLayer = (args: import('./input_layer').InputLayerArgs): InputLayer => new InputLayer(args);

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

// Merge layers: a factory given a list of (symbolic) tensors applies the new layer to it at once, as tfjs' do.
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, type ConcatenateLayerArgs, type DotLayerArgs } from './merge';
import type { Tensor } from '../../tensor';
import type { SymbolicTensor as Sym } from './symbolic';
export { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from './merge';
export type { ConcatenateLayerArgs, DotLayerArgs } from './merge';

type MergeInput = Tensor[] | Sym[];
function mergeFactory<L extends Layer, A extends LayerArgs>(make: (args: A) => L) {
  function f(args?: A): L;
  function f(inputs: Tensor[]): Tensor;
  function f(inputs: Sym[]): Sym;
  function f(arg?: A | MergeInput): L | Tensor | Sym {
    if (Array.isArray(arg)) return make({} as A).apply(arg as Tensor[]) as Tensor | Sym;
    return make((arg ?? {}) as A);
  }
  return f;
}
export const add = mergeFactory((a: LayerArgs) => new Add(a));
export const subtract = mergeFactory((a: LayerArgs) => new Subtract(a));
export const multiply = mergeFactory((a: LayerArgs) => new Multiply(a));
export const average = mergeFactory((a: LayerArgs) => new Average(a));
export const maximum = mergeFactory((a: LayerArgs) => new Maximum(a));
export const minimum = mergeFactory((a: LayerArgs) => new Minimum(a));
export const concatenate = mergeFactory((a: ConcatenateLayerArgs) => new Concatenate(a));
export const dot = (args: DotLayerArgs): Dot => new Dot(args);

import { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU } from './advanced_activations';
import type { ELULayerArgs, LeakyReLULayerArgs, PReLULayerArgs, ReLULayerArgs, SoftmaxLayerArgs, ThresholdedReLULayerArgs } from './advanced_activations';
export { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU } from './advanced_activations';
export type { ELULayerArgs, LeakyReLULayerArgs, PReLULayerArgs, ReLULayerArgs, SoftmaxLayerArgs, ThresholdedReLULayerArgs } from './advanced_activations';
export const reLU = (args: ReLULayerArgs = {}): ReLU => new ReLU(args);
export const leakyReLU = (args: LeakyReLULayerArgs = {}): LeakyReLU => new LeakyReLU(args);
export const elu = (args: ELULayerArgs = {}): ELU => new ELU(args);
export const thresholdedReLU = (args: ThresholdedReLULayerArgs = {}): ThresholdedReLU => new ThresholdedReLU(args);
export const softmax = (args: SoftmaxLayerArgs = {}): Softmax => new Softmax(args);
export const prelu = (args: PReLULayerArgs = {}): PReLU => new PReLU(args);

import { Cropping2D, Masking, Permute, RepeatVector, UpSampling2D, ZeroPadding2D } from './reshaping';
import type { Cropping2DLayerArgs, MaskingLayerArgs, PermuteLayerArgs, RepeatVectorLayerArgs, UpSampling2DLayerArgs, ZeroPadding2DLayerArgs } from './reshaping';
export { Cropping2D, Masking, Permute, RepeatVector, UpSampling2D, ZeroPadding2D } from './reshaping';
export type { Cropping2DLayerArgs, MaskingLayerArgs, PermuteLayerArgs, RepeatVectorLayerArgs, UpSampling2DLayerArgs, ZeroPadding2DLayerArgs } from './reshaping';
export const repeatVector = (args: RepeatVectorLayerArgs): RepeatVector => new RepeatVector(args);
export const permute = (args: PermuteLayerArgs): Permute => new Permute(args);
export const masking = (args: MaskingLayerArgs = {}): Masking => new Masking(args);
export const upSampling2d = (args: UpSampling2DLayerArgs = {}): UpSampling2D => new UpSampling2D(args);
export const zeroPadding2d = (args: ZeroPadding2DLayerArgs = {}): ZeroPadding2D => new ZeroPadding2D(args);
export const cropping2D = (args: Cropping2DLayerArgs): Cropping2D => new Cropping2D(args);
export const cropping2d = cropping2D;

import { GaussianDropout, GaussianNoise, SpatialDropout1D } from './noise';
import type { GaussianDropoutLayerArgs, GaussianNoiseLayerArgs, SpatialDropout1DLayerArgs } from './noise';
export { GaussianDropout, GaussianNoise, SpatialDropout1D } from './noise';
export type { GaussianDropoutLayerArgs, GaussianNoiseLayerArgs, SpatialDropout1DLayerArgs } from './noise';
export const gaussianNoise = (args: GaussianNoiseLayerArgs): GaussianNoise => new GaussianNoise(args);
export const gaussianDropout = (args: GaussianDropoutLayerArgs): GaussianDropout => new GaussianDropout(args);
export const spatialDropout1d = (args: SpatialDropout1DLayerArgs): SpatialDropout1D => new SpatialDropout1D(args);

import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D, type Pooling1DLayerArgs } from './pooling1d';
export { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D, type Pooling1DLayerArgs } from './pooling1d';
export const maxPooling1d = (args: Pooling1DLayerArgs = {}): MaxPooling1D => new MaxPooling1D(args);
export const averagePooling1d = (args: Pooling1DLayerArgs = {}): AveragePooling1D => new AveragePooling1D(args);
export const maxPool1d = maxPooling1d;
export const avgPool1d = averagePooling1d;
export const avgPooling1d = averagePooling1d;
export const globalAveragePooling1d = (args: LayerArgs = {}): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
export const globalMaxPooling1d = (args: LayerArgs = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
export const globalMaxPooling2d = (args: LayerArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const maxPool2d = (args: Pooling2DLayerArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const avgPool2d = (args: Pooling2DLayerArgs = {}): AveragePooling2D => new AveragePooling2D(args);
export const avgPooling2d = avgPool2d;
export const globalMaxPool1d = globalMaxPooling1d;
export const globalMaxPool2d = globalMaxPooling2d;

import { LayerNormalization, type LayerNormalizationLayerArgs } from './layer_normalization';
export { LayerNormalization, type LayerNormalizationLayerArgs } from './layer_normalization';
export const layerNormalization = (args: LayerNormalizationLayerArgs = {}): LayerNormalization => new LayerNormalization(args);

import { Conv1D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D } from './conv_family';
import type { Conv1DLayerArgs, Conv2DTransposeLayerArgs, DepthwiseConv2DLayerArgs, SeparableConv2DLayerArgs } from './conv_family';
export { Conv1D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D } from './conv_family';
export type { Conv1DLayerArgs, Conv2DTransposeLayerArgs, DepthwiseConv2DLayerArgs, SeparableConv2DLayerArgs } from './conv_family';
export const conv1d = (args: Conv1DLayerArgs): Conv1D => new Conv1D(args);
export const conv2dTranspose = (args: Conv2DTransposeLayerArgs): Conv2DTranspose => new Conv2DTranspose(args);
export const depthwiseConv2d = (args: DepthwiseConv2DLayerArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
export const separableConv2d = (args: SeparableConv2DLayerArgs): SeparableConv2D => new SeparableConv2D(args);

import { GRUCell, LSTMCell, RNN, SimpleRNNCell, StackedRNNCells } from './recurrent/cells';
import type { GRUCellLayerArgs, LSTMCellLayerArgs, RNNWrapperLayerArgs, SimpleRNNCellLayerArgs, StackedRNNCellsLayerArgs } from './recurrent/cells';
export const rnn = (args: RNNWrapperLayerArgs): RNN => new RNN(args);
export const simpleRNNCell = (args: SimpleRNNCellLayerArgs): SimpleRNNCell => new SimpleRNNCell(args);
export const lstmCell = (args: LSTMCellLayerArgs): LSTMCell => new LSTMCell(args);
export const gruCell = (args: GRUCellLayerArgs): GRUCell => new GRUCell(args);
export const stackedRNNCells = (args: StackedRNNCellsLayerArgs): StackedRNNCells => new StackedRNNCells(args);

import { AlphaDropout, type AlphaDropoutLayerArgs } from './noise';
export { AlphaDropout, type AlphaDropoutLayerArgs } from './noise';
export const alphaDropout = (args: AlphaDropoutLayerArgs): AlphaDropout => new AlphaDropout(args);

import { CategoryEncoding, CenterCrop, Rescaling, Resizing } from './preprocessing';
import type { CategoryEncodingLayerArgs, CenterCropLayerArgs, RescalingLayerArgs, ResizingLayerArgs } from './preprocessing';
export { CategoryEncoding, CenterCrop, Rescaling, Resizing } from './preprocessing';
export type { CategoryEncodingLayerArgs, CategoryEncodingMode, CenterCropLayerArgs, RescalingLayerArgs, ResizingLayerArgs } from './preprocessing';
export const rescaling = (args: RescalingLayerArgs): Rescaling => new Rescaling(args);
export const resizing = (args: ResizingLayerArgs): Resizing => new Resizing(args);
export const centerCrop = (args: CenterCropLayerArgs): CenterCrop => new CenterCrop(args);
export const categoryEncoding = (args: CategoryEncodingLayerArgs): CategoryEncoding => new CategoryEncoding(args);

import { AveragePooling3D, Conv3D, Conv3DTranspose, MaxPooling3D } from './conv3d_layers';
import type { Conv3DLayerArgs, Conv3DTransposeLayerArgs, Pooling3DLayerArgs } from './conv3d_layers';
export { AveragePooling3D, Conv3D, Conv3DTranspose, MaxPooling3D } from './conv3d_layers';
export type { Conv3DLayerArgs, Conv3DTransposeLayerArgs, Pooling3DLayerArgs } from './conv3d_layers';
export const conv3d = (args: Conv3DLayerArgs): Conv3D => new Conv3D(args);
export const conv3dTranspose = (args: Conv3DTransposeLayerArgs): Conv3DTranspose => new Conv3DTranspose(args);
export const maxPooling3d = (args: Pooling3DLayerArgs = {}): MaxPooling3D => new MaxPooling3D(args);
export const averagePooling3d = (args: Pooling3DLayerArgs = {}): AveragePooling3D => new AveragePooling3D(args);
export const avgPool3d = averagePooling3d;
export const avgPooling3d = averagePooling3d;

import { ConvLSTM2D, ConvLSTM2DCell, type ConvLSTM2DCellLayerArgs, type ConvLSTM2DLayerArgs } from './recurrent/conv_lstm';
export const convLstm2d = (args: ConvLSTM2DLayerArgs): ConvLSTM2D => new ConvLSTM2D(args);
export const convLstm2dCell = (args: ConvLSTM2DCellLayerArgs): ConvLSTM2DCell => new ConvLSTM2DCell(args);

import { RandomWidth, type RandomWidthLayerArgs } from './random_width';
export { RandomWidth, type RandomWidthLayerArgs } from './random_width';
export const randomWidth = (args: RandomWidthLayerArgs): RandomWidth => new RandomWidth(args);
