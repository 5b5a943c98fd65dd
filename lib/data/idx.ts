// MNIST / Fashion-MNIST IDX files (raw or gzip): a strict decoder and a loader for the four standard files of a directory.

import * as fs from 'fs';
import * as path from 'path';
import { ArrayND } from './array';
import { DataFormatError, DataNotFoundError } from './errors';
import { readMaybeGzip } from './gzip';

/** Element types an IDX file can declare (third magic byte). MNIST uses ubyte for images and labels. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const IDX_TYPES: Record<number, { type: IdxType; size: number }> = {
  0x08: { type: 'uint8', size: 1 },
  0x09: { type: 'int8', size: 1 },
  0x0b: { type: 'int16', size: 2 },
  0x0c: { type: 'int32', size: 4 },
  0x0d: { type: 'float32', size: 4 },
  0x0e: { type: 'float64', size: 8 },
};

export interface IdxArray {
  type: IdxType;
  shape: number[];
  /** Values in native byte order; for 'uint8' the raw payload bytes. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

export interface DecodeIdxOptions {
  /** Required rank (1 for labels, 3 for images); anything else is a DataFormatError. */
  rank?: number;
  /** Required element type. */
  type?: IdxType;
}

/**
 * Decodes IDX bytes: magic 00 00 <type> <rank>, rank big-endian uint32 dimensions, then exactly
 * prod(dims) * itemsize bytes of big-endian values. `source` names the file in error messages.
 */
