// Models from their JSON: a Sequential's layer list or a functional graph config (layers with their inbound nodes),
// and compile() settings from a saved training config. Registers the model classes so models nest in configs.
import { ValueError } from '../errors';
import { fromPythonic } from '../io/tfjs_layers/naming';
import type { Layer } from '../nn/layers/layer';
import { InputLayer } from '../nn/layers/input_layer';
import { deserializeLayer, registerLayer } from '../nn/layers/registry';
import type { SymbolicTensor } from '../nn/layers/symbolic';
import type { ModelCompileArgs } from './compile';
import type { GraphLayerConfig, TensorRef } from './container';
import { LayersModel } from './layers_model';
import { Sequential } from './sequential';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkRef(where: string, r: unknown): TensorRef {
  if (!Array.isArray(r) || r.length < 3 || typeof r[0] !== 'string' || !Number.isInteger(r[1]) || !Number.isInteger(r[2])) {
    throw new ValueError(`${where}: expected [layer name, node index, tensor index], got ${JSON.stringify(r)}`);
  }
  return [r[0], r[1], r[2]];
}

/** deserializeLayer, with the layer's position, name and class in the error. */
export function deserializeNamed(i: number, json: { className: string; config: Record<string, unknown> }): Layer {
  try {
    return deserializeLayer(json);
  } catch (e) {
    const name = typeof json?.config?.name === 'string' ? ` '${json.config.name}'` : '';
    throw new ValueError(`layer ${i}${name} (${json?.className}): ${(e as Error).message}`);
  }
}

/**
 * A functional model (fresh weights) from its config: the layers are created, then their calls replayed in an order
 * where each call's inputs exist (a layer may appear before the layers feeding it).
 */
export function functionalFromConfig(config: Record<string, unknown>): LayersModel {
  const where = `model config${typeof config.name === 'string' ? ` '${config.name}'` : ''}`;
  if (!Array.isArray(config.layers) || !Array.isArray(config.inputLayers) || !Array.isArray(config.outputLayers)) {
    throw new ValueError(`${where}: needs 'layers', 'inputLayers' and 'outputLayers' lists`);
  }
  const specs = config.layers as GraphLayerConfig[];
  const layers = new Map<string, Layer>();
  for (const [i, spec] of specs.entries()) {
    if (!isObject(spec) || typeof spec.name !== 'string' || typeof spec.className !== 'string' || !isObject(spec.config) || !Array.isArray(spec.inboundNodes)) {
      throw new ValueError(`${where}: layer ${i} must be {name, className, config, inboundNodes}`);
    }
    if (layers.has(spec.name)) throw new ValueError(`${where}: two layers are named '${spec.name}'`);
    const layer = deserializeNamed(i, { className: spec.className, config: { ...spec.config, name: spec.name } });
    layers.set(spec.name, layer);
  }
  // Outputs of each replayed call: layer name -> node index -> tensors.
  const made = new Map<string, SymbolicTensor[][]>();
  for (const [name, l] of layers) if (l instanceof InputLayer) made.set(name, [[l.placeholder]]);
  const lookup = (r: TensorRef): SymbolicTensor | undefined => made.get(r[0])?.[r[1]]?.[r[2]];
  const queue = specs.flatMap((s) => s.inboundNodes.map((node, k) => ({ spec: s, node, k })));
  let progress = true;
  while (queue.length > 0 && progress) {
    progress = false;
    for (let q = 0; q < queue.length; q++) {
      const { spec, node, k } = queue[q];
      if (!Array.isArray(node) || node.length === 0) throw new ValueError(`${where}: layer '${spec.name}' call ${k} must list its inputs`);
      const refs = node.map((r) => checkRef(`${where}: layer '${spec.name}' call ${k}`, r));
      for (const r of refs) if (!layers.has(r[0])) throw new ValueError(`${where}: layer '${spec.name}' takes input from unknown layer '${r[0]}'`);
      const ins = refs.map(lookup);
      if (ins.some((t) => t === undefined) || (made.get(spec.name)?.length ?? 0) !== k) continue;
      const kwargs = isObject(node[0][3]) ? (node[0][3] as Record<string, unknown>) : {};
      const out = layers.get(spec.name)!.apply(ins.length === 1 ? ins[0]! : (ins as SymbolicTensor[]), { training: typeof kwargs.training === 'boolean' ? kwargs.training : undefined });
      const list = made.get(spec.name) ?? [];
      list.push((Array.isArray(out) ? out : [out]) as SymbolicTensor[]);
      made.set(spec.name, list);
      queue.splice(q--, 1);
      progress = true;
    }
  }
  if (queue.length > 0) throw new ValueError(`${where}: the calls of layer(s) ${[...new Set(queue.map((q) => q.spec.name))].join(', ')} cannot be connected (missing or circular inputs)`);
  const resolve = (refs: unknown[], what: string): SymbolicTensor[] =>
    refs.map((r) => {
      const t = lookup(checkRef(`${where}: ${what}`, r));
      if (!t) throw new ValueError(`${where}: ${what} ${JSON.stringify(r)} names no tensor of the graph`);
      return t;
    });
  return new LayersModel({
    name: typeof config.name === 'string' ? config.name : undefined,
    inputs: resolve(config.inputLayers as unknown[], 'inputLayers'),
    outputs: resolve(config.outputLayers as unknown[], 'outputLayers'),
  });
}

