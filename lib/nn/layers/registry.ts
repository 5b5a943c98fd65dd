// className -> layer factory, so a model's JSON config (model.json) recreates its layers.
import { ValueError } from '../../errors';
import { Activation, Dense, Dropout, Flatten, Reshape } from './core';
import { AveragePooling2D, Conv2D, GlobalAveragePooling2D, MaxPooling2D } from './convolutional';
import type { Layer } from './layer';
import { BatchNormalization } from './normalization';
import { Bidirectional, Embedding, GRU, LSTM, SimpleRNN, TimeDistributed } from './recurrent';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from './merge';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU } from './advanced_activations';
import { Cropping2D, Masking, Permute, RepeatVector, UpSampling2D, ZeroPadding2D } from './reshaping';
import { GaussianDropout, GaussianNoise, SpatialDropout1D } from './noise';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D } from './pooling1d';
import { LayerNormalization } from './layer_normalization';
import { Conv1D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D } from './conv_family';
import { GRUCell, LSTMCell, RNN, SimpleRNNCell, StackedRNNCells } from './recurrent/cells';
import { AlphaDropout } from './noise';
import { CategoryEncoding, CenterCrop, Rescaling, Resizing } from './preprocessing';
import { AveragePooling3D, Conv3D, Conv3DTranspose, MaxPooling3D } from './conv3d_layers';
import { ConvLSTM2D, ConvLSTM2DCell } from './recurrent/conv_lstm';
import { RandomWidth } from './random_width';

type Factory = (config: Record<string, unknown>) => Layer;

const registry = new Map<string, Factory>();

/** Registers a layer class for deserialization (custom layers too); the name must be unique. */
export function registerLayer(className: string, factory: Factory): void {
  registry.set(className, factory);
}

/** Recreates a layer (fresh weights) from `{className, config}` as produced by layer.toJSON(). */
export function deserializeLayer(json: { className: string; config: Record<string, unknown> }): Layer {
  const f = json && registry.get(json.className);
  if (!f) throw new ValueError(`deserializeLayer: unknown layer class ${JSON.stringify(json?.className)} (registered: ${[...registry.keys()].join(', ')})`);
  // Serialized nulls mean "not set".
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json.config ?? {})) if (v !== null) config[k] = v;
  return f(config);
}

export function registeredLayers(): string[] {
  return [...registry.keys()];
}

const builtins: [string, Factory][] = [
  ['Dense', (c) => new Dense(c as never)],
  ['Flatten', (c) => new Flatten(c as never)],
  ['Reshape', (c) => new Reshape(c as never)],
  ['Activation', (c) => new Activation(c as never)],
  ['Dropout', (c) => new Dropout(c as never)],
  ['Conv2D', (c) => new Conv2D(c as never)],
  ['MaxPooling2D', (c) => new MaxPooling2D(c as never)],
  ['AveragePooling2D', (c) => new AveragePooling2D(c as never)],
  ['GlobalAveragePooling2D', (c) => new GlobalAveragePooling2D(c as never)],
  ['BatchNormalization', (c) => new BatchNormalization(c as never)],
  ['Embedding', (c) => new Embedding(c as never)],
  ['SimpleRNN', (c) => new SimpleRNN(c as never)],
  ['LSTM', (c) => new LSTM(c as never)],
  ['GRU', (c) => new GRU(c as never)],
  ['Bidirectional', (c) => new Bidirectional({ ...(c as object), layer: deserializeLayer(c.layer as never) } as never)],
  ['TimeDistributed', (c) => new TimeDistributed({ ...(c as object), layer: deserializeLayer(c.layer as never) } as never)],
  ['Add', (c) => new Add(c as never)],
  ['Subtract', (c) => new Subtract(c as never)],
  ['Multiply', (c) => new Multiply(c as never)],
  ['Average', (c) => new Average(c as never)],
  ['Maximum', (c) => new Maximum(c as never)],
  ['Minimum', (c) => new Minimum(c as never)],
  ['Concatenate', (c) => new Concatenate(c as never)],
  ['Dot', (c) => new Dot(c as never)],
  ['ReLU', (c) => new ReLU(c as never)],
  ['LeakyReLU', (c) => new LeakyReLU(c as never)],
  ['ELU', (c) => new ELU(c as never)],
  ['ThresholdedReLU', (c) => new ThresholdedReLU(c as never)],
  ['Softmax', (c) => new Softmax(c as never)],
  ['PReLU', (c) => new PReLU(c as never)],
  ['RepeatVector', (c) => new RepeatVector(c as never)],
  ['Permute', (c) => new Permute(c as never)],
  ['Masking', (c) => new Masking(c as never)],
  ['UpSampling2D', (c) => new UpSampling2D(c as never)],
  ['ZeroPadding2D', (c) => new ZeroPadding2D(c as never)],
  ['Cropping2D', (c) => new Cropping2D(c as never)],
  ['GaussianNoise', (c) => new GaussianNoise(c as never)],
  ['GaussianDropout', (c) => new GaussianDropout(c as never)],
  ['SpatialDropout1D', (c) => new SpatialDropout1D(c as never)],
  ['MaxPooling1D', (c) => new MaxPooling1D(c as never)],
  ['AveragePooling1D', (c) => new AveragePooling1D(c as never)],
  ['GlobalAveragePooling1D', (c) => new GlobalAveragePooling1D(c as never)],
  ['GlobalMaxPooling1D', (c) => new GlobalMaxPooling1D(c as never)],
  ['GlobalMaxPooling2D', (c) => new GlobalMaxPooling2D(c as never)],
  ['LayerNormalization', (c) => new LayerNormalization(c as never)],
  ['Conv1D', (c) => new Conv1D(c as never)],
  ['Conv2DTranspose', (c) => new Conv2DTranspose(c as never)],
  ['DepthwiseConv2D', (c) => new DepthwiseConv2D(c as never)],
  ['SeparableConv2D', (c) => new SeparableConv2D(c as never)],
  ['SimpleRNNCell', (c) => new SimpleRNNCell(c as never)],
  ['LSTMCell', (c) => new LSTMCell(c as never)],
  ['GRUCell', (c) => new GRUCell(c as never)],
  ['StackedRNNCells', (c) => new StackedRNNCells({ ...(c as object), cells: ((c.cells as never[]) ?? []).map((x) => deserializeLayer(x)) } as never)],
  ['RNN', (c) => new RNN({ ...(c as object), cell: c.cell === undefined ? undefined : deserializeLayer(c.cell as never) } as never)],
  ['AlphaDropout', (c) => new AlphaDropout(c as never)],
  ['Rescaling', (c) => new Rescaling(c as never)],
  ['Resizing', (c) => new Resizing(c as never)],
  ['CenterCrop', (c) => new CenterCrop(c as never)],
  ['CategoryEncoding', (c) => new CategoryEncoding(c as never)],
  ['Conv3D', (c) => new Conv3D(c as never)],
  ['Conv3DTranspose', (c) => new Conv3DTranspose(c as never)],
  ['MaxPooling3D', (c) => new MaxPooling3D(c as never)],
  ['AveragePooling3D', (c) => new AveragePooling3D(c as never)],
  ['ConvLSTM2D', (c) => new ConvLSTM2D(c as never)],
  ['ConvLSTM2DCell', (c) => new ConvLSTM2DCell(c as never)],
  ['RandomWidth', (c) => new RandomWidth(c as never)],
];
for (const [name, f] of builtins) registerLayer(name, f);
