// Model directories: model.json (architecture + training config) and weights.safetensors (+ optimizer state), saved atomically and loaded with full validation.

import { createHash } from 'crypto';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { TensornodeError } from '../errors';
import { getDefaultDevice, normalizeDevice, type Device } from '../device';
import type { DType } from '../dtype';
import { tensor } from '../ops/creation';
import type { Tensor } from '../tensor';
import { LayersModel } from '../models/layers_model';
import { compileFromConfig } from '../models/from_config';
import { buildFromFile, NonFiniteReport, weightWhat, type WeightCheckOptions } from './build_model';
import { checkTrainingConfig, checkUnknownLayerOptions, checkUnknownOptimizerOptions } from './config_check';
import type { OptimizerState } from '../optim/optimizer';
import { writeFileAtomic, type WriteFn } from './atomic';
import { parseSafetensors, serializeSafetensors, type SafetensorsContents, type TensorInput, type TensorView } from './safetensors';
import { viewToHost } from './tensors';
import { MODEL_FORMAT_VERSION, READABLE_FORMAT_VERSIONS, upgradeStoredTensors } from './model_upgrade';

/** A model directory is missing a file, malformed, or does not match its own architecture. */
export class ModelFileError extends TensornodeError {}

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const MODEL_FORMAT = 'tensornode-model';
export { MODEL_FORMAT_VERSION } from './model_upgrade';
/** The keys of model.json. */
const TOP_KEYS = ['format', 'version', 'className', 'config', 'trainingConfig', 'weightsManifest', 'weightsSha256', 'optimizerSha256'];
/** A model.json larger than this is rejected before it is parsed (architectures are a few KB). */
export const MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;

/** One entry of model.json's weightsManifest: a weight of the architecture, in `model.weights` order. */
export interface WeightManifestEntry {
  name: string;
  shape: number[];
  dtype: DType;
}

/** The contents of model.json. */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  /** 'Sequential' (config {name, layers}) or 'Model' (a functional graph: {name, layers, inputLayers, outputLayers}). */
  className: 'Sequential' | 'Model';
  config: { name: string; layers: { className: string; config: Record<string, unknown> }[]; inputLayers?: unknown[]; outputLayers?: unknown[] };
  /** compile() settings ({optimizer: {className, config}, loss, metrics}), or null for an uncompiled model. */
  trainingConfig: Record<string, unknown> | null;
  weightsManifest: WeightManifestEntry[];
  /** sha256 (hex) of weights.safetensors: ties the two files to one save. */
  weightsSha256: string;
  /** sha256 (hex) of optimizer.safetensors, or null when the optimizer state was not saved. */
  optimizerSha256: string | null;
}

export interface SaveModelOptions {
  /** Also write the optimizer's state (moments, step counts) to optimizer.safetensors. Default: true when compiled. */
  includeOptimizer?: boolean;
  /** @internal How bytes reach each temp file (tests inject a failing one to simulate a full disk). */
  write?: WriteFn;
}

export interface LoadModelOptions extends WeightCheckOptions {
  /** Where the weights (and optimizer state) go; default: the default device. */
  device?: Device;
  /** Restore the optimizer state when the directory has one (default true). */
  loadOptimizer?: boolean;
}

/** The model a directory holds: a LayersModel (functional or Sequential). */
type SaveableModel = LayersModel;

const prevName = (file: string): string => file.replace(/\.safetensors$/, '.prev.safetensors');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isErrno = (e: unknown, ...codes: string[]): boolean => codes.includes((e as NodeJS.ErrnoException)?.code ?? '');

function storedDType(d: DType): 'F32' | 'I32' {
  return d === 'float32' ? 'F32' : 'I32';
}

/** Weight values as arrays for serialization (awaited without blocking the event loop). */
async function hostTensors(entries: { name: string; value: Tensor }[]): Promise<Map<string, TensorInput>> {
  const values = await Promise.all(entries.map((e) => e.value.data()));
  return new Map(entries.map((e, i) => [e.name, { data: values[i], shape: e.value.shape, dtype: storedDType(e.value.dtype) }]));
}

