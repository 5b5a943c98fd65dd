// tf.io.loadWeights / weightsLoaderFactory / decodeWeightsStream: weights named in a weights manifest, fetched (over
// http(s) with fetch, or from local files) and decoded to tensors. The manifest is checked (names, shapes, dtypes,
// quantization) before anything is fetched, and each group's bytes must be exactly what its weights take.
import { promises as fsp } from 'fs';
import * as path from 'path';
import { ValueError } from '../../errors';
import { tensor } from '../../ops/creation';
import type { Tensor } from '../../tensor';
import { filePathOf } from '../file_url';
import { ModelFileError } from '../model_files';
import { byteSize, bytesPerValue, checkManifest, decodeWeight, elementsOf, type WeightGroup, type WeightSpec } from '../tfjs_layers/weights';
import { CompositeArrayBuffer, isArrayBuffer } from './composite_array_buffer';
import { fetchOf, readLimited, withProgress, type FetchResponse } from './fetch_bytes';

export type WeightValues = Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }>;
type BufferLike = ArrayBuffer | ArrayBufferView;

/** Fetches the files of the selected groups: one buffer per URL, in order. `groups` says which URLs form a group and its size. */
type GroupFetcher = (urls: string[], groups: { count: number; bytes: number }[]) => Promise<BufferLike[]>;

const isHttp = (url: string): boolean => /^https?:\/\//i.test(url);

/** tfjs's weight URL: prefix, a '/' unless it ends with one (so '' gives '/path'), and the manifest's path. */
const joinUrl = (prefix: string, p: string): string => prefix + (prefix.endsWith('/') ? '' : '/') + p;

/**
 * The weights of `manifest` named in `weightNames` (all when absent), decoded: the manifest is checked first, then
 * only the groups holding a wanted weight are fetched, each group's bytes checked against what its weights take.
 */
export async function loadWeightValues(what: string, manifest: unknown, filePathPrefix: string, weightNames: string[] | undefined, fetchGroups: GroupFetcher): Promise<WeightValues> {
  const groups = checkManifest(what, manifest);
  if (typeof filePathPrefix !== 'string') throw new ValueError(`${what}: filePathPrefix must be a string, got ${typeof filePathPrefix}`);
  if (weightNames != null && !(Array.isArray(weightNames) && weightNames.every((n) => typeof n === 'string'))) throw new ValueError(`${what}: weightNames must be a list of strings`);
  const wanted = weightNames == null ? null : new Set(weightNames);
  const all = groups.flatMap((g) => g.weights.map((w) => w.name));
  if (weightNames != null) {
    const missing = weightNames.filter((n) => !all.includes(n));
    if (missing.length > 0) throw new ValueError(`${what}: the manifest has no weight named ${missing.map((n) => `'${n}'`).join(', ')} (it has ${all.join(', ')})`);
  }
  const selected = groups.filter((g) => wanted === null || g.weights.some((w) => wanted.has(w.name)));
  const urls = selected.flatMap((g) => g.paths.map((p) => joinUrl(filePathPrefix, p)));
  const buffers = await fetchGroups(urls, selected.map((g) => ({ count: g.paths.length, bytes: byteSize(g.weights) })));
  if (!Array.isArray(buffers) || buffers.length !== urls.length) throw new ValueError(`${what}: the fetch function must give one buffer per URL (${urls.length}), got ${Array.isArray(buffers) ? buffers.length : typeof buffers}`);
  const out: WeightValues = new Map();
  let at = 0;
  for (const g of selected) decodeGroup(what, g, buffers.slice(at, (at += g.paths.length)), wanted, out);
  return out;
}

/** Throws unless a group's buffers hold exactly the bytes its weights take; returns them as one byte range. */
export function checkGroupSize(what: string, g: WeightGroup, buffers: BufferLike[]): CompositeArrayBuffer {
  const bytes = new CompositeArrayBuffer(buffers);
  const expected = byteSize(g.weights);
  if (bytes.byteLength !== expected) {
    throw new ModelFileError(`${what}: the files [${g.paths.join(', ')}] hold ${bytes.byteLength} bytes, but their weights [${g.weights.map((w) => w.name).join(', ')}] take ${expected}`);
  }
  return bytes;
}

function decodeGroup(what: string, g: WeightGroup, buffers: BufferLike[], wanted: Set<string> | null, out: WeightValues): void {
  const bytes = checkGroupSize(what, g, buffers);
  let offset = 0;
  for (const w of g.weights) {
    const size = elementsOf(w.shape) * bytesPerValue(w);
    if (wanted === null || wanted.has(w.name)) out.set(w.name, { spec: w, values: decodeWeight(w, new Uint8Array(bytes.slice(offset, offset + size))) });
    offset += size;
  }
}

const toTensors = (values: WeightValues): Record<string, Tensor> => {
  const out: Record<string, Tensor> = {};
  for (const [name, { spec, values: v }] of values) out[name] = tensor(v, spec.shape, { dtype: spec.dtype });
  return out;
};

/**
 * tfjs's weightsLoaderFactory: a loader (manifest, filePathPrefix = '', weightNames?) => {name: tensor} that fetches
 * the weight files with `fetchWeightsFunction(urls)` (one ArrayBuffer or typed array per URL).
 */
