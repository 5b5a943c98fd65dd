// tf.io as tfjs-node users use it: IOHandlers for model.save and tf.loadLayersModel (fileSystem, withSaveHandler,
// fromMemory), encodeWeights/decodeWeights and the artifact helpers. The bytes are the tfjs layers-model format's,
// read and written by lib/io/tfjs_layers.
import * as path from 'path';
import { DTypeError, ValueError } from '../../errors';
import { tensor } from '../../ops/creation';
import type { Tensor } from '../../tensor';
import { readLayersArtifacts } from '../tfjs_layers/load';
import { writeTfjsLayersDir } from '../tfjs_layers/save';
import { byteSize, checkManifest, decodeAll, type WeightSpec } from '../tfjs_layers/weights';
import { FILE_SCHEME, filePathOf } from '../file_url';
import { CompositeArrayBuffer } from './composite_array_buffer';
import { browserHTTPRequest, http, httpRouter, isHTTPScheme } from './http';
import { getLoadHandlers, getSaveHandlers, registerLoadRouter, registerSaveRouter } from './router_registry';
import { decodeWeightsStream, loadWeights, weightsLoaderFactory } from './weights_loader';
export { decodeWeightValuesStream } from './weights_loader';

export { type WeightsManifestEntry, type ModelArtifacts, type ModelArtifactsInfo, type SaveResult, type IOHandler, getModelArtifactsInfoForJSON } from './artifacts';
import { getModelArtifactsInfoForJSON, type ModelArtifacts, type SaveResult, type IOHandler, type WeightsManifestEntry } from './artifacts';

/** One ArrayBuffer holding `buffers` back to back (tfjs: deprecated for CompositeArrayBuffer.join). */
export function concatenateArrayBuffers(buffers: ArrayBuffer[] | ArrayBuffer): ArrayBuffer {
  return CompositeArrayBuffer.join(buffers);
}

/**
 * Model artifacts from a model.json's content (tfjs getModelArtifactsForJSON): `loadWeights` resolves a weights
 * manifest to [specs, data].
 */
export async function getModelArtifactsForJSON(
  modelJSON: { modelTopology: unknown; weightsManifest?: { paths: string[]; weights: WeightSpec[] }[]; [k: string]: unknown },
  loadWeights: (manifest: { paths: string[]; weights: WeightSpec[] }[]) => Promise<[WeightSpec[], ArrayBuffer]>,
): Promise<ModelArtifacts> {
  const out: ModelArtifacts = { modelTopology: modelJSON.modelTopology };
  for (const k of ['format', 'generatedBy', 'convertedBy', 'trainingConfig', 'userDefinedMetadata']) if (modelJSON[k] !== undefined) (out as Record<string, unknown>)[k] = modelJSON[k];
  if (modelJSON.weightsManifest !== undefined) {
    const [specs, data] = await loadWeights(modelJSON.weightsManifest);
    out.weightSpecs = specs;
    out.weightData = data;
  }
  return out;
}

/** getModelArtifactsForJSON with a synchronous weight loader. */
export function getModelArtifactsForJSONSync(
  modelJSON: { modelTopology: unknown; weightsManifest?: { paths: string[]; weights: WeightSpec[] }[]; [k: string]: unknown },
  weightSpecs?: WeightSpec[],
  weightData?: ArrayBuffer,
): ModelArtifacts {
  const out: ModelArtifacts = { modelTopology: modelJSON.modelTopology };
  for (const k of ['format', 'generatedBy', 'convertedBy', 'trainingConfig', 'userDefinedMetadata']) if (modelJSON[k] !== undefined) (out as Record<string, unknown>)[k] = modelJSON[k];
  if (weightSpecs !== undefined) out.weightSpecs = weightSpecs;
  if (weightData !== undefined) out.weightData = weightData;
  return out;
}

/** Every weight spec of a weights manifest, group after group. */
export function getWeightSpecs(manifest: { paths: string[]; weights: WeightSpec[] }[]): WeightSpec[] {
  return checkManifest('getWeightSpecs', manifest).flatMap((g) => g.weights);
}

