// Reading older model directories: converts what an earlier format version stored differently into today's layout.
import { permuteHost } from './pytorch';
import type { SafetensorsContents, TensorView } from './safetensors';

/**
 * Format versions:
 * 1: Conv2D kernels stored [filters, kh, kw, inChannels] (the native kernel's layout at the time).
 * 2: Conv2D kernels stored [kh, kw, inChannels, filters], as tfjs and Keras (the public layout since).
 * 3: weights of wrapped layers named under the wrapper as tfjs names them ('bi/forward_lstm/kernel' for
 *    Bidirectional, 'td/kernel' for TimeDistributed); versions 1-2 stored 'forward_lstm/kernel' and 'dense/kernel'.
 */
export const MODEL_FORMAT_VERSION = 3;
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];

/** [O, kh, kw, I] -> [kh, kw, I, O]. */
const OHWI_TO_HWIO = [1, 2, 3, 0];

/**
 * Reorders a 4-byte-element view's values by `perm` (out.shape[i] = shape[perm[i]]). The 32-bit words move as they
 * are, so byte order and dtype (F32 or I32) are kept.
 */
function permuteView(v: TensorView, perm: readonly number[]): TensorView {
  const aligned = new Uint8Array(v.bytes); // a copy: the file's view may be unaligned
  const words = new Uint32Array(aligned.buffer, 0, aligned.byteLength / 4) as unknown as Int32Array;
  const out = permuteHost(words, v.shape, perm);
  return { dtype: v.dtype, shape: out.shape, bytes: new Uint8Array(out.data.buffer) };
}

/** Names of the weights whose stored layout changed after `version`: the Conv2D kernels for version 1. */
function convKernelNames(layers: { className: string; config: Record<string, unknown> }[]): string[] {
  return layers.filter((l) => l.className === 'Conv2D' && typeof l.config.name === 'string').map((l) => `${l.config.name}/kernel`);
}

/**
 * Converts the stored weights (and optimizer slots `<weight>/<slot>`) of a model file of format `version` to the
 * current layout, in place. Shapes and dtypes are validated afterwards, against the architecture, as for any file.
 */
export function upgradeStoredTensors(
  version: number,
  layers: { className: string; config: Record<string, unknown> }[],
  weightsManifest: { name: string; shape: number[] }[],
  files: (SafetensorsContents | null)[],
): void {
  if (version < 3) renameWrappedWeights(layers, weightsManifest, files);
  if (version >= 2) return;
  const kernels = new Set(convKernelNames(layers));
  const owner = (key: string): string | null => {
    if (kernels.has(key)) return key;
    const cut = key.lastIndexOf('/');
    return cut > 0 && kernels.has(key.slice(0, cut)) ? key.slice(0, cut) : null;
  };
  for (const contents of files) {
    if (!contents) continue;
    for (const [key, view] of contents.tensors) {
      if (owner(key) !== null && view.shape.length === 4 && (view.dtype === 'F32' || view.dtype === 'I32')) {
        contents.tensors.set(key, permuteView(view, OHWI_TO_HWIO));
      }
    }
  }
  for (const w of weightsManifest) if (kernels.has(w.name) && w.shape.length === 4) w.shape = OHWI_TO_HWIO.map((p) => w.shape[p]);
}

/** Old -> new name prefixes of wrapped layers' weights (format 3 names them under the wrapper, as tfjs). */
function wrapperRenames(layers: { className: string; config: Record<string, unknown> }[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const l of layers) {
    const wrapper = l.config.name;
    const inner = (l.config.layer as { config?: { name?: unknown } } | undefined)?.config?.name;
    if (typeof wrapper !== 'string' || typeof inner !== 'string') continue;
    if (l.className === 'Bidirectional') {
      for (const dir of ['forward', 'backward']) renames.set(`${dir}_${inner}`, `${wrapper}/${dir}_${inner}`);
    } else if (l.className === 'TimeDistributed') {
      renames.set(inner, wrapper);
    }
  }
  return renames;
}

/** Renames stored weights (and their optimizer slots '<weight>/<slot>') of wrapped layers to format 3's names. */
function renameWrappedWeights(
  layers: { className: string; config: Record<string, unknown> }[],
  weightsManifest: { name: string }[],
  files: (SafetensorsContents | null)[],
): void {
  const renames = wrapperRenames(layers);
  if (renames.size === 0) return;
  const rename = (key: string): string => {
    const cut = key.indexOf('/');
    const to = cut > 0 ? renames.get(key.slice(0, cut)) : undefined;
    return to === undefined ? key : to + key.slice(cut);
  };
  for (const w of weightsManifest) w.name = rename(w.name);
  for (const contents of files) {
    if (!contents) continue;
    const entries = [...contents.tensors];
    contents.tensors.clear();
    for (const [key, view] of entries) contents.tensors.set(rename(key), view);
  }
}
