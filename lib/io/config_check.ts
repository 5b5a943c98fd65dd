// Field checks for the configs a model file carries: unknown layer and optimizer options (compared with what the
// built objects serialize, so the list of accepted keys never drifts from the layers), and a training config's values.
import type { LayersModel } from '../models/layers_model';
import { ModelFileError } from './model_files';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isModelClass = (c: unknown): boolean => c === 'Sequential' || c === 'Model' || c === 'Functional';

/** Largest finite float32: a hyperparameter beyond it becomes Infinity in the kernels. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Options every layer takes without serializing them back (tfjs LayerArgs): tolerated in any file. `dtype` is only
 * tolerated as float32 (tensornode layers compute in float32; Keras 3 writes a policy object, dropped before this).
 */
const LAYER_ARGS = new Set(['inputShape', 'batchInputShape', 'batchSize', 'inputDim']);

/** Keys a format's writer adds that carry nothing for tensornode, each with the values that are harmless to drop. */
export type ExtraKeys = ReadonlyMap<string, (v: unknown) => boolean>;

type Entry = { className: unknown; config: Record<string, unknown> };

/** name -> layer entry of a model config (Sequential: {className, config}; functional: {name, className, config, ...}). */
function layersByName(config: Record<string, unknown>): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const l of Array.isArray(config.layers) ? config.layers : []) {
    if (!isObject(l) || !isObject(l.config)) continue;
    const name = typeof l.name === 'string' ? l.name : l.config.name;
    if (typeof name === 'string') out.set(name, { className: l.className, config: l.config });
  }
  return out;
}

/** Compares one layer's stored options with what the built layer serializes; recurses into wrappers and nested models. */
function compareLayer(file: string, where: string, stored: Entry, built: Entry, extraTolerated: ExtraKeys): void {
  if (isModelClass(stored.className)) return compareModel(file, `${where}/`, stored.config, built.config, extraTolerated);
  const unknown = Object.entries(stored.config).filter(([k, v]) => {
    if (k in built.config || v === null || LAYER_ARGS.has(k)) return false;
    if (k === 'dtype' && v === 'float32') return false;
    // Layers without a layout option compute channels-last, the only layout tfjs and Keras write by default.
    if (k === 'dataFormat' && (v === 'channelsLast' || v === 'channels_last')) return false;
    const tolerated = extraTolerated.get(k);
    return !(tolerated && tolerated(v));
  });
  if (unknown.length > 0) {
    const list = unknown.map(([k, v]) => `'${k}' (${JSON.stringify(v)?.slice(0, 60)})`).join(', ');
    throw new ModelFileError(`${file}: layer '${where}' (${String(stored.className)}) has unknown option(s) ${list}; ${String(stored.className)} takes: ${Object.keys(built.config).join(', ')}`);
  }
  // Wrappers (Bidirectional, TimeDistributed) hold their inner layer as {className, config}.
  const inner = stored.config.layer;
  const builtInner = built.config.layer;
  if (isObject(inner) && isObject(inner.config) && isObject(builtInner) && isObject(builtInner.config)) {
    compareLayer(file, `${where}/${String(inner.config.name ?? 'layer')}`, { className: inner.className, config: inner.config }, { className: builtInner.className, config: builtInner.config }, extraTolerated);
  }
}

function compareModel(file: string, prefix: string, stored: Record<string, unknown>, built: Record<string, unknown>, extraTolerated: ExtraKeys): void {
  const builtLayers = layersByName(built);
  for (const [name, entry] of layersByName(stored)) {
    const b = builtLayers.get(name);
    if (b) compareLayer(file, `${prefix}${name}`, entry, b, extraTolerated);
  }
}

/**
 * Throws ModelFileError naming the layer and the key when a stored layer option is one the layer does not know
 * (it would be ignored silently). Null values, the LayerArgs every layer takes, and `extraTolerated` (keys a format's
 * writer adds, with values that carry nothing for tensornode) pass.
 */
export function checkUnknownLayerOptions(file: string, storedConfig: Record<string, unknown>, model: LayersModel, extraTolerated: ExtraKeys = new Map()): void {
  compareModel(file, '', storedConfig, model.getConfig(), extraTolerated);
}

/** A finite number that float32 kernels can hold, or the error's text. */
function checkHyper(what: string, v: unknown, positive: boolean): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX || (positive && !(v > 0))) {
    return `${what} must be a ${positive ? 'positive ' : ''}finite number within float32 range, got ${JSON.stringify(v)}`;
  }
  return null;
}

/**
 * Checks a stored training config (compile settings) before it is used: known keys only, an optimizer given by name or
 * {className, config} with finite float32-range hyperparameters and a positive learning rate, metrics as a name, a list
 * of names or a per-output dict of them (null stands for a custom metric that was not saved), finite loss weights.
 */
export function checkTrainingConfig(file: string, tc: Record<string, unknown>): void {
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: trainingConfig: ${msg}`);
  for (const k of Object.keys(tc)) if (!['optimizer', 'loss', 'metrics', 'lossWeights'].includes(k)) throw bad(`unknown key '${k}' (expected optimizer, loss, metrics, lossWeights)`);
  const opt = tc.optimizer;
  if (typeof opt !== 'string') {
    if (!isObject(opt) || typeof opt.className !== 'string' || !isObject(opt.config)) throw bad(`'optimizer' must be a name or {className, config}, got ${JSON.stringify(opt)?.slice(0, 80)}`);
    for (const [k, v] of Object.entries(opt.config)) {
      if (k === 'learningRate' && isObject(v)) continue; // a schedule: its constructor checks its own options
      if (typeof v === 'boolean' || v === null) continue;
      const err = checkHyper(`optimizer option '${k}'`, v, k === 'learningRate');
      if (err) throw bad(err);
    }
  }
  const names = (v: unknown): boolean => v === null || typeof v === 'string';
  const list = (v: unknown): boolean => names(v) || (Array.isArray(v) && v.every((x) => names(x) || (Array.isArray(x) && x.every(names))));
  const m = tc.metrics;
  if (m !== undefined && !list(m) && !(isObject(m) && Object.values(m).every(list))) {
    throw bad(`'metrics' must be a metric name, a list of names, or {output: names}, got ${JSON.stringify(m)?.slice(0, 80)}`);
  }
  const w = tc.lossWeights;
  if (w !== undefined) {
    const values = Array.isArray(w) ? w : isObject(w) ? Object.values(w) : [w];
    for (const v of values) {
      const err = checkHyper(`'lossWeights' entry`, v, false);
      if (err || (v as number) < 0) throw bad(err ?? `'lossWeights' entries must be >= 0, got ${v}`);
    }
  }
}

/** After compile: stored optimizer options that the optimizer does not serialize back are unknown. */
export function checkUnknownOptimizerOptions(file: string, tc: Record<string, unknown>, model: LayersModel): void {
  const opt = tc.optimizer;
  if (!isObject(opt) || !isObject(opt.config) || !model.optimizer) return;
  const known = model.optimizer.getConfig();
  for (const [k, v] of Object.entries(opt.config)) {
    if (!(k in known) && v !== null) throw new ModelFileError(`${file}: trainingConfig: the ${opt.className} optimizer has the unknown option '${k}'; it takes: ${Object.keys(known).join(', ')}`);
  }
}
