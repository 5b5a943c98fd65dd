// A minimal reader for (ustar / GNU) tar archives: enough to pull named regular files out of a dataset archive, nothing written to disk.

import { DataFormatError } from './errors';

export interface TarEntry {
  name: string; // full path inside the archive
  type: string; // '0' regular file, '5' directory, ...
  data: Uint8Array; // a view into the archive bytes
}

function str(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + off, end - off).toString('utf8');
}

function octal(b: Uint8Array, off: number, len: number, source: string): number {
  const s = str(b, off, len).trim();
  if (!/^[0-7]*$/.test(s)) throw new DataFormatError(`${source}: tar header has a malformed size field "${s}"`);
  return s === '' ? 0 : parseInt(s, 8);
}

/** Lists the entries of an uncompressed tar archive, validating that every entry lies inside the archive. */
export function readTar(bytes: Uint8Array, source: string): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= bytes.length) {
    const header = bytes.subarray(off, off + 512);
    if (header.every((x) => x === 0)) break; // end-of-archive marker
    const size = octal(header, 124, 12, source);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = str(header, 257, 6) === 'ustar' ? str(header, 345, 155) : '';
    let name = prefix ? `${prefix}/${str(header, 0, 100)}` : str(header, 0, 100);
    const start = off + 512;
    if (start + size > bytes.length) {
      throw new DataFormatError(`${source}: tar entry "${name}" needs ${size} bytes at offset ${start}, archive has ${bytes.length - start}`);
    }
    const data = bytes.subarray(start, start + size);
    off = start + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = str(data, 0, data.length); // GNU long name for the next entry
      continue;
    }
    if (longName !== undefined) {
      name = longName;
      longName = undefined;
    }
    out.push({ name, type, data });
  }
  return out;
}
