// tf.loadLayersModel('file://dir/model.json'): reads the tfjs layers-model format (tfjs, tfjs-node and the
// converter's output, sharded and quantized weights included). Validates model.json, the manifest and the shard
// sizes before building, then builds with each weight taken from the file by name (its shape and dtype checked
// before it is allocated; no initializer runs).
import { promises as fsp } from 'fs';
import * as path from 'path';
import { getDefaultDevice, normalizeDevice, type Device } from '../../device';
import type { LayersModel } from '../../models/layers_model';
import { asDType, buildFromFile, NonFiniteReport, type WeightCheckOptions } from '../build_model';
import { checkUnknownLayerOptions, type ExtraKeys } from '../config_check';
import { loadModel, MAX_MODEL_JSON_BYTES, MODEL_FORMAT, ModelFileError } from '../model_files';
import { fromPythonic } from './naming';
import { checkManifest, readWeights } from './weights';
import { filePathOf } from '../file_url';

export interface LoadLayersModelOptions extends WeightCheckOptions {
  /** Where the weights go (default: the default device). */
  device?: Device;
}

/** Keys tfjs and the Keras converter write that tensornode's layers have no use for (nulls pass anyway). */
const TFJS_EXTRA_KEYS: ExtraKeys = new Map([]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** 'file://x/model.json', 'x/model.json' or a directory holding model.json -> the model.json path. */
async function modelJsonPath(url: string): Promise<string> {
  if (typeof url !== 'string' || url === '') throw new ModelFileError(`loadLayersModel: expected a path or file:// URL, got ${JSON.stringify(url)}`);
  if (/^https?:\/\//.test(url)) throw new ModelFileError(`loadLayersModel: ${url}: http(s) loading is not supported yet; download model.json and its weight files and load them with file://`);
  const p = filePathOf(url);
  const st = await fsp.stat(p).catch(() => null);
  if (!st) throw new ModelFileError(`${p}: not found`);
  return st.isDirectory() ? path.join(p, 'model.json') : p;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  const st = await fsp.stat(file).catch(() => null);
  if (!st) throw new ModelFileError(`${file}: not found`);
  if (st.size > MAX_MODEL_JSON_BYTES) throw new ModelFileError(`${file}: ${st.size} bytes exceeds the ${MAX_MODEL_JSON_BYTES}-byte limit for model.json`);
  let json: unknown;
  try {
    json = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (e) {
    throw new ModelFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) throw new ModelFileError(`${file}: not a JSON object`);
  return json;
}

/**
 * Loads a model saved in the tfjs layers-model format (or, when the model.json is tensornode's own format, the
 * same as loadModel). The model comes back uncompiled, as in tfjs.
 */
export async function loadLayersModel(url: string, opts: LoadLayersModelOptions = {}): Promise<LayersModel> {
  const file = await modelJsonPath(url);
  const json = await readJson(file);
  if (json.format === MODEL_FORMAT) return loadModel(path.dirname(file), { device: opts.device, strict: opts.strict });
  const device = opts.device === undefined ? getDefaultDevice() : normalizeDevice(opts.device, 'loadLayersModel: device');
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: ${msg}`);
  if (json.format !== undefined && json.format !== 'layers-model') throw bad(`'format' is ${JSON.stringify(json.format)}; only 'layers-model' (and tensornode's own) can be loaded as a layers model`);
  let topology = json.modelTopology;
  if (!isObject(topology)) throw bad(`'modelTopology' must be an object`);
  // The converter nests the model under model_config (beside training_config).
  if (isObject(topology.model_config)) topology = topology.model_config;
  const ts = fromPythonic(topology) as Record<string, unknown>;
  const className = ts.className;
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional') throw bad(`unknown model class ${JSON.stringify(className)} (supported: Sequential, Model, Functional)`);
  // Older Keras wrote a Sequential's config as the list of layers itself.
  const config = Array.isArray(ts.config) ? { layers: ts.config } : ts.config;
  if (!isObject(config) || !Array.isArray(config.layers) || config.layers.length === 0) throw bad(`'modelTopology.config' must hold a non-empty 'layers' list`);
  if (json.weightsManifest === undefined) throw bad(`no 'weightsManifest'`);
  const groups = checkManifest(file, json.weightsManifest);
  const weights = await readWeights(file, groups);
  const report = new NonFiniteReport(file, opts.strict ?? false);
  const taken = new Set<string>();
  const model = buildFromFile(
    file,
    device,
    { className: className === 'Sequential' ? 'Sequential' : 'Model', config },
    (req) => {
      const w = weights.get(req.name);
      if (!w) throw bad(`the weight '${req.name}' (shape [${req.shape.join(', ')}]) is missing from weightsManifest`);
      if (w.spec.shape.join(',') !== req.shape.join(',')) throw bad(`weight '${req.name}' has shape [${w.spec.shape.join(', ')}] in weightsManifest, but the architecture expects [${req.shape.join(', ')}]`);
      if ((w.spec.dtype === 'int32') !== (req.dtype === 'int32')) throw bad(`weight '${req.name}' is ${w.spec.dtype} in weightsManifest, but the architecture has ${req.dtype}`);
      if (taken.has(req.name)) throw bad(`two layers create the weight '${req.name}' (layer names must be unique)`);
      taken.add(req.name);
      report.check(req.name, w.values);
      return asDType(w.values, req);
    },
  );
  try {
    const unused = [...weights.keys()].filter((name) => !taken.has(name));
    if (unused.length > 0) throw bad(`weightsManifest has '${unused[0]}', which is not a weight of the architecture (its weights: ${model.weights.map((v) => v.name).join(', ')})`);
    // tfjs ignores options it does not know; they would change nothing here either, except silently: refuse them.
    checkUnknownLayerOptions(file, config, model, TFJS_EXTRA_KEYS);
  } catch (e) {
    model.dispose();
    throw e;
  }
  report.emit();
  return model;
}
