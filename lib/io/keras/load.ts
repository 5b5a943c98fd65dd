// loadKerasModel(path): a Keras 3 .keras file (zip: config.json + model.weights.h5) as a tensornode model, through
// yauzl (zip) and jsfive (HDF5). The archive, the config and the weight shapes are checked before the model is
// built, the build refuses any weight larger than the file holds, and every weight must match in count and shape.
import { promises as fsp } from 'fs';
import { File, type Dataset, type Group } from 'jsfive';
import { getDefaultDevice, normalizeDevice, type Device } from '../../device';
import type { Layer } from '../../nn/layers/layer';
import type { LayersModel } from '../../models/layers_model';
import { Container } from '../../models/container';
import { assignAll, buildWithinBudget } from '../build_model';
import { ModelFileError, MAX_MODEL_JSON_BYTES } from '../model_files';
import { convertModelConfig, h5Keys, snake as snakeName, type H5Key } from './config';
import { readZipMembers } from './zip';

export interface LoadKerasModelOptions {
  device?: Device;
}

/** Largest .keras file read (its weights are held in memory while loading). */
const MAX_KERAS_BYTES = 2 ** 31 - 1;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isGroup = (v: unknown): v is Group => !!v && Array.isArray((v as Group).keys);

/** name -> dataset of every weight variable under `group` (Keras 3 keeps a layer's variables in vars/0, vars/1, ...). */
function layerVars(group: Group | null): Dataset[] {
  const vars = group?.get('vars');
  if (!isGroup(vars)) return [];
  return vars.keys
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => vars.get(k) as Dataset);
}

/**
 * A recurrent layer's variables, which Keras 3 keeps with its cell: `cell/vars`, or for stacked cells
 * `cell/cells/<key>/vars` per cell in order (keys: the snake_case class name, numbered from the second of a class).
 */
function cellVars(group: Group | null, layer: Layer): { data: Dataset[]; where: string } | null {
  const cell = group?.get('cell');
  if (!isGroup(cell)) return null;
  const direct = layerVars(cell);
  if (direct.length > 0) return { data: direct, where: 'cell/vars' };
  const cells = cell.get('cells');
  const spec = (layer.getConfig().cell as { config?: { cells?: { className?: string }[] } } | undefined)?.config?.cells;
  if (!isGroup(cells) || !Array.isArray(spec)) return null;
  const seen = new Map<string, number>();
  const data = spec.flatMap((c) => {
    const base = snakeName(String(c.className));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const g = cells.get(n === 0 ? base : `${base}_${n}`);
    return isGroup(g) ? layerVars(g) : [];
  });
  return { data, where: 'cell/cells/*/vars' };
}

/** Every dataset's element count in the file (the weight budget of the build). */
function largestDataset(g: Group, depth = 0): number {
  if (depth > 32) return 0;
  let best = 0;
  for (const k of g.keys) {
    const v = g.get(k);
    if (isGroup(v)) best = Math.max(best, largestDataset(v, depth + 1));
    else if (v && Array.isArray((v as Dataset).shape)) best = Math.max(best, (v as Dataset).shape.reduce((a, b) => a * b, 1));
  }
  return best;
}

/** Pairs each weighted layer of `model` (recursing into nested models) with its variables in the HDF5 file. */
function collect(model: Container, keys: Map<string, H5Key>, group: Group | null, out: { layer: Layer; data: Dataset[]; where: string }[], where: string): void {
  const layersGroup = group?.get('layers');
  for (const layer of model.layers) {
    const k = keys.get(layer.name);
    const g = k && isGroup(layersGroup) ? layersGroup.get(k.key) : null;
    const sub = isGroup(g) ? g : null;
    const path = `${where}layers/${k?.key ?? layer.name}`;
    if (layer instanceof Container) {
      collect(layer, k?.inner ?? new Map(), sub, out, `${path}/`);
    } else if (layer.weights.length > 0) {
      const own = layerVars(sub);
      const cell = own.length === 0 ? cellVars(sub, layer) : null;
      out.push(cell ? { layer, data: cell.data, where: `${path}/${cell.where}` } : { layer, data: own, where: `${path}/vars` });
    }
  }
}