/**
 * Replaces `dir/file` atomically while keeping the file it replaces as `*.prev.safetensors` (a hard link: no copy, no
 * extra space). Returns an undo that puts the previous file back. Until model.json is replaced too, the previous
 * model.json still matches that previous file by its sha256, so the loader can fall back to it after a crash.
 */
async function replaceKeepingPrevious(dir: string, file: string, bytes: Uint8Array, write?: WriteFn): Promise<() => Promise<void>> {
  const target = path.join(dir, file);
  const prev = path.join(dir, prevName(file));
  await fsp.unlink(prev).catch((e) => {
    if (!isErrno(e, 'ENOENT')) throw e;
  });
  let hadOld = true;
  try {
    await fsp.link(target, prev);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) hadOld = false;
    else await fsp.copyFile(target, prev); // filesystems without hard links
  }
  try {
    await writeFileAtomic(target, bytes, { write });
  } catch (e) {
    // The target was not replaced: drop the link so the directory is as before.
    await fsp.unlink(prev).catch(() => undefined);
    throw e;
  }
  return async () => {
    if (hadOld) await fsp.rename(prev, target);
    else await fsp.unlink(target).catch(() => undefined);
  };
}

/**
 * Saves `model` into directory `dir` (created if missing):
 * - `weights.safetensors`: every weight (trainable or not, e.g. batch-norm moving statistics) by its Keras-style name
 *   (`dense_1/kernel`, `conv2d/bias`, `batch_normalization/moving_mean`), F32/I32, `__metadata__` {format: 'tensornode'};
 * - `optimizer.safetensors` (optional): the optimizer's slots as `<weight name>/<slot>` and its step counts;
 * - `model.json` last: architecture, training config, weights manifest and the sha256 of the files above.
 * Every file is replaced atomically, and model.json only after the others, so an interrupted save leaves the previous
 * model loadable: a failed write puts the previous files back; after a crash the loader falls back to the previous
 * weights kept beside the new ones (see replaceKeepingPrevious).
 */
export async function saveModel(model: SaveableModel, dir: string, opts: SaveModelOptions = {}): Promise<void> {
  if (!(model instanceof LayersModel)) throw new ModelFileError(`saveModel: expected a model (tf.model or tf.sequential), got ${typeof model}`);
  if (typeof dir !== 'string' || dir === '') throw new ModelFileError(`saveModel: 'dir' must be a non-empty path, got ${JSON.stringify(dir)}`);
  if (model.outputs.length === 0) {
    try {
      model.build();
    } catch (e) {
      throw new ModelFileError(`saveModel: the model has no weights yet (${(e as Error).message})`);
    }
  }
  const vars = model.weights;
  const seen = new Set<string>();
  for (const v of vars) {
    if (seen.has(v.name)) throw new ModelFileError(`saveModel: two weights are named '${v.name}' (give the layers unique names)`);
    seen.add(v.name);
  }
  const json = model.toJSON();
  const weightBytes = serializeSafetensors(await hostTensors(vars.map((v) => ({ name: v.name, value: v.value }))), { format: 'tensornode' });

  let optimizerBytes: Uint8Array | null = null;
  if (model.optimizer && (opts.includeOptimizer ?? true)) {
    const st = model.optimizer.getState();
    const names = new Set(model.trainableWeights.map((v) => v.name));
    // Only state that belongs to this model's weights (an optimizer may be shared with other parameters).
    const slots = Object.entries(st.slots).filter(([k]) => names.has(k.slice(0, k.lastIndexOf('/'))));
    const steps = Object.fromEntries(Object.entries(st.steps).filter(([k]) => names.has(k)));
    optimizerBytes = serializeSafetensors(await hostTensors(slots.map(([name, value]) => ({ name, value }))), {
      format: 'tensornode-optimizer',
      className: model.optimizer.className,
      iterations: String(st.iterations),
      steps: JSON.stringify(steps),
    });
  }

  const modelJson: ModelJSON = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    className: json.className === 'Sequential' ? 'Sequential' : 'Model',
    config: json.config as ModelJSON['config'],
    trainingConfig: json.compileConfig,
    weightsManifest: vars.map((v) => ({ name: v.name, shape: [...v.shape], dtype: v.value.dtype })),
    weightsSha256: sha256(weightBytes),
    optimizerSha256: optimizerBytes ? sha256(optimizerBytes) : null,
  };

  await fsp.mkdir(dir, { recursive: true });
  const undo: (() => Promise<void>)[] = [];
  try {
    undo.push(await replaceKeepingPrevious(dir, WEIGHTS_FILE, weightBytes, opts.write));
    if (optimizerBytes) undo.push(await replaceKeepingPrevious(dir, OPTIMIZER_FILE, optimizerBytes, opts.write));
    await writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson, null, 1) + '\n', { write: opts.write });
  } catch (e) {
    for (const u of undo.reverse()) await u().catch(() => undefined);
    throw e;
  }
  // The save is complete: the previous files are no longer needed (nor is an optimizer file this save left out).
  const stale = [prevName(WEIGHTS_FILE), prevName(OPTIMIZER_FILE), ...(optimizerBytes ? [] : [OPTIMIZER_FILE])];
  await Promise.all(stale.map((f) => fsp.unlink(path.join(dir, f)).catch(() => undefined)));
}

