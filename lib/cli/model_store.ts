// Saving and loading CLI models: the library's model files plus a small training.json recording the data split used.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../io/atomic';
import { loadTensors, saveTensors } from '../io/tensors';
import { Sequential } from '../models';
import { CliError } from './io';
import type { DataSpec } from './mnist_data';

export const TRAINING_FILE = 'training.json';

export interface TrainingRecord {
  data: DataSpec;
  epochs: number;
  batchSize: number;
  testAccuracy: number;
  device: string;
}

/** Writes the model files to `dir` (created if needed) and the training record beside them. */
export async function saveCliModel(model: Sequential, dir: string, record: TrainingRecord): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
  await saveModelFiles(model, dir);
  await writeFileAtomic(path.join(dir, TRAINING_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Loads a saved model; `record` is null when the directory has no (readable) training.json. */
export async function loadCliModel(dir: string): Promise<{ model: Sequential; record: TrainingRecord | null }> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${dir}: no such model directory (train one with 'tensornode train mnist --out ${dir}')`);
  if (!fs.existsSync(path.join(dir, 'model.json'))) throw new CliError(`${dir}: not a saved model (no model.json)`);
  const model = await loadModelFiles(dir);
  let record: TrainingRecord | null = null;
  const rf = path.join(dir, TRAINING_FILE);
  if (fs.existsSync(rf)) {
    try {
      record = JSON.parse(fs.readFileSync(rf, 'utf8')) as TrainingRecord;
    } catch {
      record = null; // only a convenience: evaluate then falls back to the default split
    }
  }
  return { model, record };
}

// Stand-in until lib/io/model_files (model.save / loadModel) lands: architecture JSON + safetensors weights.
async function saveModelFiles(model: Sequential, dir: string): Promise<void> {
  await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(model.toJSON()));
  const weights = model.getWeights();
  try {
    await saveTensors(path.join(dir, 'weights.safetensors'), Object.fromEntries(weights.map((w, i) => [`w${i}`, w])));
  } finally {
    for (const w of weights) w.dispose();
  }
}

async function loadModelFiles(dir: string): Promise<Sequential> {
  let json: ReturnType<Sequential['toJSON']>;
  try {
    json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  } catch (e) {
    throw new CliError(`${path.join(dir, 'model.json')}: not valid JSON (${(e as Error).message})`);
  }
  const model = Sequential.fromJSON(json);
  model.build();
  const { tensors } = await loadTensors(path.join(dir, 'weights.safetensors'), { device: model.device });
  const values = model.weights.map((_, i) => tensors.get(`w${i}`));
  if (values.some((v) => !v)) throw new CliError(`${dir}: weights.safetensors does not match model.json`);
  model.setWeights(values as NonNullable<(typeof values)[number]>[]);
  for (const t of tensors.values()) t.dispose();
  return model;
}
