// tf.io.http: an IOHandler over HTTP(S) with fetch. load() fetches model.json (size-limited), checks its weights
// manifest, then fetches the weight files next to it, each group held to the bytes its weights take; save() POSTs
// model.json and model.weights.bin as multipart/form-data, as tfjs does. http(s) URLs route here for
// tf.loadLayersModel(url) and model.save(url).
import { ValueError } from '../../errors';
import { MAX_MODEL_JSON_BYTES, ModelFileError } from '../model_files';
import { byteSize, checkManifest, type WeightGroup } from '../tfjs_layers/weights';
import { getModelArtifactsInfoForJSON, getModelJSONForModelArtifacts, type ModelArtifacts, type SaveResult } from './artifacts';
import { CompositeArrayBuffer, isArrayBuffer } from './composite_array_buffer';
import { fetchOf, readLimited, type FetchFunction } from './fetch_bytes';
import { checkGroupSize, urlGroupFetcher } from './weights_loader';

/** tfjs's LoadOptions as the http handler reads them. */
export interface HTTPLoadOptions {
  /** A fetch to use instead of Node's global fetch. */
  fetchFunc?: FetchFunction;
  /** fetch's init for every request (headers, credentials, method for save ...); it must have no body. */
  requestInit?: Record<string, unknown>;
  /** Where the weight files are (default: the directory of the model.json URL). */
  weightPathPrefix?: string;
  /** Maps a manifest path to the URL to fetch (instead of the prefix). */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /** Called with the fraction of the load done. */
  onProgress?: (fraction: number) => void;
  /** load() gives getWeightStream() instead of weightData. */
  streamWeights?: boolean;
  [key: string]: unknown;
}

/** A model URL's prefix (everything up to its last '/') and its query (after the last '?' past that slash). */
export function parseUrl(url: string): [string, string] {
  const slash = url.lastIndexOf('/');
  const query = url.lastIndexOf('?');
  return [url.substring(0, slash) + '/', query > slash ? url.substring(query) : ''];
}

export class HTTPRequest {
  static readonly URL_SCHEME_REGEX = /^https?:\/\//;
  readonly path: string | string[];
  protected readonly DEFAULT_METHOD = 'POST';
  private readonly fetch: FetchFunction;
  private readonly requestInit: Record<string, unknown>;
  private readonly loadOptions: HTTPLoadOptions;

  constructor(path: string | string[], loadOptions: HTTPLoadOptions = {}) {
    const opts = loadOptions ?? {};
    const ok = typeof path === 'string' ? path.length > 0 : Array.isArray(path) && path.length === 2 && path.every((p) => typeof p === 'string' && p.length > 0);
    if (!ok) throw new ValueError(`http: the URL must be a non-empty string (or [model.json URL, weights URL]), got ${JSON.stringify(path)}`);
    if (opts.requestInit != null && (opts.requestInit as { body?: unknown }).body != null) throw new ValueError('http: requestInit must have no body (the handler sets it)');
    this.fetch = fetchOf('http', opts.fetchFunc);
    this.path = path;
    this.requestInit = opts.requestInit ?? {};
    this.loadOptions = opts;
  }

  private get modelUrl(): string {
    return Array.isArray(this.path) ? this.path[0] : this.path;
  }

