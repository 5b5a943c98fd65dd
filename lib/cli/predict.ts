// `tensornode predict <modelDir> <input.json | --bundled N>`: predicted classes and probabilities as JSON.
import * as fs from 'fs';
import type { ArrayND } from '../data/array';
import { chooseDevice } from './device_choice';
import { CliError, println, type CliIO } from './io';
import { BUNDLED_DEFAULTS, reloadMnist } from './mnist_data';
import { loadCliModel } from './model_store';
import { argmaxRow, predictProbabilities } from './scoring';

export interface PredictOptions {
  bundled?: number;
  device?: string;
}

export interface Prediction {
  class: number;
  probability: number;
  probabilities: number[];
  label?: number; // the true class, for --bundled
}

export async function predictCommand(modelDir: string, input: string | undefined, opts: PredictOptions, io: CliIO): Promise<Prediction[]> {
  if ((input === undefined) === (opts.bundled === undefined)) throw new CliError('predict: give either an input JSON file or --bundled N');
  chooseDevice(opts.device);
  const { model, record } = await loadCliModel(modelDir);
  try {
    const sample = model.layers[0].batchInputShape?.slice(1) as number[] | undefined;
    if (!sample || sample.some((s) => typeof s !== 'number')) throw new CliError(`${modelDir}: the saved model does not record its input shape`);
    let images: ArrayND<Float32Array>;
    let labels: Int32Array | undefined;
    if (opts.bundled !== undefined) {
      const split = await reloadMnist(record?.data ?? { source: 'bundled', ...BUNDLED_DEFAULTS });
      const n = Math.min(opts.bundled, split.testLabels.shape[0]);
      const size = sample.reduce((a, b) => a * b, 1);
      images = { data: split.testImages.data.slice(0, n * size), shape: [n, ...sample] };
      labels = split.testLabels.data.slice(0, n);
    } else {
      images = readImagesJson(input!, sample);
    }
    const { probs, classes } = await predictProbabilities(model, images);
    const out: Prediction[] = [];
    for (let r = 0; r < images.shape[0]; r++) {
      const row = Array.from(probs.subarray(r * classes, (r + 1) * classes), (p) => Number(p.toFixed(6)));
      const c = argmaxRow(row, 0, classes);
      out.push({ class: c, probability: row[c], probabilities: row, ...(labels ? { label: labels[r] } : {}) });
    }
    // One prediction per line: valid JSON that stays readable in a terminal.
    println(io.stdout, `{"predictions": [\n${out.map((p) => `  ${JSON.stringify(p)}`).join(',\n')}\n]}`);
    return out;
  } finally {
    model.dispose();
  }
}

/**
 * Reads images from JSON: `{"pixels": X}` or X, where X is one image or a list of images and an image is the model's
 * input (e.g. 28x28x1) nested or flat. Pixels are in [0, 1]; if any value exceeds 1 all are taken as 0..255 and scaled.
 */
export function readImagesJson(file: string, sample: number[]): ArrayND<Float32Array> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && 'pixels' in json) json = (json as { pixels: unknown }).pixels;
  if (!Array.isArray(json) || json.length === 0) throw new CliError(`${file}: expected a non-empty array of pixels (or {"pixels": [...]})`);
  const size = sample.reduce((a, b) => a * b, 1);
  const flat = (json as unknown[]).flat(Infinity as 1) as unknown[];
  // A single image: a flat array of `size` numbers, or a nested one whose first dimension is the image's own.
  const single = typeof json[0] === 'number' || (flat.length === size && json.length === sample[0]);
  if (flat.length % size !== 0 || (single && flat.length !== size)) {
    throw new CliError(`${file}: expected images of ${sample.join('x')} = ${size} values each, got ${flat.length} values`);
  }
  const data = new Float32Array(flat.length);
  let max = 0;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new CliError(`${file}: pixel ${i} is ${JSON.stringify(v)}, expected a number >= 0`);
    data[i] = v;
    if (v > max) max = v;
  }
  if (max > 1) {
    if (max > 255) throw new CliError(`${file}: pixel values go up to ${max}; expected [0, 1] or 0..255`);
    for (let i = 0; i < data.length; i++) data[i] /= 255;
  }
  return { data, shape: [flat.length / size, ...sample] };
}