export function weightsLoaderFactory(fetchWeightsFunction: (fetchUrls: string[]) => Promise<BufferLike[]> | BufferLike[]): (manifest: WeightGroup[], filePathPrefix?: string, weightNames?: string[]) => Promise<Record<string, Tensor>> {
  if (typeof fetchWeightsFunction !== 'function') throw new ValueError(`weightsLoaderFactory: expected a function (urls) => buffers, got ${typeof fetchWeightsFunction}`);
  return async (manifest, filePathPrefix = '', weightNames) =>
    toTensors(await loadWeightValues('weightsLoaderFactory', manifest, filePathPrefix, weightNames, async (urls) => fetchWeightsFunction(urls)));
}

export interface FetchWeightsOptions {
  fetchFunc?: unknown;
  requestInit?: unknown;
  onProgress?: (fraction: number) => void;
}

/**
 * A group fetcher over http(s) (fetch, with the declared and the read sizes held to each group's) and, for other
 * URLs, the local file system (file:// or a path; sizes checked with stat before reading).
 */
export function urlGroupFetcher(what: string, options: FetchWeightsOptions = {}): GroupFetcher {
  return async (urls, groups) => {
    const limits: { limit: number; counter: { bytes: number } }[] = [];
    for (const g of groups) {
      const shared = { limit: g.bytes, counter: { bytes: 0 } };
      for (let i = 0; i < g.count; i++) limits.push(shared);
    }
    if (urls.every(isHttp)) {
      const fetch = fetchOf(what, options.fetchFunc);
      const responses = await withProgress(urls.map((u) => fetch(u, options.requestInit, { isBinary: true })), options.onProgress, 0, 0.5);
      responses.forEach((r, i) => {
        if (!r || !r.ok) throw new ModelFileError(`${what}: GET ${urls[i]} answered ${r?.status}`);
      });
      return withProgress(responses.map((r: FetchResponse, i) => readLimited(r, urls[i], limits[i].limit, limits[i].counter)), options.onProgress, 0.5, 1);
    }
    if (urls.some(isHttp)) throw new ValueError(`${what}: weight URLs mix http(s) and local paths: ${urls.join(', ')}`);
    return readLocalGroups(what, urls, groups);
  };
}

/** Local weight files: each group's total size is checked with stat before any file is read. */
async function readLocalGroups(what: string, urls: string[], groups: { count: number; bytes: number }[]): Promise<BufferLike[]> {
  const files = urls.map((u) => path.resolve(filePathOf(u)));
  const sizes = await Promise.all(
    files.map((f) =>
      fsp.stat(f).then(
        (st) => st.size,
        () => {
          throw new ModelFileError(`${what}: weight file ${f} not found`);
        },
      ),
    ),
  );
  let at = 0;
  for (const g of groups) {
    const total = sizes.slice(at, at + g.count).reduce((a, b) => a + b, 0);
    if (total !== g.bytes) throw new ModelFileError(`${what}: ${files.slice(at, at + g.count).join(' + ')} hold ${total} bytes, but the manifest's weights take ${g.bytes}`);
    at += g.count;
  }
  return Promise.all(files.map((f) => fsp.readFile(f)));
}

/**
 * tfjs's loadWeights(manifest, filePathPrefix = '', weightNames?, requestInit?): the named weights (all by default)
 * as tensors, fetched with fetch (http(s) prefixes) or read from local files (file:// or a path).
 */
export async function loadWeights(manifest: WeightGroup[], filePathPrefix = '', weightNames?: string[], requestInit?: unknown): Promise<Record<string, Tensor>> {
  return toTensors(await loadWeightValues('loadWeights', manifest, filePathPrefix, weightNames, urlGroupFetcher('loadWeights', { requestInit })));
}

/** A WHATWG ReadableStream as decodeWeightsStream reads it. */
interface ByteStream {
  getReader(): { read(): Promise<{ done: boolean; value?: ArrayBuffer | ArrayBufferView }>; releaseLock?(): void };
}

/** The weights of `specs` read in order from a stream of byte chunks, each decoded as soon as its bytes are in. */
export async function decodeWeightValuesStream(what: string, stream: ByteStream, specs: unknown): Promise<WeightValues> {
  const [group] = checkManifest(what, [{ paths: ['stream'], weights: specs }]);
  if (!stream || typeof stream.getReader !== 'function') throw new ValueError(`${what}: expected a ReadableStream of bytes, got ${typeof stream}`);
  const reader = stream.getReader();
  let pending: Uint8Array[] = [];
  let have = 0;
  const out: WeightValues = new Map();
  for (const w of group.weights) {
    const size = elementsOf(w.shape) * bytesPerValue(w);
    while (have < size) {
      const { done, value } = await reader.read();
      if (done) throw new ModelFileError(`${what}: the stream ended ${size - have} bytes short of weight '${w.name}'`);
      if (value == null) continue;
      const chunk = isArrayBuffer(value) ? new Uint8Array(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : null;
      if (chunk === null) throw new ValueError(`${what}: the stream must give ArrayBuffers or typed arrays, got ${typeof value}`);
      pending.push(chunk);
      have += chunk.byteLength;
    }
    const joined = pending.length === 1 ? pending[0] : new Uint8Array(Buffer.concat(pending));
    out.set(w.name, { spec: w, values: decodeWeight(w, joined.subarray(0, size)) });
    pending = have > size ? [joined.subarray(size)] : [];
    have -= size;
  }
  reader.releaseLock?.();
  return out;
}

/** tfjs's decodeWeightsStream(stream, specs): {name: tensor} read from a ReadableStream of the weights' bytes. */
export async function decodeWeightsStream(weightStream: ByteStream, specs: WeightSpec[]): Promise<Record<string, Tensor>> {
  return toTensors(await decodeWeightValuesStream('decodeWeightsStream', weightStream, specs));
}