/**
 * Encodes tensors as tfjs does for weight files: little-endian float32/int32 back to back, with their specs.
 * `tensors`: name -> tensor, or a list of {name, tensor}.
 */
export async function encodeWeights(tensors: Record<string, Tensor> | { name: string; tensor: Tensor }[]): Promise<{ data: ArrayBuffer; specs: WeightsManifestEntry[] }> {
  const list = Array.isArray(tensors) ? tensors : Object.entries(tensors ?? {}).map(([name, t]) => ({ name, tensor: t }));
  const specs: WeightSpec[] = [];
  const parts: Buffer[] = [];
  for (const { name, tensor: t } of list) {
    if (!t || (t as { isTensor?: unknown }).isTensor !== true) throw new ValueError(`encodeWeights: '${name}' is not a Tensor`);
    if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new DTypeError(`encodeWeights: '${name}' is ${t.dtype}; only float32 and int32 weights can be encoded`);
    const values = await t.data();
    const buf = Buffer.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) {
      if (t.dtype === 'int32') buf.writeInt32LE(values[i], 4 * i);
      else buf.writeFloatLE(values[i], 4 * i);
    }
    parts.push(buf);
    specs.push({ name, shape: [...t.shape], dtype: t.dtype });
  }
  return { data: concatenateArrayBuffers(parts.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer)), specs };
}

/** Decodes weight bytes by their specs (quantized uint8/uint16/float16 included): name -> tensor. */
export function decodeWeights(buffer: ArrayBuffer | ArrayBuffer[], specs: WeightsManifestEntry[]): Record<string, Tensor> {
  const what = 'decodeWeights';
  const [group] = checkManifest(what, [{ paths: ['memory'], weights: specs }]);
  const bytes = Buffer.from(concatenateArrayBuffers(buffer));
  if (bytes.length < byteSize(group.weights)) throw new ValueError(`${what}: the buffer holds ${bytes.length} bytes, but the specs [${group.weights.map((w) => w.name).join(', ')}] take ${byteSize(group.weights)}`);
  const decoded = new Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }>();
  decodeAll(group.weights, bytes, decoded);
  const out: Record<string, Tensor> = {};
  for (const [name, { spec, values }] of decoded) out[name] = tensor(values, spec.shape, { dtype: spec.dtype });
  return out;
}

/**
 * An IOHandler over artifacts in memory (tfjs fromMemory): model artifacts, or (deprecated in tfjs) the topology,
 * weight specs, weight data and training config as separate arguments.
 */
export function fromMemory(modelArtifacts: ModelArtifacts | unknown, weightSpecs?: WeightsManifestEntry[], weightData?: ArrayBuffer, trainingConfig?: unknown): IOHandler & { load: () => Promise<ModelArtifacts> } {
  const handler = fromMemorySync(modelArtifacts, weightSpecs, weightData, trainingConfig);
  return { load: async () => handler.load() };
}

export function fromMemorySync(modelArtifacts: ModelArtifacts | unknown, weightSpecs?: WeightsManifestEntry[], weightData?: ArrayBuffer, trainingConfig?: unknown): IOHandler & { load: () => ModelArtifacts } {
  const alone = weightSpecs === undefined && weightData === undefined && trainingConfig === undefined;
  const m = modelArtifacts as ModelArtifacts | null;
  const artifacts: ModelArtifacts = alone && typeof m === 'object' && m !== null && (m.modelTopology != null || m.weightSpecs != null)
    ? m
    : { modelTopology: modelArtifacts, ...(weightSpecs ? { weightSpecs } : {}), ...(weightData ? { weightData } : {}), ...(trainingConfig ? { trainingConfig } : {}) };
  return { load: () => artifacts };
}

/** An IOHandler whose save is `saveHandler` (tfjs withSaveHandler): model.save(tf.io.withSaveHandler(async (a) => ...)). */
export function withSaveHandler(saveHandler: (artifacts: ModelArtifacts) => Promise<SaveResult>): IOHandler & { save: (a: ModelArtifacts) => Promise<SaveResult> } {
  if (typeof saveHandler !== 'function') throw new ValueError(`withSaveHandler: expected a function, got ${typeof saveHandler}`);
  return { save: (a) => saveHandler(a) };
}

