// loadKerasModel(path): a Keras 3 .keras file (zip: config.json + model.weights.h5) as a tensornode model, through
// yauzl (zip) and jsfive (HDF5). The archive and the config are checked first; the model is then built with each
// weight taken from its layer's HDF5 variables (count and shape checked before it is allocated; no initializer runs).
import { promises as fsp } from 'fs';
import { File, type Dataset, type Group } from 'jsfive';
import { getDefaultDevice, normalizeDevice, type Device } from '../../device';
import type { LayersModel } from '../../models/layers_model';
import { asDType, buildFromFile, NonFiniteReport, type WeightCheckOptions } from '../build_model';
import { checkUnknownLayerOptions, type ExtraKeys } from '../config_check';
import { ModelFileError, MAX_MODEL_JSON_BYTES } from '../model_files';
import { convertModelConfig, h5Keys, snake as snakeName, type H5Key } from './config';
import { readZipMembers } from './zip';

export interface LoadKerasModelOptions extends WeightCheckOptions {
  device?: Device;
}

/** Largest .keras file read (its weights are held in memory while loading). */
const MAX_KERAS_BYTES = 2 ** 31 - 1;
/** Keys Keras 3 writes that tensornode's layers have no use for (null values pass anyway). */
const KERAS_EXTRA_KEYS: ExtraKeys = new Map<string, (v: unknown) => boolean>([
  // Conv2DTranspose's dilation: Keras writes [1, 1]; only that is honoured (another value is refused).
  ['dilationRate', (v: unknown) => (Array.isArray(v) ? v.every((d) => d === 1) : v === 1)],
  // RNN: only matters with masking; false is Keras's default.
  ['zeroOutputForMask', (v: unknown) => v === false],
  // InputLayer flags whose default (false) is what tensornode does.
  ['ragged', (v: unknown) => v === false],
  ['optional', (v: unknown) => v === false],
  // Options whose Keras default is tensornode's only behaviour; another value would change the model: refused.
  ['groups', (v: unknown) => v === 1],
  ['synchronized', (v: unknown) => v === false],
  ['renorm', (v: unknown) => v === false],
  ['renormMomentum', (v: unknown) => typeof v === 'number'], // only read when renorm is on
  ['rmsScaling', (v: unknown) => v === false],
  ['seed', (v: unknown) => typeof v === 'number'], // a dropout seed: tensornode draws from its own generator
]);
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
 * A weighted layer's variables in the file: where (for messages) and its datasets in vars/0, vars/1, ... order; a
 * recurrent layer's are found with its cell once the layer is known (`group` kept for that).
 */
interface StoredLayer {
  where: string;
  data: Dataset[];
  path: string;
  group: Group | null;
}

/**
 * A recurrent layer's variables, which Keras 3 keeps with its cell: `cell/vars`, or for stacked cells
 * `cell/cells/<key>/vars` per cell in order (keys: the snake_case class name, numbered from the second of a class).
 */
