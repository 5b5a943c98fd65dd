// Weight exchange with PyTorch: state_dict names and layouts (Linear [out, in], Conv2d OIHW, NCHW flatten order) to and from this library's (tfjs's HWIO).

import { ShapeError, ValueError, DTypeError } from '../errors';
import { normalizeDevice, type Device } from '../device';
import type { DataArray } from '../dtype';
import { tensor } from '../ops/creation';
import { clone, toDevice } from '../ops/reshape';
import { noGrad } from '../autograd/tape';
import type { Tensor } from '../tensor';
import type { Layer, LayerVariable } from '../nn/layers/layer';

/**
 * 'tensornode': names `<layer>/<weight>` and this library's layouts, unchanged.
 * 'pytorch': PyTorch `nn.Sequential` state_dict keys (`<module index>.weight`, ...) and PyTorch's layouts.
 */
export type WeightLayout = 'tensornode' | 'pytorch';

export interface WeightExchangeOptions {
  layout?: WeightLayout;
  /**
   * pytorch layout: the state_dict prefix of each layer that has weights, in model order (e.g. ['features.0',
   * 'classifier.1']). Default on export: the layer's index in the model (`0.weight`, `4.bias`), which matches a
   * PyTorch Sequential built module for module (activations, pooling and flatten as their own layers). Default on
   * import: the prefixes found, in natural order (`2` before `10`), matched to the weighted layers in order.
   */
  prefixes?: string[];
  /**
   * pytorch layout: reorder the input rows of a dense layer that follows a flatten of NHWC images from PyTorch's
   * (C, H, W) flatten order to this library's (H, W, C) order (and back on export). Default true.
   */
  permuteFlatten?: boolean;
  /** exportWeights: where the returned tensors live (default 'cpu'). */
  device?: Device;
}

type Host = { data: DataArray; shape: number[] };

/** One PyTorch tensor of a layer: its key suffix, the weight it maps to, and the two layout conversions. */
interface TorchParam {
  suffix: string;
  variable: LayerVariable | null;
  torchShape: number[];
  toTorch(h: Host): Host;
  fromTorch(h: Host): Host;
}

/** Moves axes: out[perm-ordered index] = in[index]; out.shape[i] = shape[perm[i]]. */
export function permuteHost(data: DataArray, shape: readonly number[], perm: readonly number[]): Host {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * shape[i + 1];
  const strideOfOut = perm.map((p) => inStrides[p]);
  const out = new (data.constructor as new (n: number) => DataArray)(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i] * strideOfOut[i];
    out[o] = data[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape: outShape };
}

const identity = (h: Host): Host => h;

/**
 * The (H, W, C) image shape a dense layer's input was flattened from, when the layer follows a Flatten of NHWC
 * images (Dropout and Activation in between keep the order), else null.
 */
function flattenedImageShape(layers: Layer[], i: number): [number, number, number] | null {
  for (let j = i - 1; j >= 0; j--) {
    const l = layers[j];
    if (l.className === 'Dropout' || l.className === 'Activation') continue;
    if (l.className !== 'Flatten') return null;
    const s = l.inputShape;
    if (!s || s.length !== 4 || s.slice(1).some((d) => typeof d !== 'number')) return null;
    return [s[1], s[2], s[3]] as [number, number, number];
  }
  return null;
}

/**
 * Dense kernel [in, out] <-> Linear weight [out, in]. With `image` = (H, W, C), row h*W*C + w*C + c of the kernel is
 * column c*H*W + h*W + w of the PyTorch weight (the same input feature in NCHW flatten order).
 */