async function readFileChecked(file: string, what: string): Promise<Buffer> {
  try {
    return await fsp.readFile(file);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) throw new ModelFileError(`${file}: not found (${what})`);
    throw new ModelFileError(`${file}: cannot be read (${(e as Error).message})`);
  }
}

/** Reads model.json, refusing huge files, and checks its schema (not yet the layers' own options). */
async function readModelJson(file: string): Promise<ModelJSON> {
  let size: number;
  try {
    size = (await fsp.stat(file)).size;
  } catch (e) {
    if (isErrno(e, 'ENOENT')) throw new ModelFileError(`${file}: not found (is this a model directory written by model.save?)`);
    throw new ModelFileError(`${file}: cannot be read (${(e as Error).message})`);
  }
  if (size > MAX_MODEL_JSON_BYTES) throw new ModelFileError(`${file}: ${size} bytes exceeds the ${MAX_MODEL_JSON_BYTES}-byte limit for model.json`);
  let json: unknown;
  try {
    json = JSON.parse((await readFileChecked(file, 'model.json')).toString('utf8'));
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: ${msg}`);
  if (!isObject(json)) throw bad('not a JSON object');
  // tensornode writes this file: a key it does not write is damage or a hand edit that would be ignored.
  for (const k of Object.keys(json)) if (!TOP_KEYS.includes(k)) throw bad(`unknown key '${k}' (model.json has ${TOP_KEYS.join(', ')})`);
  if (json.format !== MODEL_FORMAT) throw bad(`'format' is ${JSON.stringify(json.format)}, expected '${MODEL_FORMAT}'`);
  if (!READABLE_FORMAT_VERSIONS.includes(json.version as number)) {
    throw bad(`format version ${JSON.stringify(json.version)} is not supported (this tensornode reads versions ${READABLE_FORMAT_VERSIONS.join(', ')})`);
  }
  if (json.className !== 'Sequential' && json.className !== 'Model') throw bad(`unknown model class ${JSON.stringify(json.className)} (supported: Sequential, Model)`);
  const config = json.config;
  if (!isObject(config) || typeof config.name !== 'string' || !Array.isArray(config.layers) || config.layers.length === 0) {
    throw bad(`'config' must be {name: string, layers: [at least one layer]}`);
  }
  if (json.className === 'Model' && (!Array.isArray(config.inputLayers) || !Array.isArray(config.outputLayers))) {
    throw bad(`a functional model's 'config' needs 'inputLayers' and 'outputLayers' lists`);
  }
  for (const k of Object.keys(config)) if (!['name', 'layers', 'inputLayers', 'outputLayers'].includes(k)) throw bad(`'config' has the unknown key '${k}'`);
  config.layers.forEach((l: unknown, i: number) => {
    if (!isObject(l) || typeof l.className !== 'string' || !isObject(l.config)) throw bad(`layer ${i} must be {className: string, config: object}`);
    for (const k of Object.keys(l)) if (!['className', 'config', 'name', 'inboundNodes'].includes(k)) throw bad(`layer ${i} has the unknown key '${k}'`);
  });
  if (json.trainingConfig !== null && !isObject(json.trainingConfig)) throw bad(`'trainingConfig' must be an object or null`);
  if (json.trainingConfig !== null) checkTrainingConfig(file, json.trainingConfig);
  if (!Array.isArray(json.weightsManifest)) throw bad(`'weightsManifest' must be an array`);
  const listed = new Set<unknown>();
  json.weightsManifest.forEach((w: unknown, i: number) => {
    if (
      !isObject(w) ||
      Object.keys(w).some((k) => k !== 'name' && k !== 'shape' && k !== 'dtype') ||
      typeof w.name !== 'string' ||
      !Array.isArray(w.shape) ||
      !w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0) ||
      (w.dtype !== 'float32' && w.dtype !== 'int32')
    ) {
      throw bad(`weightsManifest[${i}] must be {name: string, shape: non-negative integers, dtype: 'float32' | 'int32'}`);
    }
    if (listed.has(w.name)) throw bad(`weightsManifest lists '${w.name}' twice`);
    listed.add(w.name);
  });
  const hex = (v: unknown): boolean => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  if (!hex(json.weightsSha256)) throw bad(`'weightsSha256' must be 64 hex digits`);
  if (json.optimizerSha256 !== null && !hex(json.optimizerSha256)) throw bad(`'optimizerSha256' must be 64 hex digits or null`);
  return json as unknown as ModelJSON;
}

