// Reads a file that may be gzip-compressed (detected by the 1f 8b magic, not by the name) without blocking the event loop on inflate.

import { promises as fsp } from 'fs';
import { promisify } from 'util';
import * as zlib from 'zlib';
import { DataFormatError } from './errors';

const gunzip = promisify(zlib.gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The inflated size a format's header declares (header = the first inflated bytes), or undefined if unknown. */
export type DeclaredSize = (head: Uint8Array) => number | undefined;

/** Inflated bytes of a compressed prefix: enough for any header, bounded (deflate expands 1 KiB to ~1 MiB at most). */
function inflateHead(raw: Uint8Array): Uint8Array {
  try {
    return zlib.gunzipSync(raw.subarray(0, 1024), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch {
    return new Uint8Array(0);
  }
}

/**
 * Returns the file's bytes, inflated if they are gzip; a corrupt gzip stream becomes a DataFormatError naming the file.
 * With `declaredSize`, inflating stops at the size the header declares: a gzip bomb fails after that many bytes,
 * never after gigabytes.
 */
export async function readMaybeGzip(file: string, declaredSize?: DeclaredSize): Promise<Uint8Array> {
  const raw = await fsp.readFile(file);
  if (!isGzip(raw)) return raw;
  const limit = declaredSize ? declaredSize(inflateHead(raw)) : undefined;
  try {
    // One byte past the declared size, so the format's own check reports an oversized payload.
    return await gunzip(raw, limit === undefined ? {} : { maxOutputLength: Math.max(1, limit + 1) });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataFormatError(`${file}: gzip data inflates past the ${limit} bytes its header declares`);
    }
    throw new DataFormatError(`${file}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
}
