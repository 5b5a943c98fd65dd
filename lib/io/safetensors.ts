// The safetensors format (8-byte LE header length, JSON header, raw LE tensor bytes): a writer and a reader that trusts nothing it reads.

import * as os from 'os';
import { promises as fsp } from 'fs';
import { TensornodeError } from '../errors';
import { writeFileAtomic } from './atomic';

/** A safetensors file is malformed, hostile, or cannot be written as asked. */
export class SafetensorsError extends TensornodeError {}

export type SafetensorsDType =
  | 'F64' | 'F32' | 'F16' | 'BF16'
  | 'I64' | 'I32' | 'I16' | 'I8'
  | 'U64' | 'U32' | 'U16' | 'U8'
  | 'BOOL' | 'F8_E4M3' | 'F8_E5M2';

export const DTYPE_SIZES: Readonly<Record<SafetensorsDType, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2,
  I64: 8, I32: 4, I16: 2, I8: 1,
  U64: 8, U32: 4, U16: 2, U8: 1,
  BOOL: 1, F8_E4M3: 1, F8_E5M2: 1,
};

export type TypedArray =
  | Float64Array | Float32Array | Int32Array | Int16Array | Int8Array
  | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A tensor to write. `dtype` defaults from the array type; F16/BF16 take their raw bits in a Uint16Array, BOOL/F8 in a Uint8Array. */
export interface TensorInput {
  data: TypedArray;
  shape: readonly number[];
  dtype?: SafetensorsDType;
}

/** A tensor as read: its bytes are a view into the file's buffer (little-endian, possibly unaligned). */
export interface TensorView {
  dtype: SafetensorsDType;
  shape: number[];
  bytes: Uint8Array;
}

export interface SafetensorsContents {
  /** In header order. */
  tensors: Map<string, TensorView>;
  metadata: Record<string, string>;
}

/** Largest header accepted on read (the reference implementation's limit is the same 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = os.endianness() === 'LE';

function defaultDType(a: TypedArray): SafetensorsDType {
  if (a instanceof Float32Array) return 'F32';
  if (a instanceof Float64Array) return 'F64';
  if (a instanceof Int32Array) return 'I32';
  if (a instanceof Int16Array) return 'I16';
  if (a instanceof Int8Array) return 'I8';
  if (a instanceof Uint8Array) return 'U8';
  if (a instanceof Uint16Array) return 'U16';
  if (a instanceof Uint32Array) return 'U32';
  if (a instanceof BigInt64Array) return 'I64';
  return 'U64';
}

/** Which typed array holds each dtype's values (raw bits for the float formats JS has no array for). */
const ARRAY_FOR: Record<SafetensorsDType, new (b: ArrayBuffer) => TypedArray> = {
  F64: Float64Array, F32: Float32Array, F16: Uint16Array, BF16: Uint16Array,
  I64: BigInt64Array, I32: Int32Array, I16: Int16Array, I8: Int8Array,
  U64: BigUint64Array, U32: Uint32Array, U16: Uint16Array, U8: Uint8Array,
  BOOL: Uint8Array, F8_E4M3: Uint8Array, F8_E5M2: Uint8Array,
};

function numel(shape: readonly number[], where: string): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new SafetensorsError(`${where}: shape [${shape.join(',')}] has a dimension that is not a non-negative integer`);
  }
  if (shape.includes(0)) return 0;
  for (const d of shape) {
    n *= d;
    if (!Number.isSafeInteger(n)) throw new SafetensorsError(`${where}: shape [${shape.join(',')}] has too many elements`);
  }
  return n;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

/**
 * Serializes tensors (record or Map, names kept in insertion order in the header) and string metadata.
 * Data is laid out contiguously, largest item size first (stable), so every tensor starts at an offset
 * aligned to its item size; the header is space-padded so the data starts 8-byte aligned.
 */
export function serializeSafetensors(
  tensors: Record<string, TensorInput> | Map<string, TensorInput>,
  metadata?: Record<string, string>,
): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`serializeSafetensors: metadata "${k}" must be a string, got ${typeof v}`);
    }
    header.__metadata__ = { ...metadata };
  }
  const seen = new Set<string>();
  const plan = entries.map(([name, t], i) => {
    const where = `serializeSafetensors: tensor "${name}"`;
    if (name === '' || name === '__metadata__') throw new SafetensorsError(`${where}: invalid tensor name`);
    if (seen.has(name)) throw new SafetensorsError(`${where}: duplicate name`);
    seen.add(name);
    const dtype = t.dtype ?? defaultDType(t.data);
    const size = DTYPE_SIZES[dtype];
    if (size === undefined) throw new SafetensorsError(`${where}: unknown dtype ${dtype}`);
    if (t.data.BYTES_PER_ELEMENT !== size) {
      throw new SafetensorsError(`${where}: dtype ${dtype} needs ${size}-byte elements, got a ${t.data.constructor.name}`);
    }
    const n = numel(t.shape, where);
    if (n !== t.data.length) throw new SafetensorsError(`${where}: shape [${t.shape.join(',')}] needs ${n} elements, data has ${t.data.length}`);
    if (dtype === 'BOOL' && (t.data as Uint8Array).some((v) => v > 1)) throw new SafetensorsError(`${where}: BOOL values must be 0 or 1`);
    return { name, dtype, shape: [...t.shape], data: t.data, size, index: i, begin: 0 };
  });
  const layout = [...plan].sort((a, b) => b.size - a.size || a.index - b.index);
  let offset = 0;
  for (const p of layout) {
    p.begin = offset;
    offset += p.data.byteLength;
  }
  for (const p of plan) setOwn(header, p.name, { dtype: p.dtype, shape: p.shape, data_offsets: [p.begin, p.begin + p.data.byteLength] });

  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)]);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const base = 8 + json.length;
  for (const p of layout) {
    const bytes = new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    out.set(bytes, base + p.begin);
    if (!LITTLE_ENDIAN && p.size > 1) swapBytes(out.subarray(base + p.begin, base + p.begin + bytes.length), p.size);
  }
  return out;
}

