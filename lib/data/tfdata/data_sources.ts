// tf.data's byte sources: FileDataSource (a local file, file:// path, or bytes in memory) and URLDataSource (an
// http(s) URL fetched, or a local file). Each iterator() is a new pass giving Uint8Array chunks of chunkSize bytes.
import { promises as fsp } from 'fs';
import { ValueError } from '../../errors';
import { filePathOf } from '../../io/file_url';
import { DataNotFoundError } from '../errors';
import { LazyIterator } from './iterator';

export interface FileChunkOptions {
  /** Byte to start at (default 0). */
  offset?: number;
  /** Bytes per chunk (default 1 MiB). */
  chunkSize?: number;
}

/** tfjs-data's DataSource: something that starts passes over byte chunks. */
export abstract class DataSource {
  abstract iterator(): Promise<LazyIterator<Uint8Array>>;
}

function checkOptions(what: string, o: FileChunkOptions | undefined): Required<FileChunkOptions> {
  const options = o ?? {};
  const offset = options.offset ?? 0;
  const chunkSize = options.chunkSize || 1024 * 1024; // tfjs: 0 means the default too
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ValueError(`${what}: offset must be a non-negative integer, got ${options.offset}`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new ValueError(`${what}: chunkSize must be a positive integer, got ${options.chunkSize}`);
  return { offset, chunkSize };
}

/** Chunks of bytes in memory (copies, so a consumer may keep them). */
async function* memoryChunks(bytes: Uint8Array, { offset, chunkSize }: Required<FileChunkOptions>): AsyncGenerator<Uint8Array> {
  for (let at = offset; at < bytes.byteLength; at += chunkSize) yield bytes.slice(at, at + chunkSize);
}

/** Chunks of a local file, read as they are asked for (the file is never held whole). */
async function* fileChunks(file: string, { offset, chunkSize }: Required<FileChunkOptions>): AsyncGenerator<Uint8Array> {
  let handle: Awaited<ReturnType<typeof fsp.open>>;
  try {
    handle = await fsp.open(file, 'r');
  } catch {
    throw new DataNotFoundError(`FileDataSource: no file at '${file}'`);
  }
  try {
    const size = (await handle.stat()).size;
    for (let at = offset; at < size; at += chunkSize) {
      const buf = new Uint8Array(Math.min(chunkSize, size - at));
      let got = 0;
      while (got < buf.byteLength) {
        const { bytesRead } = await handle.read(buf, got, buf.byteLength - got, at + got);
        if (bytesRead === 0) break; // the file shrank while being read
        got += bytesRead;
      }
      if (got === 0) return;
      yield got === buf.byteLength ? buf : buf.slice(0, got);
    }
  } finally {
    await handle.close();
  }
}

/** tfjs-data's FileDataSource: the bytes of a local file ('file://path' or a plain path) or of a Uint8Array/Buffer. */
export class FileDataSource extends DataSource {
  readonly input: string | Uint8Array;
  readonly options: FileChunkOptions;

  constructor(input: string | Uint8Array, options: FileChunkOptions = {}) {
    super();
    if (typeof input !== 'string' && !(input instanceof Uint8Array)) throw new ValueError(`FileDataSource: input must be a file path, a file:// URL or a Uint8Array, got ${input === null ? 'null' : typeof input}`);
    if (typeof input === 'string' && filePathOf(input) === '') throw new ValueError('FileDataSource: the path is empty');
    checkOptions('FileDataSource', options);
    this.input = input;
    this.options = options ?? {};
  }

  async iterator(): Promise<LazyIterator<Uint8Array>> {
    const o = checkOptions('FileDataSource', this.options);
    return new LazyIterator(typeof this.input === 'string' ? fileChunks(filePathOf(this.input), o) : memoryChunks(this.input, o));
  }
}

/** A fetch's Request (its url and init are used). */
interface RequestLike {
  url: string;
  method?: string;
  headers?: unknown;
}

/**
 * tfjs-data's URLDataSource: an http(s) URL fetched anew on each pass (the whole body, then chunked, as tfjs), or a
 * local file ('file://path' or a plain path) read as FileDataSource does.
 */
export class URLDataSource extends DataSource {
  readonly url: string | RequestLike;
  readonly fileOptions: FileChunkOptions;

  constructor(url: string | RequestLike, fileOptions: FileChunkOptions = {}) {
    super();
    const u = typeof url === 'string' ? url : url && typeof url === 'object' && typeof url.url === 'string' ? url.url : null;
    if (u === null || u === '') throw new ValueError(`URLDataSource: expected a URL, a path or a Request, got ${JSON.stringify(url)}`);
    checkOptions('URLDataSource', fileOptions);
    this.url = url;
    this.fileOptions = fileOptions ?? {};
  }

  /** The URL or path as a string. */
  get href(): string {
    return typeof this.url === 'string' ? this.url : this.url.url;
  }

  async iterator(): Promise<LazyIterator<Uint8Array>> {
    const href = this.href;
    if (!/^https?:\/\//i.test(href) && typeof this.url === 'string') return new FileDataSource(href, this.fileOptions).iterator();
    const res = typeof this.url === 'string' ? await fetch(href) : await fetch(this.url as unknown as Request);
    if (!res.ok) throw new DataNotFoundError(`URLDataSource: GET ${href} answered ${res.status} ${res.statusText}`);
    return new LazyIterator(memoryChunks(new Uint8Array(await res.arrayBuffer()), checkOptions('URLDataSource', this.fileOptions)));
  }
}

/** The lines of a source's bytes, decoded as UTF-8 and split at '\n' with a trailing '\r' dropped, as tfjs. */
export async function* sourceLines(source: DataSource): AsyncGenerator<string, void, undefined> {
  const it = await source.iterator();
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const parts = (carry + decoder.decode(r.value, { stream: true })).split('\n');
      carry = parts.pop()!;
      for (const l of parts) yield l.endsWith('\r') ? l.slice(0, -1) : l;
    }
    carry += decoder.decode();
    // A last line without '\n' is a line; the empty string after a final '\n' is not (tfjs's split).
    if (carry !== '') yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
  } finally {
    await it.return();
  }
}
