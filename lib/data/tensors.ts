// Bridges plain arrays (what the loaders return) and Tensors: one array or a whole batch at a time.

import { ArrayND } from './array';
import { tensor, type CreateOptions } from '../ops/creation';
import type { Tensor } from '../tensor';

/** A Tensor holding `a` (Int32Array stays int32; Float32Array and Uint8Array become float32 unless opts.dtype says otherwise). */
export function toTensor(a: ArrayND, opts: CreateOptions = {}): Tensor {
  return tensor(a.data, a.shape, opts);
}

/** Every array of a batch as a Tensor (e.g. `loader.map((b) => toTensors(b, {device: 'cuda:0'}))`). */
export function toTensors<T extends Record<string, ArrayND>>(batch: T, opts: CreateOptions = {}): { [K in keyof T]: Tensor } {
  const out = {} as { [K in keyof T]: Tensor };
  for (const k of Object.keys(batch) as (keyof T)[]) out[k] = toTensor(batch[k], opts);
  return out;
}

/** A tensor's values back as a plain array (awaits the device; never blocks the event loop). */
export async function fromTensor(t: Tensor): Promise<ArrayND<Float32Array | Int32Array | Uint8Array>> {
  return { data: await t.data(), shape: [...t.shape] };
}
