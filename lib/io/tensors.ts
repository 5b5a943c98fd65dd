// Tensors to and from safetensors files: float32/int32 stored as F32/I32; common PyTorch dtypes converted on load.

import * as fs from 'fs';
import * as path from 'path';

import { DTypeError, ValueError } from '../errors';
import { tensor, type CreateOptions } from '../ops/creation';
import type { Tensor } from '../tensor';
import { readSafetensorsFile, SafetensorsError, tensorValues, type TensorInput, type TensorView, writeSafetensorsFile } from './safetensors';

/** Writes tensors (awaiting their values) to `file` atomically, as F32 / I32. */
export async function saveTensors(file: string, tensors: Record<string, Tensor> | Map<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new ValueError(`saveTensors: 'file' ${JSON.stringify(file)}: directory ${JSON.stringify(dir)} does not exist`);
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const out = new Map<string, TensorInput>();
  for (const [name, t] of entries) out.set(name, { data: await t.data(), shape: t.shape });
  await writeSafetensorsFile(file, out, metadata);
}

function bf16ToF32(bits: Uint16Array): Float32Array {
  const u = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) u[i] = bits[i] << 16;
  return new Float32Array(u.buffer);
}

function f16ToF32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24; // subnormal
    else if (exp === 31) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

/**
 * The values of a stored tensor as float32 or int32. F32/I32 are exact; F64, F16 and BF16 become float32
 * (rounded); integer and BOOL types become int32, and an I64/U32/U64 value outside int32 range is an error.
 */
export function viewToHost(name: string, v: TensorView): Float32Array | Int32Array {
  const values = tensorValues(v);
  switch (v.dtype) {
    case 'F32':
    case 'I32':
      return values as Float32Array | Int32Array;
    case 'F64':
      return Float32Array.from(values as Float64Array);
    case 'BF16':
      return bf16ToF32(values as Uint16Array);
    case 'F16':
      return f16ToF32(values as Uint16Array);
    case 'I64':
    case 'U64':
    case 'U32': {
      const out = new Int32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const x = Number(values[i]);
        if (x < -2147483648 || x > 2147483647) throw new DTypeError(`loadTensors: tensor "${name}" (${v.dtype}) holds ${values[i]}, outside int32 range`);
        out[i] = x;
      }
      return out;
    }
    case 'I16':
    case 'I8':
    case 'U16':
    case 'U8':
    case 'BOOL':
      return Int32Array.from(values as ArrayLike<number>);
    default:
      throw new SafetensorsError(`loadTensors: tensor "${name}" has dtype ${v.dtype}, which tensornode cannot load`);
  }
}

/** Reads every tensor of a safetensors file onto `opts.device` (header order kept), plus the file's metadata. */
export async function loadTensors(file: string, opts: Omit<CreateOptions, 'dtype'> = {}): Promise<{ tensors: Map<string, Tensor>; metadata: Record<string, string> }> {
  const contents = await readSafetensorsFile(file);
  const tensors = new Map<string, Tensor>();
  try {
    for (const [name, v] of contents.tensors) {
      const host = viewToHost(name, v);
      tensors.set(name, tensor(host, v.shape, { ...opts, dtype: host instanceof Int32Array ? 'int32' : 'float32' }));
    }
  } catch (e) {
    for (const t of tensors.values()) t.dispose();
    throw e;
  }
  return { tensors, metadata: contents.metadata };
}
