// CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin): records of 1 label byte + 3072 CHW pixel bytes, decoded to NHWC float32.

import * as fs from 'fs';
import * as path from 'path';
import { ArrayND, concatRows } from './array';
import { DataFormatError, DataNotFoundError } from './errors';
import { readMaybeGzip } from './gzip';

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;
export const CIFAR10_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
export const CIFAR10_TEST_FILE = 'test_batch.bin';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

export interface Cifar10Batch {
  images: ArrayND<Float32Array>; // [N, 32, 32, 3] in [0, 1]
  labels: ArrayND<Int32Array>; // [N] in [0, 10)
}

/** Decodes one binary batch; `source` names the file in errors. The file stores each image as three 32x32 planes (R, G, B). */
export function decodeCifar10Batch(bytes: Uint8Array, source: string): Cifar10Batch {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    const n = Math.floor(bytes.length / RECORD);
    throw new DataFormatError(
      `${source}: CIFAR-10 batch size ${bytes.length} bytes is not a positive multiple of the ${RECORD}-byte record ` +
        `(expected ${Math.max(1, n) * RECORD} or ${(n + 1) * RECORD}; truncated or not a CIFAR-10 binary batch)`,
    );
  }
  const n = bytes.length / RECORD;
  const images = new Float32Array(n * 3 * PLANE);
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const base = r * RECORD;
    const label = bytes[base];
    if (label >= 10) throw new DataFormatError(`${source}: record ${r} has label ${label}, expected 0..9`);
    labels[r] = label;
    const out = r * 3 * PLANE;
    // CHW -> HWC: pixel p of channel c goes to out + 3p + c.
    for (let c = 0; c < 3; c++) {
      const src = base + 1 + c * PLANE;
      for (let p = 0; p < PLANE; p++) images[out + 3 * p + c] = bytes[src + p] / 255;
    }
  }
  return { images: { data: images, shape: [n, SIDE, SIDE, 3] }, labels: { data: labels, shape: [n] } };
}

export async function readCifar10Batch(file: string): Promise<Cifar10Batch> {
  return decodeCifar10Batch(await readMaybeGzip(file), file);
}

export interface Cifar10Data {
  trainImages: ArrayND<Float32Array>;
  trainLabels: ArrayND<Int32Array>;
  testImages: ArrayND<Float32Array>;
  testLabels: ArrayND<Int32Array>;
}

/** The directory holding the .bin files: `dir` itself or its `cifar-10-batches-bin` subdirectory (as the archive unpacks). */
export function findCifar10Dir(dir: string): string | undefined {
  for (const d of [dir, path.join(dir, 'cifar-10-batches-bin')]) {
    if (fs.existsSync(path.join(d, CIFAR10_TEST_FILE))) return d;
  }
  return undefined;
}

/** Loads the five training batches and the test batch of CIFAR-10 from `dir`. */
export async function loadCifar10Dir(dir: string): Promise<Cifar10Data> {
  const root = findCifar10Dir(dir);
  const missing = root
    ? [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((f) => !fs.existsSync(path.join(root, f)))
    : [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  if (!root || missing.length) throw new DataNotFoundError(`${dir}: missing CIFAR-10 binary batch file(s): ${missing.join(', ')}`);
  const train = await Promise.all(CIFAR10_TRAIN_FILES.map((f) => readCifar10Batch(path.join(root, f))));
  const test = await readCifar10Batch(path.join(root, CIFAR10_TEST_FILE));
  return {
    trainImages: concatRows(train.map((b) => b.images)),
    trainLabels: concatRows(train.map((b) => b.labels)),
    testImages: test.images,
    testLabels: test.labels,
  };
}
