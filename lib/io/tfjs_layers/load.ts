// tf.loadLayersModel('file://dir/model.json'): reads the tfjs layers-model format (tfjs, tfjs-node and the
// converter's output, sharded and quantized weights included). Validates model.json, the manifest and the shard
// sizes before building, then builds with each weight taken from the file by name (its shape and dtype checked
// before it is allocated; no initializer runs).
import { promises as fsp } from 'fs';
import * as path from 'path';
import { ValueError } from '../../errors';
import { getDefaultDevice, normalizeDevice, type Device } from '../../device';
import type { LayersModel } from '../../models/layers_model';
import { asDType, buildFromFile, NonFiniteReport, type WeightCheckOptions } from '../build_model';
import { checkUnknownLayerOptions, type ExtraKeys } from '../config_check';
import { loadModel, MAX_MODEL_JSON_BYTES, MODEL_FORMAT, ModelFileError } from '../model_files';
import { fromPythonic } from './naming';
import { byteSize, checkManifest, decodeAll, readGroupBytes, readWeights, type WeightSpec } from './weights';
import { filePathOf } from '../file_url';
import { compileFromTfjsTrainingConfig } from './training_config';

export interface LoadLayersModelOptions extends WeightCheckOptions {
  /** Where the weights go (default: the default device). */
  device?: Device;
  /** tfjs LoadOptions read by the http(s) handler (tf.io.http): a fetch to use instead of the global one. */
  fetchFunc?: (url: string, init?: unknown, options?: unknown) => Promise<unknown>;
  /** fetch's init for every request (no body). */
  requestInit?: Record<string, unknown>;
  /** Where the weight files are (default: next to model.json). */
  weightPathPrefix?: string;
  /** Maps a weights-manifest path to the URL to fetch. */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /** Called with the fraction of the download done. */
  onProgress?: (fraction: number) => void;
  /** Fetch and decode the weights as a stream (each weight decoded as its bytes arrive). */
  streamWeights?: boolean;
}

