// Model directory -> ServableModel through a list of format readers; new formats (tfjs layers-model, ...) register here.
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { Device } from '../device';
import { loadModel, MODEL_FORMAT, MODEL_JSON, ModelFileError } from '../io/model_files';
import { servableSequential, type ServableModel } from './servable';

export interface ServableLoadOptions {
  device?: Device;
}

/** A model format the serving layer can load: `detect` looks at the directory, `load` builds the model. */
export interface ModelReader {
  /** Short name for logs and metadata (KServe's `platform`). */
  name: string;
  detect(dir: string): Promise<boolean>;
  load(dir: string, opts: ServableLoadOptions): Promise<ServableModel>;
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** tensornode's own model directory (model.json + weights.safetensors), written by model.save / `tensornode train`. */
const tensornodeReader: ModelReader = {
  name: 'tensornode',
  detect: async (dir) => (await readJson(path.join(dir, MODEL_JSON)))?.format === MODEL_FORMAT,
  load: async (dir, opts) => servableSequential(await loadModel(dir, { device: opts.device, loadOptimizer: false })),
};

const readers: ModelReader[] = [tensornodeReader];

/** Adds a format; readers are tried in registration order, the first whose detect() is true loads. */
export function registerModelReader(reader: ModelReader): void {
  readers.push(reader);
}

/** The reader for `dir`, or null when no registered format recognizes it. */
export async function detectFormat(dir: string): Promise<ModelReader | null> {
  for (const r of readers) if (await r.detect(dir)) return r;
  return null;
}

/** Loads the model in `dir` with the first reader that recognizes it; ModelFileError when none does. */
export async function loadServable(dir: string, opts: ServableLoadOptions = {}): Promise<ServableModel> {
  const reader = await detectFormat(dir);
  if (!reader) throw new ModelFileError(`${dir}: no model this server can load (known formats: ${readers.map((r) => r.name).join(', ')})`);
  return reader.load(dir, opts);
}