function denseKernel(image: [number, number, number] | null): Pick<TorchParam, 'toTorch' | 'fromTorch'> {
  const rowOrder = (n: number): Int32Array => {
    // torchColumn[r] for our row r.
    const order = new Int32Array(n);
    if (!image) {
      for (let r = 0; r < n; r++) order[r] = r;
      return order;
    }
    const [H, W, C] = image;
    for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) order[(h * W + w) * C + c] = c * H * W + h * W + w;
    return order;
  };
  return {
    toTorch: ({ data, shape: [nIn, nOut] }) => {
      const col = rowOrder(nIn);
      const out = new (data.constructor as new (n: number) => DataArray)(data.length);
      for (let r = 0; r < nIn; r++) for (let o = 0; o < nOut; o++) out[o * nIn + col[r]] = data[r * nOut + o];
      return { data: out, shape: [nOut, nIn] };
    },
    fromTorch: ({ data, shape: [nOut, nIn] }) => {
      const col = rowOrder(nIn);
      const out = new (data.constructor as new (n: number) => DataArray)(data.length);
      for (let r = 0; r < nIn; r++) for (let o = 0; o < nOut; o++) out[r * nOut + o] = data[o * nIn + col[r]];
      return { data: out, shape: [nIn, nOut] };
    },
  };
}

function weightNamed(layer: Layer, short: string): LayerVariable | null {
  return layer.weights.find((v) => v.name === `${layer.name}/${short}`) ?? null;
}

/** The PyTorch tensors of a weighted layer, in state_dict order; throws for layers PyTorch has no counterpart for. */
function torchParams(layers: Layer[], i: number, permuteFlatten: boolean): TorchParam[] {
  const layer = layers[i];
  const params: TorchParam[] = [];
  const add = (suffix: string, short: string, toTorchShape: (s: number[]) => number[], conv: Pick<TorchParam, 'toTorch' | 'fromTorch'>): void => {
    const v = weightNamed(layer, short);
    if (v) params.push({ suffix, variable: v, torchShape: toTorchShape([...v.shape]), ...conv });
  };
  switch (layer.className) {
    case 'Dense':
      add('weight', 'kernel', ([a, b]) => [b, a], denseKernel(permuteFlatten ? flattenedImageShape(layers, i) : null));
      add('bias', 'bias', (s) => s, { toTorch: identity, fromTorch: identity });
      break;
    case 'Conv2D':
      // Ours [kh, kw, in, out] (HWIO, as tfjs/Keras); PyTorch's OIHW.
      add('weight', 'kernel', ([kh, kw, ci, o]) => [o, ci, kh, kw], {
        toTorch: (h) => permuteHost(h.data, h.shape, [3, 2, 0, 1]),
        fromTorch: (h) => permuteHost(h.data, h.shape, [2, 3, 1, 0]),
      });
      add('bias', 'bias', (s) => s, { toTorch: identity, fromTorch: identity });
      break;
    case 'BatchNormalization': {
      const same = { toTorch: identity, fromTorch: identity };
      const gamma = weightNamed(layer, 'gamma');
      const beta = weightNamed(layer, 'beta');
      // PyTorch's affine batch norm has both or neither.
      if (!!gamma !== !!beta) throw new ValueError(`pytorch layout: batch normalization '${layer.name}' has only one of scale/center; PyTorch's affine has both or neither`);
      add('weight', 'gamma', (s) => s, same);
      add('bias', 'beta', (s) => s, same);
      add('running_mean', 'moving_mean', (s) => s, same);
      add('running_var', 'moving_variance', (s) => s, same);
      // PyTorch counts batches for momentum=None; tensornode does not, so it is exported as 0 and ignored on import.
      params.push({ suffix: 'num_batches_tracked', variable: null, torchShape: [], toTorch: identity, fromTorch: identity });
      break;
    }
    default:
      throw new ValueError(`pytorch layout: no PyTorch mapping for the weights of layer '${layer.name}' (${layer.className}); supported: Dense, Conv2D, BatchNormalization`);
  }
  return params;
}

function layersOf(model: { layers: Layer[] }, what: string): Layer[] {
  if (!model || !Array.isArray(model.layers)) throw new ValueError(`${what}: expected a model with layers`);
  if (!model.layers.every((l) => l.built)) throw new ValueError(`${what}: build the model first (give the first layer an inputShape, or run predict once)`);
  return model.layers;
}

/** Indices of the layers that have weights. */
const weighted = (layers: Layer[]): number[] => layers.flatMap((l, i) => (l.weights.length > 0 ? [i] : []));