/**
 * Reads `dir/file` and checks it is the one model.json names by sha256; if not, the previous file kept by an
 * interrupted save (`*.prev.safetensors`) is used when it matches. Then parses and validates it as safetensors.
 */
async function readMatchingSafetensors(dir: string, file: string, expectedSha: string): Promise<SafetensorsContents> {
  const target = path.join(dir, file);
  let bytes: Uint8Array = await readFileChecked(target, `model.json refers to it`);
  let source = target;
  if (sha256(bytes) !== expectedSha) {
    const prev = path.join(dir, prevName(file));
    const prevBytes = await fsp.readFile(prev).catch(() => null);
    if (!prevBytes || sha256(prevBytes) !== expectedSha) {
      throw new ModelFileError(
        `${target}: its sha256 does not match model.json's (the files come from different saves, or the file was modified or corrupted)`,
      );
    }
    bytes = prevBytes;
    source = prev;
  }
  return parseSafetensors(bytes, source);
}

/** Host values of a stored tensor after checking it against what the architecture expects. */
function checkedValues(file: string, what: string, view: TensorView, shape: readonly number[], dtype: DType): Float32Array | Int32Array {
  if (view.dtype !== storedDType(dtype)) throw new ModelFileError(`${file}: ${what} has dtype ${view.dtype}, expected ${storedDType(dtype)} (${dtype})`);
  if (view.shape.join(',') !== shape.join(',')) throw new ModelFileError(`${file}: ${what} has shape [${view.shape.join(', ')}], expected [${shape.join(', ')}]`);
  return viewToHost(what, view);
}

/**
 * Checks weights.safetensors against model.json's weightsManifest before anything is built: the same names (nothing
 * missing, nothing extra), and each tensor's dtype and shape as the manifest states them.
 */
