// tf.models.modelFromJSON: tfjs's async form. A model topology (model.json's modelTopology, snake_case or camelCase),
// optionally with a weights manifest whose weights are fetched (http(s)) or read (local paths) from pathPrefix.
import { ValueError } from '../errors';
import { tensor } from '../ops/creation';
import { ModelFileError } from '../io/model_files';
import type { LayersModel } from './layers_model';
import { modelFromJSON as modelFromTopology } from './from_config';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** tfjs's ModelAndWeightsConfig. */
export interface ModelAndWeightsConfig {
  modelTopology: unknown;
  weightsManifest?: unknown;
  /** Where the manifest's paths are (a URL or a local directory). */
  pathPrefix?: string;
}

/**
 * A LayersModel from its topology (`{modelTopology, weightsManifest?, pathPrefix?}`, or the topology itself). With a
 * manifest, every weight of the model is loaded from it by name (the manifest is checked before anything is fetched;
 * weights it has beyond the model's are not fetched); without one, the weights are freshly initialized.
 */
export async function modelFromJSON(modelAndWeightsConfig: ModelAndWeightsConfig | Record<string, unknown>, customObjects?: Record<string, unknown>): Promise<LayersModel> {
  const what = 'models.modelFromJSON';
  if (!isObject(modelAndWeightsConfig)) throw new ValueError(`${what}: expected {modelTopology, weightsManifest?} or a model topology, got ${typeof modelAndWeightsConfig}`);
  if (customObjects != null && Object.keys(customObjects).length > 0) {
    throw new ValueError(`${what}: customObjects are not supported; register custom classes with serialization.registerClass`);
  }
  const cfg = ('modelTopology' in modelAndWeightsConfig ? modelAndWeightsConfig : { modelTopology: modelAndWeightsConfig }) as unknown as ModelAndWeightsConfig;
  const model = modelFromTopology({ modelTopology: cfg.modelTopology });
  if (cfg.weightsManifest == null) return model;
  try {
    const { loadWeightValues, urlGroupFetcher } = await import('../io/tfjs_io/weights_loader');
    const names = model.weights.map((w) => w.originalName);
    const values = await loadWeightValues(what, cfg.weightsManifest, cfg.pathPrefix ?? '', names, urlGroupFetcher(what));
    // Every shape and dtype is checked before any weight is overwritten.
    for (const w of model.weights) {
      const { spec } = values.get(w.originalName)!;
      if (spec.shape.join() !== w.shape.join()) throw new ModelFileError(`${what}: weight '${w.originalName}' has shape [${spec.shape}] in the manifest, but the model's is [${w.shape}]`);
      if ((spec.dtype === 'int32') !== (w.dtype === 'int32')) throw new ModelFileError(`${what}: weight '${w.originalName}' is ${spec.dtype} in the manifest, but the model's is ${w.dtype}`);
    }
    for (const w of model.weights) {
      const { spec, values: v } = values.get(w.originalName)!;
      const t = tensor(v, spec.shape, { dtype: w.dtype });
      try {
        w.write(t);
      } finally {
        t.dispose();
      }
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** The `models` namespace, as tf.models. */
export const models = { modelFromJSON };