/** obj[key] = value as an own property, also for the key '__proto__' (which plain assignment treats as the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses and validates safetensors bytes. Every length, offset, dtype and shape is checked before any tensor
 * byte is touched; tensors must tile the data section exactly (no gaps, no overlaps). `source` names the file.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsContents {
  const bad = (msg: string): SafetensorsError => new SafetensorsError(`${source}: ${msg}`);
  if (bytes.length < 8) throw bad(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw bad(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLen = Number(n);
  if (headerLen > bytes.length - 8) throw bad(`header length ${headerLen} exceeds the ${bytes.length - 8} bytes after the length field (truncated file?)`);
  if (headerLen < 2) throw bad(`header length ${headerLen} is too small for a JSON object`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    throw bad('header is not valid UTF-8');
  }
  if (text[0] !== '{') throw bad('header does not start with "{"');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw bad(`header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header)) throw bad('header is not a JSON object');

  const dataLen = bytes.length - 8 - headerLen;
  const data = bytes.subarray(8 + headerLen);
  const metadata: Record<string, string> = {};
  const parsed: { name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isPlainObject(entry)) throw bad('__metadata__ is not an object');
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') throw bad(`__metadata__ value "${k}" is not a string`);
        setOwn(metadata, k, v);
      }
      continue;
    }
    const where = `tensor "${name}"`;
    if (!isPlainObject(entry)) throw bad(`${where} is not an object`);
    for (const k of Object.keys(entry)) {
      if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') throw bad(`${where} has unknown field "${k}"`);
    }
    const { dtype, shape, data_offsets: offs } = entry;
    if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(DTYPE_SIZES, dtype)) {
      throw bad(`${where} has unknown dtype ${JSON.stringify(dtype)}`);
    }
    if (!Array.isArray(shape)) throw bad(`${where} has no shape array`);
    for (const d of shape) {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) throw bad(`${where} has an invalid dimension ${JSON.stringify(d)} in its shape`);
    }
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
      throw bad(`${where} data_offsets must be two non-negative integers, got ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as number[];
    if (begin > end) throw bad(`${where} data_offsets [${begin}, ${end}] are reversed`);
    if (end > dataLen) throw bad(`${where} data_offsets [${begin}, ${end}] run past the ${dataLen}-byte data section`);
    const size = DTYPE_SIZES[dtype as SafetensorsDType];
    let count: number;
    try {
      count = numel(shape as number[], where);
    } catch (e) {
      throw bad((e as Error).message);
    }
    if (!Number.isSafeInteger(count * size) || end - begin !== count * size) {
      throw bad(`${where} of dtype ${dtype} and shape [${shape.join(',')}] needs ${count * size} bytes, data_offsets span ${end - begin}`);
    }
    parsed.push({ name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end });
  }

  const sorted = [...parsed].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const t of sorted) {
    if (t.begin < cursor) throw bad(`tensor "${t.name}" at [${t.begin}, ${t.end}] overlaps the tensor before it (which ends at ${cursor})`);
    if (t.begin > cursor) throw bad(`bytes [${cursor}, ${t.begin}) of the data section belong to no tensor`);
    cursor = t.end;
  }
  if (cursor !== dataLen) throw bad(`bytes [${cursor}, ${dataLen}) of the data section belong to no tensor`);

  const tensors = new Map<string, TensorView>();
  for (const t of parsed) tensors.set(t.name, { dtype: t.dtype, shape: t.shape, bytes: data.subarray(t.begin, t.end) });
  return { tensors, metadata };
}

/** Copies a tensor's bytes into a fresh, aligned typed array of its dtype (native byte order). */
export function tensorValues(t: TensorView): TypedArray {
  const buf = new ArrayBuffer(t.bytes.length);
  const u8 = new Uint8Array(buf);
  u8.set(t.bytes);
  const size = DTYPE_SIZES[t.dtype];
  if (!LITTLE_ENDIAN && size > 1) swapBytes(u8, size);
  return new ARRAY_FOR[t.dtype](buf);
}

/** Reads and validates a .safetensors file. */
export async function readSafetensorsFile(file: string): Promise<SafetensorsContents> {
  return parseSafetensors(await fsp.readFile(file), file);
}

/** Writes a .safetensors file atomically (the previous file survives any failure mid-write). */
export async function writeSafetensorsFile(
  file: string,
  tensors: Record<string, TensorInput> | Map<string, TensorInput>,
  metadata?: Record<string, string>,
): Promise<void> {
  await writeFileAtomic(file, serializeSafetensors(tensors, metadata));
}
