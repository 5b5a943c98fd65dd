// className -> layer factory, so a model's JSON config (model.json) recreates its layers.
import { ValueError } from '../../errors';
import { Activation, Dense, Dropout, Flatten, Reshape } from './core';
import { AveragePooling2D, Conv2D, GlobalAveragePooling2D, MaxPooling2D } from './convolutional';
import type { Layer } from './layer';
import { BatchNormalization } from './normalization';
import { Bidirectional, Embedding, GRU, LSTM, SimpleRNN, TimeDistributed } from './recurrent';

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
];
for (const [name, f] of builtins) registerLayer(name, f);
