// Keras 3 config.json -> the model config tensornode builds from: snake_case to camelCase, Keras 3's objects
// ({module, class_name, config, registered_name}) to {className, config}, DTypePolicy objects dropped, InputLayer's
// batch_shape to batchInputShape, and functional inbound_nodes ({args: keras tensors}) to [layer, node, tensor] refs.
import { ModelFileError } from '../model_files';
import { fromPythonic } from '../tfjs_layers/naming';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras tensors in a node's args (possibly nested in lists) -> [layer, node, tensor] refs in order. */
function historyRefs(file: string, v: unknown, out: [string, number, number, Record<string, unknown>][]): void {
  if (Array.isArray(v)) {
    for (const x of v) historyRefs(file, x, out);
    return;
  }
  if (isObject(v) && v.class_name === '__keras_tensor__') {
    const h = isObject(v.config) ? v.config.keras_history : undefined;
    if (!Array.isArray(h) || typeof h[0] !== 'string' || !Number.isInteger(h[1]) || !Number.isInteger(h[2])) {
      throw new ModelFileError(`${file}: config.json: a keras tensor without a valid keras_history`);
    }
    out.push([h[0], h[1], h[2], {}]);
  }
}

/** One Keras 3 layer entry -> {className, config} (plus name and inboundNodes for a functional graph). */
function convertLayer(file: string, entry: unknown, i: number): Record<string, unknown> {
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
    throw new ModelFileError(`${file}: config.json: layer ${i} must be {class_name, config}`);
  }
  const className = entry.class_name;
  let config: Record<string, unknown>;
  if (className === 'Sequential' || className === 'Functional' || className === 'Model') {
    config = convertModelConfig(file, className, entry.config);
  } else {
    const raw = { ...entry.config };
    // Keras 3 wraps dtypes in DTypePolicy objects; tensornode layers take float32.
    if (isObject(raw.dtype)) delete raw.dtype;
    config = fromPythonic(raw) as Record<string, unknown>;
    if (className === 'InputLayer' && Array.isArray(config.batchShape)) {
      config.batchInputShape = config.batchShape;
      delete config.batchShape;
    }
    // Keras 3 serializes nested objects as {module, className, config, registeredName}: keep {className, config}.
    for (const [k, v] of Object.entries(config)) {
      if (isObject(v) && typeof v.className === 'string' && 'config' in v) config[k] = { className: v.className, config: v.config ?? {} };
    }
  }
  const out: Record<string, unknown> = { className: className === 'Functional' ? 'Model' : className, config };
  if (Array.isArray(entry.inbound_nodes)) {
    out.name = typeof entry.name === 'string' ? entry.name : config.name;
    out.inboundNodes = entry.inbound_nodes.map((node) => {
      const refs: [string, number, number, Record<string, unknown>][] = [];
      historyRefs(file, isObject(node) ? node.args : node, refs);
      return refs;
    });
  }
  return out;
}

/** A Keras 3 model config -> tensornode's: Sequential {name, layers} or functional {name, layers, inputLayers, outputLayers}. */
export function convertModelConfig(file: string, className: string, config: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(config.layers)) throw new ModelFileError(`${file}: config.json: the ${className} config has no 'layers' list`);
  const layers = config.layers.map((l, i) => convertLayer(file, l, i));
  const name = typeof config.name === 'string' ? config.name : undefined;
  if (className === 'Sequential') {
    // Keras 3 lists the InputLayer first; a tensornode Sequential takes its shape on the first real layer.
    if (layers[0]?.className === 'InputLayer') {
      const input = layers.shift()!.config as Record<string, unknown>;
      if (layers[0]) (layers[0].config as Record<string, unknown>).batchInputShape = input.batchInputShape;
    }
    return { name, layers };
  }
  const refs = (v: unknown): unknown => (Array.isArray(v) && typeof v[0] === 'string' ? [v] : v);
  return { name, layers, inputLayers: refs(config.input_layers), outputLayers: refs(config.output_layers) };
}

/** Where a layer's variables are in model.weights.h5: its key under layers/, and the keys inside a nested model. */
export interface H5Key {
  key: string;
  inner: Map<string, H5Key> | null;
}

export const snake = (name: string): string =>
  name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * Keras 3 files a model's layers under layers/<snake_case class name>[_<n>], numbered per class in the config's
 * layer order (a Sequential's InputLayer does not count): layer name -> key.
 */
export function h5Keys(className: string, config: Record<string, unknown>): Map<string, H5Key> {
  const out = new Map<string, H5Key>();
  const counts = new Map<string, number>();
  for (const l of Array.isArray(config.layers) ? config.layers : []) {
    if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config)) continue;
    if (className === 'Sequential' && l.class_name === 'InputLayer') continue;
    const base = snake(l.class_name);
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    const name = typeof l.name === 'string' ? l.name : (l.config.name as string);
    const nested = l.class_name === 'Sequential' || l.class_name === 'Functional' || l.class_name === 'Model';
    out.set(name, { key: n === 0 ? base : `${base}_${n}`, inner: nested ? h5Keys(l.class_name, l.config) : null });
  }
  return out;
}