function cellVars(group: Group | null, layerConfig: Record<string, unknown>): { data: Dataset[]; where: string } | null {
  const cell = group?.get('cell');
  if (!isGroup(cell)) return null;
  const direct = layerVars(cell);
  if (direct.length > 0) return { data: direct, where: 'cell/vars' };
  const cells = cell.get('cells');
  const spec = (layerConfig.cell as { config?: { cells?: { className?: string }[] } } | undefined)?.config?.cells;
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

/**
 * layer name -> its variables, for every layer of the config (recursing into nested models), found through the
 * Keras 3 group names (h5Keys). A name used twice (in different nested models) cannot be told apart by name: null.
 */
function storedLayers(keys: Map<string, H5Key>, group: Group | null, out: Map<string, StoredLayer | null>, where: string, depth = 0): void {
  if (depth > 32) return;
  const layersGroup = group?.get('layers');
  for (const [name, k] of keys) {
    const g = isGroup(layersGroup) ? layersGroup.get(k.key) : null;
    const sub = isGroup(g) ? g : null;
    const path = `${where}layers/${k.key}`;
    if (k.inner) storedLayers(k.inner, sub, out, `${path}/`, depth + 1);
    else out.set(name, out.has(name) ? null : { where: `${path}/vars`, data: layerVars(sub), path, group: sub });
  }
}

/** The config of the layer named `name` in a (converted) model config, searching nested models too. */
function layerConfigNamed(model: Record<string, unknown>, name: string, depth = 0): Record<string, unknown> | null {
  if (depth > 32 || !Array.isArray(model.layers)) return null;
  for (const l of model.layers as { config?: Record<string, unknown> }[]) {
    if (!isObject(l?.config)) continue;
    if (l.config.name === name) return l.config;
    const inner = layerConfigNamed(l.config, name, depth + 1);
    if (inner) return inner;
  }
  return null;
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
  const stored = new Map<string, StoredLayer | null>();
  try {
    storedLayers(h5Keys(cls, json.config), h5, stored, '');
  } catch (e) {
    throw bad(`model.weights.h5 cannot be read (${(e as Error).message})`);
  }
  const report = new NonFiniteReport(file, opts.strict ?? false);
  const used = new Map<string, number>(); // variables taken per stored layer name
  const model = buildFromFile(
    file,
    device,
    { className: cls === 'Sequential' ? 'Sequential' : 'Model', config },
    (req) => {
      let name = req.layer.name;
      let s = stored.get(name);
      let layerConfig: Record<string, unknown> = req.layer.getConfig();
      if (s === undefined && stored.get(req.name.split('/')[0])) {
        // A cell's weight: rnn({cell}) builds its cells as inner layers, and Keras files them under the RNN layer.
        name = req.name.split('/')[0];
        s = stored.get(name);
        layerConfig = layerConfigNamed(config, name) ?? layerConfig;
      }
      if (s === null) throw bad(`model.weights.h5: two nested layers are named '${name}'; their variables cannot be told apart`);
      if (s && s.data.length === 0) {
        // Keras 3 keeps a recurrent layer's variables with its cell.
        const cell = cellVars(s.group, layerConfig);
        if (cell) Object.assign(s, { data: cell.data, where: `${s.path}/${cell.where}` });
      }
      const i = used.get(name) ?? 0;
      used.set(name, i + 1);
      const where = s ? `${s.where}/${i}` : `layers/${name}/vars/${i}`;
      const d = s?.data[i];
      if (!d) throw bad(`model.weights.h5: ${where} is missing: layer '${name}' (${req.layer.className}) creates '${req.name}' of shape [${req.shape.join(', ')}], but the file holds ${s?.data.length ?? 0} variable(s) for it`);
      const shape = Array.isArray(d.shape) ? d.shape : [];
      if (shape.join(',') !== req.shape.join(',')) throw bad(`model.weights.h5: ${where} has shape [${shape.join(', ')}], but '${req.name}' expects [${req.shape.join(', ')}]`);
      let arr: ArrayLike<number>;
      try {
        arr = d.value;
      } catch (e) {
        throw bad(`model.weights.h5: ${where} cannot be read (${(e as Error).message})`);
      }
      const size = req.shape.reduce((a, b) => a * b, 1);
      if (!arr || arr.length !== size) throw bad(`model.weights.h5: ${where} holds ${arr?.length} values for shape [${req.shape.join(', ')}]`);
      report.check(req.name, arr);
      return asDType(arr, req);
    },
  );
  try {
    // Every weighted layer's variables must all be used (a file with more variables than the layer is another model).
    for (const [name, n] of used) {
      const s = stored.get(name);
      if (s && s.data.length !== n) throw bad(`model.weights.h5: ${s.where} holds ${s.data.length} variables, but layer '${name}' has ${n}`);
    }
    for (const [name, s] of stored) {
      if (s && s.data.length > 0 && !used.has(name)) throw bad(`model.weights.h5: ${s.where} holds ${s.data.length} variables, but layer '${name}' has no weights`);
    }
    checkUnknownLayerOptions(file, config, model, KERAS_EXTRA_KEYS);
  } catch (e) {
    model.dispose();
    throw e;
  }
  report.emit();
  return model;
}