function checkPrefixes(prefixes: string[] | undefined, n: number, what: string): void {
  if (prefixes === undefined) return;
  if (!Array.isArray(prefixes) || prefixes.length !== n || prefixes.some((p) => typeof p !== 'string' || p === '')) {
    throw new ValueError(`${what}: 'prefixes' must list ${n} non-empty strings (one per layer with weights), got ${JSON.stringify(prefixes)}`);
  }
  if (new Set(prefixes).size !== n) throw new ValueError(`${what}: 'prefixes' has duplicates: ${JSON.stringify(prefixes)}`);
}

/**
 * Copies of the model's weights by name. Layout 'tensornode': `<layer>/<weight>` in this library's layouts. Layout
 * 'pytorch': the keys and layouts PyTorch's `load_state_dict` expects for the equivalent `nn.Sequential`:
 * Dense kernel [in, out] -> Linear `weight` [out, in] (rows reordered to C, H, W flatten order when the dense layer
 * follows a Flatten of images); Conv2D kernel [kh, kw, in, out] -> Conv2d `weight` [out, in, kh, kw]; BatchNormalization
 * gamma/beta/moving_mean/moving_variance -> weight/bias/running_mean/running_var (+ num_batches_tracked = 0, int32).
 * The caller owns (and disposes) the returned tensors; save them with saveTensors() for `safetensors.torch.load_file`.
 */
export async function exportWeights(model: { layers: Layer[] }, opts: WeightExchangeOptions = {}): Promise<Map<string, Tensor>> {
  const what = 'exportWeights';
  const layers = layersOf(model, what);
  const device = normalizeDevice(opts.device ?? 'cpu', `${what}: device`);
  const out = new Map<string, Tensor>();
  const layout = opts.layout ?? 'tensornode';
  if (layout === 'tensornode') {
    for (const l of layers) for (const v of l.weights) out.set(v.name, noGrad(() => (v.value.device === device ? clone(v.value) : toDevice(v.value, device))));
    return out;
  }
  if (layout !== 'pytorch') throw new ValueError(`${what}: unknown layout ${JSON.stringify(layout)} (expected 'tensornode' or 'pytorch')`);
  const idx = weighted(layers);
  checkPrefixes(opts.prefixes, idx.length, what);
  const plan = idx.map((li, k) => ({ prefix: opts.prefixes?.[k] ?? String(li), params: torchParams(layers, li, opts.permuteFlatten ?? true) }));
  const values = await Promise.all(plan.flatMap((p) => p.params.map((q) => (q.variable ? q.variable.value.data() : Promise.resolve(null)))));
  let k = 0;
  try {
    for (const p of plan) {
      for (const q of p.params) {
        const data = values[k++];
        const h = data ? q.toTorch({ data, shape: [...q.variable!.shape] }) : { data: new Int32Array(1), shape: [] };
        out.set(`${p.prefix}.${q.suffix}`, tensor(h.data, h.shape, { device, dtype: h.data instanceof Int32Array ? 'int32' : 'float32' }));
      }
    }
  } catch (e) {
    for (const t of out.values()) t.dispose();
    throw e;
  }
  return out;
}

/** Splits `a.b.3.weight` into ('a.b.3', 'weight'). */
function splitKey(key: string): [string, string] {
  const cut = key.lastIndexOf('.');
  return cut <= 0 ? ['', key] : [key.slice(0, cut), key.slice(cut + 1)];
}