function checkManifestAgainstFile(json: ModelJSON, contents: SafetensorsContents, file: string): void {
  const listed = new Set(json.weightsManifest.map((w) => w.name));
  for (const name of contents.tensors.keys()) {
    if (!listed.has(name)) throw new ModelFileError(`${file}: unexpected weight '${name}' (the architecture has no such weight: model.json's weightsManifest does not list it)`);
  }
  for (const w of json.weightsManifest) {
    const view = contents.tensors.get(w.name);
    const what = weightWhat(w.name);
    if (!view) throw new ModelFileError(`${file}: missing ${what} ('${w.name}', shape [${w.shape.join(', ')}])`);
    if (view.dtype !== storedDType(w.dtype)) throw new ModelFileError(`${file}: ${what} has dtype ${view.dtype}, expected ${storedDType(w.dtype)} (${w.dtype}) as model.json's weightsManifest states`);
    if (view.shape.join(',') !== w.shape.join(',')) throw new ModelFileError(`${file}: ${what} has shape [${view.shape.join(', ')}], expected [${w.shape.join(', ')}] as model.json's weightsManifest states`);
  }
}

/**
 * Builds the architecture with every weight taken from the file: each weight a layer creates must be in the manifest
 * with the shape and dtype the layer asks for, before it is allocated; no initializer runs. Afterwards every listed
 * weight must have been used, in manifest order, and the stored layer options must all be known to the layers.
 */
function buildWithWeights(jsonFile: string, json: ModelJSON, contents: SafetensorsContents, weightsFile: string, device: Device, report: NonFiniteReport): LayersModel {
  const manifest = new Map(json.weightsManifest.map((w) => [w.name, w]));
  const taken = new Set<string>();
  const model = buildFromFile(
    jsonFile,
    device,
    { className: json.className, config: json.config },
    (req) => {
      const w = manifest.get(req.name);
      const what = weightWhat(req.name);
      if (!w) throw new ModelFileError(`${jsonFile}: the architecture has ${what} ('${req.name}', shape [${req.shape.join(', ')}]), which weightsManifest does not list`);
      if (w.shape.join(',') !== req.shape.join(',')) throw new ModelFileError(`${jsonFile}: ${what} has shape [${w.shape.join(', ')}] in weightsManifest, but the architecture expects [${req.shape.join(', ')}]`);
      if (w.dtype !== req.dtype) throw new ModelFileError(`${jsonFile}: ${what} is ${w.dtype} in weightsManifest, but the architecture has ${req.dtype}`);
      if (taken.has(req.name)) throw new ModelFileError(`${jsonFile}: two layers create the weight '${req.name}' (layer names must be unique)`);
      taken.add(req.name);
      const values = viewToHost(req.name, contents.tensors.get(req.name)!);
      report.check(req.name, values);
      return values;
    },
  );
  try {
    const names = model.weights.map((v) => v.name);
    if (taken.size !== manifest.size || names.join('\n') !== json.weightsManifest.map((w) => w.name).join('\n')) {
      const unused = json.weightsManifest.filter((w) => !taken.has(w.name)).map((w) => w.name);
      throw new ModelFileError(
        `${jsonFile}: weightsManifest [${json.weightsManifest.map((w) => w.name).join(', ')}] does not match the architecture's weights [${names.join(', ')}]${unused.length ? ` (not in the architecture: ${unused.join(', ')})` : ''}`,
      );
    }
    checkUnknownLayerOptions(jsonFile, json.config, model);
    compileFromConfig(model, json.trainingConfig);
    if (json.trainingConfig) checkUnknownOptimizerOptions(jsonFile, json.trainingConfig, model);
  } catch (e) {
    model.dispose();
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`${jsonFile}: invalid trainingConfig (${(e as Error).message})`);
  }
  return model;
}

