// Reads a file that may be gzip-compressed (detected by the 1f 8b magic, not by the name) without blocking the event loop on inflate.

import { promises as fsp } from 'fs';
import { promisify } from 'util';
import * as zlib from 'zlib';
import { DataFormatError } from './errors';

const gunzip = promisify(zlib.gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Returns the file's bytes, inflated if they are gzip; a corrupt gzip stream becomes a DataFormatError naming the file. */
export async function readMaybeGzip(file: string): Promise<Uint8Array> {
  const raw = await fsp.readFile(file);
  if (!isGzip(raw)) return raw;
  try {
    return await gunzip(raw);
  } catch (e) {
    throw new DataFormatError(`${file}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
}