/** Keys tfjs and the Keras converter write that tensornode's layers have no use for (nulls pass anyway). */
const TFJS_EXTRA_KEYS: ExtraKeys = new Map([]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** 'file://x/model.json', 'x/model.json' or a directory holding model.json -> the model.json path. */
async function modelJsonPath(url: string): Promise<string> {
  if (typeof url !== 'string' || url === '') throw new ModelFileError(`loadLayersModel: expected a path or file:// URL, got ${JSON.stringify(url)}`);
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

/** tfjs's IOHandler as loadLayersModel takes it: anything with load() giving model artifacts. */
export interface LoadHandler {
  load(): Promise<{ modelTopology?: unknown; weightSpecs?: unknown; weightData?: ArrayBuffer | ArrayBuffer[]; format?: string }>;
}

export const isLoadHandler = (v: unknown): v is LoadHandler => isObject(v) && typeof v.load === 'function';

/**
 * Loads a model saved in the tfjs layers-model format (or, when the model.json is tensornode's own format, the
 * same as loadModel), from a path or file:// URL or from an IOHandler (tf.io.fromMemory, tf.io.fileSystem, ...).
 * As in tfjs, the model comes back compiled when the file holds a trainingConfig (saved with includeOptimizer), else
 * uncompiled; the optimizer's saved state is not restored (its moments start from zero).
 */
export async function loadLayersModel(source: string | LoadHandler, opts: LoadLayersModelOptions = {}): Promise<LayersModel> {
  // Loaded on use: tf.io's handlers read model files through this module.
  const io = await import('../tfjs_io');
  let src: unknown = source;
  if (typeof source === 'string') {
    // tfjs: the registered load routers pick the handler (http(s):// and file:// built in, others by
    // tf.io.registerLoadRouter); a path with no scheme that no router takes is read from the file system.
    const handlers = io.getLoadHandlers(source, opts);
    if (handlers.length > 1) throw new ValueError(`loadLayersModel: found ${handlers.length} load handlers for URL '${source}'`);
    if (handlers.length === 1) src = handlers[0];
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) throw new ModelFileError(`loadLayersModel: no load handler for URL '${source}' (register one with tf.io.registerLoadRouter)`);
  }
  // The file system handler reads the directory directly: each weight file is checked before it is read.
  if (src instanceof io.NodeFileSystem) src = src.path;
  if (isObject(src) && !isLoadHandler(src)) throw new ValueError('loadLayersModel: the IOHandler has no load method');
  if (isLoadHandler(src)) {
    const where = 'loadLayersModel(IOHandler)';
    const device = opts.device === undefined ? getDefaultDevice() : normalizeDevice(opts.device, 'loadLayersModel: device');
    const a = await src.load();
    if (!isObject(a)) throw new ModelFileError(`${where}: load() must resolve to model artifacts {modelTopology, weightSpecs, weightData}, got ${typeof a}`);
    if (a.format !== undefined && a.format !== 'layers-model') throw new ModelFileError(`${where}: 'format' is ${JSON.stringify(a.format)}; only 'layers-model' can be loaded as a layers model`);
    const [spec] = checkManifest(where, [{ paths: ['memory'], weights: a.weightSpecs ?? [] }]);
    if (a.weightData === undefined && typeof (a as { getWeightStream?: unknown }).getWeightStream === 'function') {
      // A streamed load (http's streamWeights): each weight decoded as its bytes arrive.
      const stream = (a as unknown as { getWeightStream: () => Parameters<typeof io.decodeWeightValuesStream>[1] }).getWeightStream();
      const streamed = fromTopology(where, a.modelTopology, await io.decodeWeightValuesStream(where, stream, spec.weights), device, opts.strict ?? false);
      return compiled(where, streamed, (a as { trainingConfig?: unknown }).trainingConfig);
    }
    const parts = a.weightData === undefined ? [] : Array.isArray(a.weightData) ? a.weightData : [a.weightData];
    if (!parts.every((p) => p instanceof ArrayBuffer || ArrayBuffer.isView(p))) throw new ModelFileError(`${where}: 'weightData' must be an ArrayBuffer (or a list of them)`);
    const bytes = Buffer.concat(parts.map((p) => (ArrayBuffer.isView(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : Buffer.from(p))));
    if (bytes.length !== byteSize(spec.weights)) throw new ModelFileError(`${where}: 'weightData' holds ${bytes.length} bytes, but 'weightSpecs' [${spec.weights.map((w) => w.name).join(', ')}] take ${byteSize(spec.weights)}`);
    const weights: Weights = new Map();
    decodeAll(spec.weights, bytes, weights);
    return compiled(where, fromTopology(where, a.modelTopology, weights, device, opts.strict ?? false), (a as { trainingConfig?: unknown }).trainingConfig);
  }
  source = src as string;
  const file = await modelJsonPath(source);
  const json = await readJson(file);
  if (json.format === MODEL_FORMAT) return loadModel(path.dirname(file), { device: opts.device, strict: opts.strict });
  const device = opts.device === undefined ? getDefaultDevice() : normalizeDevice(opts.device, 'loadLayersModel: device');
  if (json.format !== undefined && json.format !== 'layers-model') throw new ModelFileError(`${file}: 'format' is ${JSON.stringify(json.format)}; only 'layers-model' (and tensornode's own) can be loaded as a layers model`);
  checkTopology(file, json.modelTopology);
  if (json.weightsManifest === undefined) throw new ModelFileError(`${file}: no 'weightsManifest'`);
  const groups = checkManifest(file, json.weightsManifest);
  return compiled(file, fromTopology(file, json.modelTopology, await readWeights(file, groups), device, opts.strict ?? false), json.trainingConfig);
}

/** The model compiled from the file's trainingConfig when it has one (as tfjs's loadLayersModel does). */
function compiled(file: string, model: LayersModel, trainingConfig: unknown): LayersModel {
  try {
    compileFromTfjsTrainingConfig(file, model, trainingConfig);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

type Weights = Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }>;

/** The model's className and config from a modelTopology (checked; camelCase). */
function checkTopology(file: string, modelTopology: unknown): { className: string; config: Record<string, unknown> } {
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: ${msg}`);
  let topology = modelTopology;
  if (!isObject(topology)) throw bad(`'modelTopology' must be an object`);
  // The converter nests the model under model_config (beside training_config).
  if (isObject(topology.model_config)) topology = topology.model_config;
  const ts = fromPythonic(topology) as Record<string, unknown>;
  const className = ts.className;
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional') throw bad(`unknown model class ${JSON.stringify(className)} (supported: Sequential, Model, Functional)`);
  // Older Keras wrote a Sequential's config as the list of layers itself.
  const config = Array.isArray(ts.config) ? { layers: ts.config } : ts.config;
  if (!isObject(config) || !Array.isArray(config.layers) || config.layers.length === 0) throw bad(`'modelTopology.config' must hold a non-empty 'layers' list`);
  return { className, config };
}

/** Builds the architecture with each weight taken from `weights` by name (shape and dtype checked before it is
 * allocated; no initializer runs), then refuses weights the architecture lacks and unknown layer options. */
function fromTopology(file: string, modelTopology: unknown, weights: Weights, device: Device, strict: boolean): LayersModel {
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: ${msg}`);
  const { className, config } = checkTopology(file, modelTopology);
  const report = new NonFiniteReport(file, strict);
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
    // tfjs's optimizer state (the 'optimizer' group, saved with includeOptimizer) is not a weight of the architecture.
    const unused = [...weights.keys()].filter((name) => !taken.has(name) && weights.get(name)!.spec.group !== 'optimizer');
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

/**
 * The artifacts of a layers-model directory as tfjs-node's file system handler loads them: model.json's fields, the
 * weight specs of every group in order, and all their shards' bytes concatenated (sizes checked, quantization kept).
 */
export async function readLayersArtifacts(url: string): Promise<Record<string, unknown> & { modelTopology: unknown; weightSpecs: WeightSpec[]; weightData: ArrayBuffer }> {
  const file = await modelJsonPath(url);
  const json = await readJson(file);
  if (json.modelTopology === undefined) throw new ModelFileError(`${file}: no 'modelTopology'`);
  const groups = json.weightsManifest === undefined ? [] : checkManifest(file, json.weightsManifest);
  const parts = await Promise.all(groups.map((g) => readGroupBytes(file, g)));
  const bytes = Buffer.concat(parts);
  const out: Record<string, unknown> & { modelTopology: unknown; weightSpecs: WeightSpec[]; weightData: ArrayBuffer } = {
    modelTopology: json.modelTopology,
    weightSpecs: groups.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
  for (const k of ['format', 'generatedBy', 'convertedBy', 'trainingConfig', 'userDefinedMetadata', 'signature', 'modelInitializer']) if (json[k] !== undefined) out[k] = json[k];
  return out;
}