export function withSaveHandlerSync(saveHandler: (artifacts: ModelArtifacts) => SaveResult): IOHandler & { save: (a: ModelArtifacts) => SaveResult } {
  if (typeof saveHandler !== 'function') throw new ValueError(`withSaveHandlerSync: expected a function, got ${typeof saveHandler}`);
  return { save: (a) => saveHandler(a) };
}

/**
 * tfjs-node's file system handler (NodeFileSystem): save writes model.json and weights.bin into directory `path`
 * (atomically); load reads a model.json (or a directory holding one) with its weight shards.
 */
export class NodeFileSystem implements IOHandler {
  static readonly URL_SCHEME = FILE_SCHEME;
  /** The path given, without file://. */
  readonly path: string;

  constructor(dir: string | string[]) {
    const paths = Array.isArray(dir) ? dir : [dir];
    if (paths.length === 0 || !paths.every((p) => typeof p === 'string' && p !== '')) throw new ValueError(`fileSystem: expected a non-empty path (or a list holding one), got ${JSON.stringify(dir)}`);
    if (paths.length > 1) throw new ValueError(`fileSystem: one path (a directory or its model.json) is supported, got ${paths.length}`);
    this.path = filePathOf(paths[0]);
  }

  async save(a: ModelArtifacts): Promise<SaveResult> {
    if (a.modelTopology instanceof ArrayBuffer) throw new ValueError('fileSystem: saving a binary (GraphDef) topology is not supported');
    // Given a model.json path, write into its directory (tfjs-node takes the directory).
    const target = path.basename(this.path) === 'model.json' ? path.dirname(this.path) : this.path;
    const weightData = a.weightData == null ? undefined : CompositeArrayBuffer.join(a.weightData);
    await writeTfjsLayersDir(target, { ...(a as Parameters<typeof writeTfjsLayersDir>[1]), weightData });
    return { modelArtifactsInfo: getModelArtifactsInfoForJSON(a) };
  }

  async load(): Promise<ModelArtifacts> {
    return (await readLayersArtifacts(this.path)) as ModelArtifacts;
  }
}

/** `model.save(tf.io.fileSystem(dir))` is `model.save('file://' + dir)`. */
export function fileSystem(dir: string | string[]): NodeFileSystem {
  return new NodeFileSystem(dir);
}

/** tfjs-node's router: file:// URLs (every one of a list) go to the file system handler. */
export function nodeFileSystemRouter(url: string | string[]): NodeFileSystem | null {
  const urls = Array.isArray(url) ? url : [url];
  return urls.length > 0 && urls.every((u) => typeof u === 'string' && u.startsWith(FILE_SCHEME)) ? new NodeFileSystem(url) : null;
}

// The built-in routers, in tfjs-node's order: tfjs-core's http(s) router, then tfjs-node's file:// router.
registerSaveRouter(httpRouter);
registerLoadRouter(httpRouter);
registerSaveRouter(nodeFileSystemRouter);
registerLoadRouter(nodeFileSystemRouter);

/** The `io` namespace, as tf.io. */
export const io = {
  fileSystem,
  withSaveHandler,
  withSaveHandlerSync,
  fromMemory,
  fromMemorySync,
  encodeWeights,
  decodeWeights,
  getModelArtifactsInfoForJSON,
  getModelArtifactsForJSON,
  getModelArtifactsForJSONSync,
  getWeightSpecs,
  concatenateArrayBuffers,
  isHTTPScheme,
  CompositeArrayBuffer,
  registerLoadRouter,
  registerSaveRouter,
  getLoadHandlers,
  getSaveHandlers,
  loadWeights,
  weightsLoaderFactory,
  decodeWeightsStream,
  http,
  browserHTTPRequest,
};

export { CompositeArrayBuffer, registerLoadRouter, registerSaveRouter, getLoadHandlers, getSaveHandlers, loadWeights, weightsLoaderFactory, decodeWeightsStream, http, browserHTTPRequest, isHTTPScheme };