/** Compiles `model` from a saved training config; a custom (unsaved) loss leaves it uncompiled, as Keras does. */
export function compileFromConfig(model: LayersModel, cc: Record<string, unknown> | null): void {
  if (!cc || cc.loss === null || cc.loss === undefined) return;
  if (isObject(cc.loss) && !('name' in cc.loss) && Object.values(cc.loss).some((v) => v === null)) return;
  const keep = (m: unknown): unknown => (Array.isArray(m) ? m.filter((x) => typeof x === 'string') : typeof m === 'string' ? m : []);
  const metrics = isObject(cc.metrics) ? Object.fromEntries(Object.entries(cc.metrics).map(([k, v]) => [k, keep(v)])) : keep(cc.metrics);
  model.compile({
    optimizer: cc.optimizer as ModelCompileArgs['optimizer'],
    loss: cc.loss as ModelCompileArgs['loss'],
    metrics: metrics as ModelCompileArgs['metrics'],
    ...(cc.lossWeights !== undefined ? { lossWeights: cc.lossWeights as ModelCompileArgs['lossWeights'] } : {}),
  });
}

/**
 * The {className, config} of a model topology as tfjs and Keras write it: model.json's modelTopology in snake_case
 * ({class_name, config, keras_version}), the converter's {model_config, training_config}, an object holding
 * `modelTopology`, or the camelCase model.toJSON() of tensornode. Older Keras wrote a Sequential's config as its
 * layer list.
 */
export function topologyOf(what: string, json: unknown): { className: string; config: Record<string, unknown>; compileConfig?: Record<string, unknown> | null } {
  let t = isObject(json) && 'modelTopology' in json ? json.modelTopology : json;
  if (isObject(t) && isObject(t.model_config)) t = t.model_config;
  if (!isObject(t)) throw new ValueError(`${what}: expected a model topology {className, config} (or {class_name, config}), got ${JSON.stringify(t)?.slice(0, 200)}`);
  const ts = 'class_name' in t ? (fromPythonic(t) as Record<string, unknown>) : t;
  const config = Array.isArray(ts.config) ? { layers: ts.config } : ts.config;
  if (typeof ts.className !== 'string' || !isObject(config)) throw new ValueError(`${what}: expected a model topology {className, config}, got ${JSON.stringify(t).slice(0, 200)}`);
  return { className: ts.className, config, compileConfig: isObject(ts.compileConfig) ? ts.compileConfig : null };
}

/**
 * A model (fresh weights) from its topology, synchronously: model.toJSON()'s object (compiled when it has a
 * compileConfig) or a model.json modelTopology (see topologyOf). Weights come from tf.models.modelFromJSON, which
 * is async as in tfjs.
 */
export function modelFromJSON(json: { className: string; config: Record<string, unknown>; compileConfig?: Record<string, unknown> | null } | Record<string, unknown>): LayersModel {
  if (isObject(json) && (json as Record<string, unknown>).weightsManifest != null) throw new ValueError('modelFromJSON: a weightsManifest is loaded by the async tf.models.modelFromJSON');
  const t = topologyOf('modelFromJSON', json);
  if (!['Sequential', 'Model', 'Functional'].includes(t.className)) throw new ValueError(`modelFromJSON: unknown model class '${t.className}' (Sequential, Model or Functional)`);
  const model = t.className === 'Sequential' ? Sequential.fromConfig(t.config) : functionalFromConfig(t.config);
  compileFromConfig(model, t.compileConfig ?? null);
  return model;
}

registerLayer('InputLayer', (c) => new InputLayer(c as never));
registerLayer('Sequential', (c) => Sequential.fromConfig(c));
registerLayer('Model', (c) => functionalFromConfig(c));
registerLayer('Functional', (c) => functionalFromConfig(c));