  /** POSTs (or requestInit.method) model.json and model.weights.bin as multipart/form-data to the URL. */
  async save(artifacts: ModelArtifacts): Promise<SaveResult> {
    if (artifacts.modelTopology instanceof ArrayBuffer) throw new ValueError('http.save: saving a binary (GraphDef) topology is not supported');
    const body = new FormData();
    const json = getModelJSONForModelArtifacts(artifacts, [{ paths: ['./model.weights.bin'], weights: artifacts.weightSpecs ?? [] }] as never);
    body.append('model.json', new Blob([JSON.stringify(json)], { type: 'application/json' }), 'model.json');
    if (artifacts.weightData != null) {
      body.append('model.weights.bin', new Blob([CompositeArrayBuffer.join(artifacts.weightData)], { type: 'application/octet-stream' }), 'model.weights.bin');
    }
    const response = await this.fetch(this.modelUrl, { method: this.DEFAULT_METHOD, ...this.requestInit, body });
    if (!response.ok) throw new ModelFileError(`http.save: ${this.modelUrl} answered HTTP ${response.status}`);
    return { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts), responses: [response] };
  }

  /** model.json's content, at most MAX_MODEL_JSON_BYTES of it. */
  private async loadModelJSON(): Promise<Record<string, unknown>> {
    const url = this.modelUrl;
    const res = await this.fetch(url, this.requestInit);
    if (!res || !res.ok) throw new ModelFileError(`http: GET ${url} answered ${res?.status}; is this the URL of the model's model.json?`);
    const bytes = await readLimited(res, url, MAX_MODEL_JSON_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    } catch (e) {
      throw new ModelFileError(`http: ${url} is not valid JSON (${(e as Error).message})${url.endsWith('.pb') ? '; .pb models are not supported, convert them to model.json' : ''}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelFileError(`http: ${url} is not a JSON object`);
    const m = json as Record<string, unknown>;
    if (m.modelTopology == null && m.weightsManifest == null) throw new ModelFileError(`http: ${url} has neither 'modelTopology' nor 'weightsManifest'`);
    return m;
  }

  /** The URL of every weight file, group after group. */
  private async weightUrls(groups: WeightGroup[]): Promise<string[]> {
    const [prefix, query] = parseUrl(Array.isArray(this.path) ? this.path[1] : this.path);
    const convert = this.loadOptions.weightUrlConverter;
    if (convert != null) {
      if (typeof convert !== 'function') throw new ValueError(`http: weightUrlConverter must be a function, got ${typeof convert}`);
      return Promise.all(groups.flatMap((g) => g.paths.map((p) => convert(p))));
    }
    const base = this.loadOptions.weightPathPrefix || prefix;
    return groups.flatMap((g) => g.paths.map((p) => base + p + query));
  }

  /** The model artifacts: model.json's fields, every weight spec, and the weight files' bytes (one buffer per file). */
  async load(): Promise<ModelArtifacts> {
    const json = await this.loadModelJSON();
    const out: ModelArtifacts = { modelTopology: json.modelTopology, format: json.format as string, generatedBy: json.generatedBy as string, convertedBy: json.convertedBy as string | null };
    for (const k of ['trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const) if (json[k] != null) (out as Record<string, unknown>)[k] = json[k];
    if (json.weightsManifest == null) return out;
    const groups = checkManifest(this.modelUrl, json.weightsManifest);
    const urls = await this.weightUrls(groups);
    out.weightSpecs = groups.flatMap((g) => g.weights);
    if (this.loadOptions.streamWeights) {
      out.getWeightStream = () => this.weightStream(urls);
      return out;
    }
    const what = `http(${this.modelUrl})`;
    const fetcher = urlGroupFetcher(what, { fetchFunc: this.fetch, requestInit: this.requestInit, onProgress: this.loadOptions.onProgress });
    const got = await fetcher(urls, groups.map((g) => ({ count: g.paths.length, bytes: byteSize(g.weights) })));
    let at = 0;
    for (const g of groups) checkGroupSize(what, g, got.slice(at, (at += g.paths.length)));
    const buffers = got.map((b) => (isArrayBuffer(b) ? b : new CompositeArrayBuffer(b).slice()));
    out.weightData = buffers;
    return out;
  }

  /** The weight files' bytes one after another, fetched as the stream is read. */
  private weightStream(urls: string[]): ReadableStream<Uint8Array> {
    let i = 0;
    let reader: ReturnType<NonNullable<Awaited<ReturnType<FetchFunction>>['body']>['getReader']> | undefined;
    const onProgress = this.loadOptions.onProgress;
    onProgress?.(0);
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        while (i < urls.length) {
          if (!reader) {
            const res = await this.fetch(urls[i], this.requestInit, { isBinary: true });
            if (!res.ok || !res.body) throw new ModelFileError(`http: GET ${urls[i]} answered ${res.status}`);
            reader = res.body.getReader();
          }
          const { done, value } = await reader.read();
          if (done) {
            i++;
            reader = undefined;
            onProgress?.(i / urls.length);
            continue;
          }
          if (value) controller.enqueue(value);
          return;
        }
        controller.close();
      },
    });
  }
}

export const isHTTPScheme = (url: string): boolean => HTTPRequest.URL_SCHEME_REGEX.test(url);

/** tf.io.http(path, loadOptions): the HTTP(S) IOHandler. */
export function http(path: string | string[], loadOptions?: HTTPLoadOptions): HTTPRequest {
  return new HTTPRequest(path, loadOptions);
}

/** tfjs's deprecated name of tf.io.http. */
export function browserHTTPRequest(path: string | string[], loadOptions?: HTTPLoadOptions): HTTPRequest {
  return http(path, loadOptions);
}

/** The router for http(s) URLs (every URL of a list must be one); null when there is no fetch to use. */
export function httpRouter(url: string | string[], loadOptions?: unknown): HTTPRequest | null {
  const opts = (loadOptions ?? {}) as HTTPLoadOptions;
  if (typeof globalThis.fetch !== 'function' && opts.fetchFunc == null) return null;
  const all = Array.isArray(url) ? url.every((u) => typeof u === 'string' && isHTTPScheme(u)) : typeof url === 'string' && isHTTPScheme(url);
  return all ? http(url, opts) : null;
}
