// Saving and loading CLI models: the library's model files (model.save / loadModel) plus a small training.json recording the data split used.
import * as fs from 'fs';
import * as path from 'path';
import { loadModel, type LayersModel } from '../index';
import { writeFileAtomic } from '../io/atomic';
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
export async function saveCliModel(model: LayersModel, dir: string, record: TrainingRecord): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
  // Weights only: a CLI model is for evaluate/predict, and skipping the Adam moments halves the files.
  await model.save(dir, { includeOptimizer: false });
  await writeFileAtomic(path.join(dir, TRAINING_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Loads a saved model; `record` is null when the directory has no (readable) training.json. */
export async function loadCliModel(dir: string): Promise<{ model: LayersModel; record: TrainingRecord | null }> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${dir}: no such model directory (train one with 'tensornode train mnist --out ${dir}')`);
  if (!fs.existsSync(path.join(dir, 'model.json'))) throw new CliError(`${dir}: not a saved model (no model.json)`);
  const model = await loadModel(dir, { loadOptimizer: false });
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