export async function loadKerasModel(file: string, opts: LoadKerasModelOptions = {}): Promise<LayersModel> {
  if (typeof file !== 'string' || file === '') throw new ModelFileError(`loadKerasModel: expected a path to a .keras file, got ${JSON.stringify(file)}`);
  const device = opts.device === undefined ? getDefaultDevice() : normalizeDevice(opts.device, 'loadKerasModel: device');
  const st = await fsp.stat(file).catch(() => null);
  if (!st || !st.isFile()) throw new ModelFileError(`${file}: not found`);
  if (st.size > MAX_KERAS_BYTES) throw new ModelFileError(`${file}: ${st.size} bytes exceeds the ${MAX_KERAS_BYTES}-byte limit`);
  const bytes = await fsp.readFile(file);
  const members = await readZipMembers(file, bytes, {
    wanted: { 'config.json': MAX_MODEL_JSON_BYTES, 'model.weights.h5': MAX_KERAS_BYTES },
    maxEntries: 64,
  });
  const bad = (msg: string): ModelFileError => new ModelFileError(`${file}: ${msg}`);
  const configBytes = members.get('config.json');
  const weightBytes = members.get('model.weights.h5');
  if (!configBytes) throw bad(`no config.json in the archive (is this a Keras 3 .keras file?)`);
  if (!weightBytes) throw bad(`no model.weights.h5 in the archive`);
  let json: unknown;
  try {
    json = JSON.parse(configBytes.toString('utf8'));
  } catch (e) {
    throw bad(`config.json is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json) || typeof json.class_name !== 'string' || !isObject(json.config)) throw bad(`config.json must be {class_name, config}`);
  const cls = json.class_name;
  if (cls !== 'Sequential' && cls !== 'Functional' && cls !== 'Model') throw bad(`config.json: model class ${JSON.stringify(cls)} is not supported (Sequential, Functional)`);
  const config = convertModelConfig(file, cls, json.config);

  let h5: File;
  try {
    const ab = weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength) as ArrayBuffer;
    h5 = new File(ab, 'model.weights.h5');
  } catch (e) {
    throw bad(`model.weights.h5 is not a readable HDF5 file (${(e as Error).message})`);
  }
  let budget: number;
  try {
    budget = largestDataset(h5);
  } catch (e) {
    throw bad(`model.weights.h5 cannot be read (${(e as Error).message})`);
  }

  const model = buildWithinBudget(file, cls === 'Sequential', config, device, budget);
  try {
    const pairs: { layer: Layer; data: Dataset[]; where: string }[] = [];
    collect(model, h5Keys(cls, json.config), h5, pairs, '');
    const values = pairs.map(({ layer, data, where }) => {
      const vars = layer.weights;
      if (data.length !== vars.length) throw bad(`model.weights.h5: ${where} holds ${data.length} variables, but layer '${layer.name}' (${layer.className}) has ${vars.length}`);
      return vars.map((v, i) => {
        const d = data[i];
        const shape = Array.isArray(d?.shape) ? d.shape : [];
        if (shape.join(',') !== v.shape.join(',')) throw bad(`model.weights.h5: ${where}/${i} has shape [${shape.join(', ')}], but '${v.name}' expects [${v.shape.join(', ')}]`);
        let arr: ArrayLike<number>;
        try {
          arr = d.value;
        } catch (e) {
          throw bad(`model.weights.h5: ${where}/${i} cannot be read (${(e as Error).message})`);
        }
        if (!arr || arr.length !== v.value.size) throw bad(`model.weights.h5: ${where}/${i} holds ${arr?.length} values for shape [${v.shape.join(', ')}]`);
        return { v, arr };
      });
    });
    assignAll(values.flat(), device);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
