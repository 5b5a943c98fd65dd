// Reading HTTP responses for tf.io without trusting the server: a declared Content-Length over the expected size is
// refused before the body is read, and a body is read chunk by chunk and refused as soon as it passes its limit.
import { ValueError } from '../../errors';
import { ModelFileError } from '../model_files';

/** What tf.io's fetches are called with (a subset of the WHATWG Response they get back is used). */
export type FetchFunction = (url: string, init?: unknown, options?: unknown) => Promise<FetchResponse>;

export interface FetchResponse {
  ok: boolean;
  status: number;
  statusText?: string;
  headers?: { get(name: string): string | null };
  body?: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel?(reason?: unknown): Promise<void> } } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The fetch tf.io uses: options.fetchFunc, else Node's global fetch. */
export function fetchOf(what: string, fetchFunc: unknown): FetchFunction {
  if (fetchFunc != null) {
    if (typeof fetchFunc !== 'function') throw new ValueError(`${what}: 'fetchFunc' must be a function with fetch's signature, got ${typeof fetchFunc}`);
    return fetchFunc as FetchFunction;
  }
  if (typeof globalThis.fetch !== 'function') throw new ValueError(`${what}: this Node has no global fetch; pass loadOptions.fetchFunc`);
  return globalThis.fetch as unknown as FetchFunction;
}

/** The declared body size, or null when the response does not say. */
export function declaredLength(res: FetchResponse): number | null {
  const v = res.headers?.get?.('content-length');
  if (v == null || !/^\d+$/.test(v)) return null;
  return Number(v);
}

/**
 * The body of `res` as bytes, at most `limit` of them (`counter` is shared by the shards of one weight group, so
 * their sum is what is limited). Throws ModelFileError when there are more.
 */
export async function readLimited(res: FetchResponse, url: string, limit: number, counter = { bytes: 0 }): Promise<Uint8Array> {
  const tooBig = (): ModelFileError => new ModelFileError(`${url}: the response holds more bytes than the ${limit} expected`);
  const declared = declaredLength(res);
  if (declared !== null && counter.bytes + declared > limit) {
    await res.body?.getReader().cancel?.().catch(() => undefined);
    throw tooBig();
  }
  if (!res.body || typeof res.body.getReader !== 'function') {
    // A custom fetchFunc's response may only offer arrayBuffer(): its size can only be checked afterwards.
    const buf = new Uint8Array(await res.arrayBuffer());
    counter.bytes += buf.byteLength;
    if (counter.bytes > limit) throw tooBig();
    return buf;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    counter.bytes += value.byteLength;
    if (counter.bytes > limit) {
      await reader.cancel?.().catch(() => undefined);
      throw tooBig();
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0] : new Uint8Array(Buffer.concat(chunks));
}

/**
 * Awaits `promises`, calling onProgress(start + (end - start) * resolved / total) as each resolves (tfjs's progress
 * fractions: the requests take the first half of a load, the bodies the second).
 */
export async function withProgress<T>(promises: Promise<T>[], onProgress: ((fraction: number) => void) | undefined, start: number, end: number): Promise<T[]> {
  if (onProgress == null) return Promise.all(promises);
  if (typeof onProgress !== 'function') throw new ValueError(`onProgress must be a function, got ${typeof onProgress}`);
  let resolved = 0;
  return Promise.all(
    promises.map((p) =>
      p.then((v) => {
        resolved++;
        onProgress(start + ((end - start) * resolved) / promises.length);
        return v;
      }),
    ),
  );
}
