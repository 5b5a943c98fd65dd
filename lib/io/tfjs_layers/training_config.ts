// The trainingConfig of the tfjs layers-model format: written by model.save(url, {includeOptimizer: true}) and, when a
// model.json holds one, the loaded model comes back compiled with it (optimizer class and settings, loss, metrics),
// as tfjs's loadLayersModel does. The optimizer's state (tfjs's 'optimizer' weight group) is not restored.
import { ModelFileError } from '../model_files';
import type { LayersModel } from '../../models/layers_model';
import { compileFromConfig } from '../../models/from_config';
import { toCamelCase, toSnakeCase } from './naming';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A loss or metric name, or a list / a name-keyed object of them, respelled with `f`; other values are kept. */
function respell(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => respell(x, f));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, respell(x, f)]));
  return v;
}

/** tfjs's trainingConfig for a compiled model ({loss, metrics, optimizer_config}), or undefined when not compiled. */
export function tfjsTrainingConfig(model: LayersModel): Record<string, unknown> | undefined {
  const cc = model.compileConfig;
  if (!model.optimizer || !cc) return undefined;
  const out: Record<string, unknown> = {
    loss: respell(cc.loss, toSnakeCase),
    metrics: cc.metrics === undefined ? null : respell(cc.metrics, (s) => s),
    optimizer_config: { class_name: model.optimizer.getClassName(), config: model.optimizer.getConfig() },
  };
  if (cc.lossWeights !== undefined) out.loss_weights = cc.lossWeights;
  return out;
}

/** Compiles `model` from a model.json's trainingConfig (tfjs's spelling); a damaged one is a ModelFileError naming `file`. */
export function compileFromTfjsTrainingConfig(file: string, model: LayersModel, tc: unknown): void {
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: trainingConfig: ${msg}`);
  if (tc === undefined || tc === null) return;
  if (!isObject(tc)) throw bad('must be an object');
  for (const k of ['weighted_metrics', 'sample_weight_mode']) if (tc[k] != null) throw bad(`'${k}' is not supported (tfjs refuses it too)`);
  const oc = tc.optimizer_config;
  if (!isObject(oc) || typeof oc.class_name !== 'string' || !isObject(oc.config)) throw bad(`'optimizer_config' must be {class_name, config}`);
  try {
    compileFromConfig(model, {
      optimizer: { className: oc.class_name, config: oc.config },
      loss: respell(tc.loss, toCamelCase),
      metrics: tc.metrics == null ? [] : tc.metrics,
      ...(tc.loss_weights != null ? { lossWeights: tc.loss_weights } : {}),
    });
  } catch (e) {
    throw bad((e as Error).message);
  }
}
