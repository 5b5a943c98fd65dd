// weights.bin of the tfjs layers-model format: the weightsManifest's groups (each a list of shard files read as one
// byte stream) and their weights in order, little-endian float32/int32, or quantized uint8/uint16/float16.
// Everything is checked against the manifest (names, shapes, byte counts, paths inside the model directory) first.
import * as path from 'path';
import { promises as fsp } from 'fs';
import { ModelFileError } from '../model_files';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
  /** tfjs's weight group: 'model' (or absent) for the architecture's weights, 'optimizer' for the optimizer's state. */
  group?: string;
}

export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** Largest weight accepted (elements): 2^31, beyond any real layer, so a hostile shape cannot ask for terabytes. */
const MAX_WEIGHT_ELEMENTS = 2 ** 31;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const bytesPerValue = (s: WeightSpec): number => (s.quantization ? (s.quantization.dtype === 'uint8' ? 1 : 2) : 4);
export const elementsOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Checks the manifest's structure; returns it typed. */
export function checkManifest(file: string, manifest: unknown): WeightGroup[] {
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: weightsManifest ${msg}`);
  if (!Array.isArray(manifest)) throw bad('must be a list of {paths, weights} groups');
  const names = new Set<string>();
  return manifest.map((g, gi) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw bad(`[${gi}] must be {paths: [...], weights: [...]}`);
    if (!g.paths.every((p) => typeof p === 'string' && p.length > 0)) throw bad(`[${gi}].paths must be non-empty strings`);
    const weights = g.weights.map((w, wi): WeightSpec => {
      const where = `[${gi}].weights[${wi}]`;
      if (!isObject(w) || typeof w.name !== 'string') throw bad(`${where} must be {name, shape, dtype}`);
      if (!Array.isArray(w.shape) || !w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) throw bad(`${where} ('${w.name}'): shape must be non-negative integers, got ${JSON.stringify(w.shape)}`);
      if (elementsOf(w.shape as number[]) > MAX_WEIGHT_ELEMENTS) throw bad(`${where} ('${w.name}'): shape [${w.shape}] exceeds ${MAX_WEIGHT_ELEMENTS} elements`);
      if (w.dtype !== 'float32' && w.dtype !== 'int32') throw bad(`${where} ('${w.name}'): dtype ${JSON.stringify(w.dtype)} is not supported (float32, int32)`);
      if (names.has(w.name)) throw bad(`names the weight '${w.name}' twice`);
      names.add(w.name);
      const q = w.quantization;
      if (q !== undefined) {
        if (!isObject(q) || !['uint8', 'uint16', 'float16'].includes(q.dtype as string)) throw bad(`${where} ('${w.name}'): quantization dtype must be uint8, uint16 or float16`);
        if (q.dtype !== 'float16' && !(Number.isFinite(q.scale) && Number.isFinite(q.min))) throw bad(`${where} ('${w.name}'): ${q.dtype} quantization needs finite 'scale' and 'min'`);
        if (q.dtype === 'float16' && w.dtype !== 'float32') throw bad(`${where} ('${w.name}'): float16 quantization is for float32 weights`);
      }
      if (w.group !== undefined && typeof w.group !== 'string') throw bad(`${where} ('${w.name}'): group must be a string`);
      const group = w.group === undefined ? {} : { group: w.group as string };
      return { name: w.name, shape: [...(w.shape as number[])], dtype: w.dtype, ...(q ? { quantization: q as WeightSpec['quantization'] } : {}), ...group };
    });
    return { paths: [...(g.paths as string[])], weights };
  });
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** The values of one weight from its bytes (dequantized to its dtype). */
export function decodeWeight(spec: WeightSpec, bytes: Uint8Array): Float32Array | Int32Array {
  const n = elementsOf(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = spec.quantization;
  const out = spec.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  if (!q) {
    for (let i = 0; i < n; i++) out[i] = spec.dtype === 'int32' ? view.getInt32(4 * i, true) : view.getFloat32(4 * i, true);
  } else if (q.dtype === 'float16') {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  } else {
    const get = q.dtype === 'uint8' ? (i: number) => view.getUint8(i) : (i: number) => view.getUint16(2 * i, true);
    for (let i = 0; i < n; i++) {
      const v = get(i) * q.scale! + q.min!;
      out[i] = spec.dtype === 'int32' ? Math.round(v) : v;
    }
  }
  return out;
}

/**
 * Reads every group's shards (paths relative to the model.json's directory, which they may not leave), checks that
 * their total size is exactly what the group's weights take, and decodes the weights: name -> values.
 */
export async function readWeights(modelFile: string, groups: WeightGroup[]): Promise<Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }>> {
  const out = new Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }>();
  for (const g of groups) decodeAll(g.weights, await readGroupBytes(modelFile, g), out);
  return out;
}

/** The bytes of one group's shards (paths relative to the model.json's directory, which they may not leave), checked in size. */
export async function readGroupBytes(modelFile: string, g: WeightGroup): Promise<Buffer> {
  const dir = path.dirname(path.resolve(modelFile));
  const files = g.paths.map((p) => {
    const full = path.resolve(dir, p);
    if (full !== dir && !full.startsWith(dir + path.sep)) throw new ModelFileError(`${modelFile}: weight file '${p}' lies outside the model's directory`);
    return full;
  });
  const expected = byteSize(g.weights);
  const sizes = await Promise.all(
    files.map((f) =>
      fsp.stat(f).then(
        (st) => st.size,
        () => {
          throw new ModelFileError(`${f}: not found (listed in ${modelFile}'s weightsManifest)`);
        },
      ),
    ),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== expected) {
    throw new ModelFileError(`${files.join(' + ')}: ${total} bytes, but the weightsManifest's weights [${g.weights.map((w) => w.name).join(', ')}] take ${expected}`);
  }
  return Buffer.concat(await Promise.all(files.map((f) => fsp.readFile(f))));
}

/** Bytes the weights of `specs` take, back to back. */
export const byteSize = (specs: WeightSpec[]): number => specs.reduce((s, w) => s + elementsOf(w.shape) * bytesPerValue(w), 0);

/** Decodes `specs`' weights from `bytes` (already checked to be byteSize(specs) long) into `out`. */
export function decodeAll(specs: WeightSpec[], bytes: Uint8Array, out: Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }>): void {
  let offset = 0;
  for (const w of specs) {
    const size = elementsOf(w.shape) * bytesPerValue(w);
    out.set(w.name, { spec: w, values: decodeWeight(w, bytes.subarray(offset, offset + size)) });
    offset += size;
  }
}