/** Natural order of dotted prefixes: numeric parts compare as numbers ('2' < '10'). */
function comparePrefixes(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const na = /^\d+$/.test(pa[i]);
    const nb = /^\d+$/.test(pb[i]);
    const c = na && nb ? Number(pa[i]) - Number(pb[i]) : pa[i] < pb[i] ? -1 : pa[i] > pb[i] ? 1 : 0;
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

/**
 * Overwrites the model's weights from tensors by name (e.g. `loadTensors(file).tensors`), converting from `layout`
 * (see exportWeights for the mapping). Every tensor is checked before any weight changes: each weight needs exactly
 * one tensor of the right shape (after conversion) and dtype float32, and unknown names are rejected (ValueError for
 * names, ShapeError for shapes, DTypeError for dtypes, each naming the key, layer and expected vs actual shape).
 * The tensors stay the caller's.
 */
export async function importWeights(
  model: { layers: Layer[] },
  tensors: Map<string, Tensor> | Record<string, Tensor>,
  opts: WeightExchangeOptions = {},
): Promise<void> {
  const what = 'importWeights';
  const layers = layersOf(model, what);
  const byName = tensors instanceof Map ? new Map(tensors) : new Map(Object.entries(tensors ?? {}));
  const layout = opts.layout ?? 'tensornode';
  // [weight, source key, host values in our layout]
  const assignments: { v: LayerVariable; key: string; fetch: () => Promise<Host> }[] = [];
  const used = new Set<string>();
  const take = (key: string, expectShape: number[], where: string): Tensor => {
    const t = byName.get(key);
    if (!t) throw new ValueError(`${what}: missing '${key}' for ${where} (expected shape [${expectShape.join(', ')}])`);
    if (t.shape.join(',') !== expectShape.join(',')) throw new ShapeError(`${what}: '${key}' for ${where} has shape [${t.shape.join(', ')}], expected [${expectShape.join(', ')}]`);
    used.add(key);
    return t;
  };
  const float = (t: Tensor, key: string): void => {
    if (t.dtype !== 'float32') throw new DTypeError(`${what}: '${key}' has dtype ${t.dtype}, expected float32`);
  };

  if (layout === 'tensornode') {
    for (const l of layers) {
      for (const v of l.weights) {
        const t = take(v.name, [...v.shape], `layer '${l.name}'`);
        if (t.dtype !== v.value.dtype) throw new DTypeError(`${what}: '${v.name}' has dtype ${t.dtype}, expected ${v.value.dtype}`);
        assignments.push({ v, key: v.name, fetch: async () => ({ data: await t.data(), shape: [...t.shape] }) });
      }
    }
  } else if (layout === 'pytorch') {
    const idx = weighted(layers);
    checkPrefixes(opts.prefixes, idx.length, what);
    let prefixes = opts.prefixes;
    if (!prefixes) {
      prefixes = [...new Set([...byName.keys()].map((k) => splitKey(k)[0]))].sort(comparePrefixes);
      if (prefixes.length !== idx.length) {
        throw new ValueError(
          `${what}: the tensors hold ${prefixes.length} modules with parameters [${prefixes.join(', ')}], the model has ${idx.length} layers with weights [${idx.map((i) => layers[i].name).join(', ')}]`,
        );
      }
    }
    idx.forEach((li, k) => {
      const layer = layers[li];
      for (const q of torchParams(layers, li, opts.permuteFlatten ?? true)) {
        const key = `${prefixes![k]}.${q.suffix}`;
        if (!q.variable) {
          // num_batches_tracked: optional, ignored.
          if (byName.has(key)) used.add(key);
          continue;
        }
        const t = take(key, q.torchShape, `layer '${layer.name}' (${layer.className} ${q.variable.name.slice(layer.name.length + 1)})`);
        float(t, key);
        assignments.push({ v: q.variable, key, fetch: async () => q.fromTorch({ data: await t.data(), shape: [...t.shape] }) });
      }
    });
  } else {
    throw new ValueError(`${what}: unknown layout ${JSON.stringify(layout)} (expected 'tensornode' or 'pytorch')`);
  }
  const extra = [...byName.keys()].filter((k) => !used.has(k));
  if (extra.length > 0) throw new ValueError(`${what}: unexpected tensors ${extra.map((k) => `'${k}'`).join(', ')} (no weight of the model maps to them)`);

  const hosts = await Promise.all(assignments.map((a) => a.fetch()));
  assignments.forEach(({ v }, i) => {
    const t = tensor(hosts[i].data, hosts[i].shape, { device: v.value.device, dtype: v.value.dtype });
    try {
      v.assign(t);
    } finally {
      t.dispose();
    }
  });
}
