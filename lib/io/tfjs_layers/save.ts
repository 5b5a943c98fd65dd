// Saves a model in the tfjs layers-model format, as tfjs-node's file:// handler writes it: model.json
// ({modelTopology, format: 'layers-model', weightsManifest: [{paths: ['weights.bin'], weights}]}) and weights.bin
// (every weight, in model.weights order, little-endian float32/int32). Both files are replaced atomically.
import { tfjsTrainingConfig } from './training_config';
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { LayersModel } from '../../models/layers_model';
import { writeFileAtomic } from '../atomic';
import { ModelFileError } from '../model_files';
import { toPythonic } from './naming';
import type { WeightSpec } from './weights';

/** What model.json says wrote it (tfjs readers ignore it; the layer configs follow tfjs-layers 4.x). */
export const KERAS_VERSION = 'tfjs-layers 4.22.0';
export const WEIGHTS_BIN = 'weights.bin';

/** The modelTopology object of model.json (snake_case keys, as tfjs' model.toJSON() gives it). */
export function modelTopology(model: LayersModel): Record<string, unknown> {
  return toPythonic({ className: model.className === 'Sequential' ? 'Sequential' : 'Model', config: model.getConfig(), kerasVersion: KERAS_VERSION, backend: 'tensor_flow.js' }) as Record<string, unknown>;
}

/** What a layers model saves as, in memory (tfjs ModelArtifacts): topology, weight specs and the weight bytes. */
export interface LayersModelArtifacts {
  modelTopology: Record<string, unknown>;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  /** The compile settings, when saved with {includeOptimizer: true} and compiled. */
  trainingConfig?: Record<string, unknown>;
}

/** The model's artifacts: every weight in model.weights order, little-endian float32/int32 (what weights.bin holds). */
export async function layersModelArtifacts(model: LayersModel, what = 'saveTfjsLayersModel', opts: { includeOptimizer?: boolean } = {}): Promise<LayersModelArtifacts> {
  if (model.outputs.length === 0) {
    try {
      model.build();
    } catch (e) {
      throw new ModelFileError(`${what}: the model has no weights yet (${(e as Error).message})`);
    }
  }
  const vars = model.weights;
  const names = new Set<string>();
  for (const v of vars) {
    if (names.has(v.name)) throw new ModelFileError(`${what}: two weights are named '${v.name}' (give the layers unique names)`);
    names.add(v.name);
  }
  const values = await Promise.all(vars.map((v) => v.value.data()));
  const total = values.reduce((n, a) => n + a.length * 4, 0);
  const bin = Buffer.alloc(total);
  let offset = 0;
  values.forEach((a, i) => {
    const int = vars[i].value.dtype === 'int32';
    for (let k = 0; k < a.length; k++, offset += 4) {
      if (int) bin.writeInt32LE(a[k], offset);
      else bin.writeFloatLE(a[k], offset);
    }
  });
  const weightSpecs: WeightSpec[] = vars.map((v) => ({ name: v.name, shape: [...v.shape], dtype: v.value.dtype === 'int32' ? 'int32' : 'float32' }));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  // tfjs writes the compile settings only with {includeOptimizer: true} (its default is false); the optimizer's
  // state (tfjs's 'optimizer' weight group) is not written.
  const trainingConfig = opts.includeOptimizer === true ? tfjsTrainingConfig(model) : undefined;
  return { modelTopology: modelTopology(model), format: 'layers-model', generatedBy: 'tensornode', convertedBy: null, weightSpecs, weightData, ...(trainingConfig ? { trainingConfig } : {}) };
}

/** Writes artifacts into `dir` as tfjs-node's file:// handler does: model.json and weights.bin, each atomically. */
export async function writeTfjsLayersDir(dir: string, a: { modelTopology: unknown; weightSpecs?: WeightSpec[]; weightData?: ArrayBuffer; format?: string; generatedBy?: string; convertedBy?: string | null; trainingConfig?: unknown; userDefinedMetadata?: unknown }): Promise<void> {
  const json: Record<string, unknown> = {
    modelTopology: a.modelTopology,
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy ?? 'tensornode',
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: a.weightSpecs ?? [] }],
  };
  if (a.trainingConfig !== undefined) json.trainingConfig = a.trainingConfig;
  if (a.userDefinedMetadata !== undefined) json.userDefinedMetadata = a.userDefinedMetadata;
  await fsp.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, WEIGHTS_BIN), Buffer.from(a.weightData ?? new ArrayBuffer(0)));
  await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
}

export async function saveTfjsLayersModel(model: LayersModel, dir: string): Promise<void> {
  if (typeof dir !== 'string' || dir === '') throw new ModelFileError(`saveTfjsLayersModel: 'dir' must be a non-empty path, got ${JSON.stringify(dir)}`);
  await writeTfjsLayersDir(dir, await layersModelArtifacts(model));
}