/** Validates optimizer.safetensors against the model's trainable weights and restores the optimizer's state. */
function restoreOptimizer(model: LayersModel, contents: SafetensorsContents, file: string, device: Device): void {
  const opt = model.optimizer!;
  const meta = contents.metadata;
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: ${msg}`);
  if (meta.format !== 'tensornode-optimizer') throw bad(`metadata 'format' is ${JSON.stringify(meta.format)}, expected 'tensornode-optimizer'`);
  if (meta.className !== opt.className) throw bad(`state of a ${JSON.stringify(meta.className)} optimizer, but the model compiles a ${opt.className}`);
  const iterations = Number(meta.iterations);
  if (!Number.isSafeInteger(iterations) || iterations < 0) throw bad(`metadata 'iterations' must be a non-negative integer, got ${JSON.stringify(meta.iterations)}`);
  let steps: unknown;
  try {
    steps = JSON.parse(meta.steps ?? '');
  } catch {
    throw bad(`metadata 'steps' is not valid JSON`);
  }
  const params = new Map(model.trainableWeights.map((v) => [v.name, v]));
  if (!isObject(steps)) throw bad(`metadata 'steps' must be an object of weight name -> step count`);
  for (const [k, s] of Object.entries(steps)) {
    if (!params.has(k)) throw bad(`step count for '${k}', which is not a trainable weight of the model`);
    if (!Number.isSafeInteger(s) || (s as number) < 0) throw bad(`step count for '${k}' must be a non-negative integer, got ${JSON.stringify(s)}`);
  }
  const slots: Record<string, Tensor> = {};
  try {
    for (const [key, view] of contents.tensors) {
      const param = params.get(key.slice(0, key.lastIndexOf('/')));
      if (!param || key.endsWith('/')) throw bad(`slot '${key}' does not name '<trainable weight>/<slot>' of this model`);
      const values = checkedValues(file, `slot '${key}'`, view, param.shape, 'float32');
      slots[key] = tensor(values, param.shape, { device, dtype: 'float32' });
    }
    const state: OptimizerState = { iterations, steps: steps as Record<string, number>, slots };
    opt.setState(state);
  } finally {
    for (const t of Object.values(slots)) t.dispose();
  }
}

/**
 * Loads a model saved by `model.save(dir)` onto `opts.device` (default: the default device). Everything read is
 * validated: model.json's schema and size, every layer class and option, each weight's presence, dtype and shape
 * against the architecture (extra weights are rejected), the safetensors structure, and that the files belong to the
 * same save (sha256). The weight file is checked against the manifest before anything is built, and each weight a
 * layer creates is taken from the file (after checking its name, shape and dtype) instead of initialized, so a config
 * that disagrees with its weights fails before allocating and a valid load runs no initializer. Stored weights with
 * NaN/Infinity give one warning (process.emitWarning), or fail with `{strict: true}`. Failures throw ModelFileError or
 * SafetensorsError naming the file; nothing is left allocated.
 * The model comes back compiled when it was saved compiled (with its optimizer state when saved and `loadOptimizer`).
 */
export async function loadModel(dir: string, opts: LoadModelOptions = {}): Promise<LayersModel> {
  if (typeof dir !== 'string' || dir === '') throw new ModelFileError(`loadModel: 'dir' must be a non-empty path, got ${JSON.stringify(dir)}`);
  const device = opts.device === undefined ? undefined : normalizeDevice(opts.device, 'loadModel: device');
  const jsonFile = path.join(dir, MODEL_JSON);
  const json = await readModelJson(jsonFile);
  const weights = await readMatchingSafetensors(dir, WEIGHTS_FILE, json.weightsSha256);
  const wantOptimizer = json.optimizerSha256 !== null && (opts.loadOptimizer ?? true);
  const optimizer = wantOptimizer ? await readMatchingSafetensors(dir, OPTIMIZER_FILE, json.optimizerSha256!) : null;
  // Older versions stored some weights in another layout: convert them before they are checked and assigned.
  upgradeStoredTensors(json.version, json.config.layers, json.weightsManifest, [weights, optimizer]);

  const weightsFile = path.join(dir, WEIGHTS_FILE);
  checkManifestAgainstFile(json, weights, weightsFile);
  const report = new NonFiniteReport(weightsFile, opts.strict ?? false);
  const model = buildWithWeights(jsonFile, json, weights, weightsFile, device ?? getDefaultDevice(), report);
  try {
    if (optimizer) {
      if (!model.optimizer) throw new ModelFileError(`${jsonFile}: an optimizer state is saved but the model has no training config to restore it into`);
      restoreOptimizer(model, optimizer, path.join(dir, OPTIMIZER_FILE), model.device);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  report.emit();
  return model;
}