export function decodeIdx(bytes: Uint8Array, source: string, opts: DecodeIdxOptions = {}): IdxArray {
  if (bytes.length < 4) throw new DataFormatError(`${source}: IDX file is ${bytes.length} bytes, too short for the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(`${source}: not an IDX file (magic starts with 0x${hex2(bytes[0])}${hex2(bytes[1])}, expected 0x0000)`);
  }
  const t = IDX_TYPES[bytes[2]];
  if (!t) throw new DataFormatError(`${source}: unknown IDX element type byte 0x${hex2(bytes[2])} (expected one of 08,09,0b,0c,0d,0e)`);
  const rank = bytes[3];
  if (rank === 0) throw new DataFormatError(`${source}: IDX rank is 0`);
  if (opts.rank !== undefined && rank !== opts.rank) {
    throw new DataFormatError(`${source}: expected an IDX file of rank ${opts.rank} (magic 0x000008${hex2(opts.rank)}), got rank ${rank}`);
  }
  if (opts.type !== undefined && t.type !== opts.type) {
    throw new DataFormatError(`${source}: expected IDX element type ${opts.type}, got ${t.type}`);
  }
  const headerLen = 4 + 4 * rank;
  if (bytes.length < headerLen) {
    throw new DataFormatError(`${source}: truncated IDX header: ${rank} dimensions need ${headerLen} bytes, file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  const expected = count * t.size;
  const actual = bytes.length - headerLen;
  if (!Number.isSafeInteger(expected) || expected !== actual) {
    const what = actual < expected ? 'truncated' : 'has trailing bytes';
    throw new DataFormatError(
      `${source}: IDX payload ${what}: dimensions [${shape.join(',')}] of ${t.type} need ${expected} bytes after the ${headerLen}-byte header, file has ${actual}`,
    );
  }
  const payload = bytes.subarray(headerLen);
  return { type: t.type, shape, data: decodePayload(payload, t.type, t.size, count) };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The payload as a typed array of `type`: the bytes are copied and, on a little-endian host, each element's bytes
 * reversed (IDX is big-endian). Bytes, not numbers, move, so every bit pattern (NaN payloads included) is kept.
 */
function decodePayload(payload: Uint8Array, type: IdxType, size: number, n: number): IdxArray['data'] {
  if (type === 'uint8') return payload;
  const bytes = new Uint8Array(payload); // a copy, aligned at 0 (Buffer's slice() would be a view)
  if (LITTLE_ENDIAN && size > 1) for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  switch (type) {
    case 'int8':
      return new Int8Array(bytes.buffer, 0, n);
    case 'int16':
      return new Int16Array(bytes.buffer, 0, n);
    case 'int32':
      return new Int32Array(bytes.buffer, 0, n);
    case 'float32':
      return new Float32Array(bytes.buffer, 0, n);
    case 'float64':
      return new Float64Array(bytes.buffer, 0, n);
  }
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Reads and decodes one IDX file (gzip detected by content). */
/** Total bytes an IDX header declares (magic, dims, payload); undefined when the header is unreadable. */
export function idxDeclaredSize(head: Uint8Array): number | undefined {
  const t = IDX_TYPES[head[2]];
  const rank = head[3];
  if (head.length < 4 || !t || !rank || head.length < 4 + 4 * rank) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let count = 1;
  for (let i = 0; i < rank; i++) count *= view.getUint32(4 + 4 * i);
  return 4 + 4 * rank + count * t.size;
}

export async function readIdxFile(file: string, opts: DecodeIdxOptions = {}): Promise<IdxArray> {
  return decodeIdx(await readMaybeGzip(file, idxDeclaredSize), file, opts);
}

/** Decodes an IDX image file (rank 3, ubyte) into [N, rows, cols, 1] float32 scaled to [0, 1]. */
export function idxImagesToFloat(idx: IdxArray, source: string): ArrayND<Float32Array> {
  if (idx.type !== 'uint8' || idx.shape.length !== 3) {
    throw new DataFormatError(`${source}: expected ubyte images of rank 3, got ${idx.type} of rank ${idx.shape.length}`);
  }
  const src = idx.data as Uint8Array;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i] / 255;
  return { data: out, shape: [idx.shape[0], idx.shape[1], idx.shape[2], 1] };
}

/** Decodes an IDX label file (rank 1, ubyte) into int32, checking each label is below `numClasses`. */
export function idxLabelsToInt32(idx: IdxArray, source: string, numClasses = 10): ArrayND<Int32Array> {
  if (idx.type !== 'uint8' || idx.shape.length !== 1) {
    throw new DataFormatError(`${source}: expected ubyte labels of rank 1, got ${idx.type} of rank ${idx.shape.length}`);
  }
  const src = idx.data as Uint8Array;
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    if (src[i] >= numClasses) throw new DataFormatError(`${source}: label ${src[i]} at index ${i} is not below ${numClasses}`);
    out[i] = src[i];
  }
  return { data: out, shape: [src.length] };
}

export interface MnistData {
  trainImages: ArrayND<Float32Array>;
  trainLabels: ArrayND<Int32Array>;
  testImages: ArrayND<Float32Array>;
  testLabels: ArrayND<Int32Array>;
}

/** The four standard file stems; each may appear as `stem`, `stem.gz`, or with `.idx` spelled `-idx` (both occur in the wild). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Finds `stem` in `dir` under its usual spellings; undefined if absent. */
export function findIdxFile(dir: string, stem: string): string | undefined {
  const dotted = stem.replace(/-idx(\d)/, '.idx$1');
  for (const name of [stem, `${stem}.gz`, dotted, `${dotted}.gz`]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  }
  return undefined;
}

/**
 * Loads MNIST or Fashion-MNIST from a directory holding the four standard IDX files (raw or .gz).
 * Images come back as [N, 28, 28, 1] float32 in [0, 1], labels as int32 in [0, 10).
 */
export async function loadMnistDir(dir: string): Promise<MnistData> {
  const files = {} as Record<keyof typeof MNIST_FILES, string>;
  const missing: string[] = [];
  for (const [key, stem] of Object.entries(MNIST_FILES) as [keyof typeof MNIST_FILES, string][]) {
    const f = findIdxFile(dir, stem);
    if (f) files[key] = f;
    else missing.push(`${stem}[.gz]`);
  }
  if (missing.length) throw new DataNotFoundError(`${dir}: missing MNIST IDX file(s): ${missing.join(', ')}`);

  const [ti, tl, si, sl] = await Promise.all([
    readIdxFile(files.trainImages, { rank: 3, type: 'uint8' }),
    readIdxFile(files.trainLabels, { rank: 1, type: 'uint8' }),
    readIdxFile(files.testImages, { rank: 3, type: 'uint8' }),
    readIdxFile(files.testLabels, { rank: 1, type: 'uint8' }),
  ]);
  const out: MnistData = {
    trainImages: idxImagesToFloat(ti, files.trainImages),
    trainLabels: idxLabelsToInt32(tl, files.trainLabels),
    testImages: idxImagesToFloat(si, files.testImages),
    testLabels: idxLabelsToInt32(sl, files.testLabels),
  };
  checkCounts(out.trainImages, out.trainLabels, files.trainImages, files.trainLabels);
  checkCounts(out.testImages, out.testLabels, files.testImages, files.testLabels);
  if (out.trainImages.shape[1] !== out.testImages.shape[1] || out.trainImages.shape[2] !== out.testImages.shape[2]) {
    throw new DataFormatError(
      `${dir}: train images are ${out.trainImages.shape[1]}x${out.trainImages.shape[2]} but test images are ${out.testImages.shape[1]}x${out.testImages.shape[2]}`,
    );
  }
  return out;
}

function checkCounts(images: ArrayND, labels: ArrayND, fi: string, fl: string): void {
  if (images.shape[0] !== labels.shape[0]) {
    throw new DataFormatError(`${fi} holds ${images.shape[0]} images but ${fl} holds ${labels.shape[0]} labels`);
  }
}
