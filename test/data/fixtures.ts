// Builders for tiny dataset files written from the format descriptions (independent of the loaders under test).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { mulberry32 } from '../../lib/data/prng';

export function tmpdir(prefix = 'data-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function randomBytes(n: number, seed: number, max = 256): Uint8Array {
  const r = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * max));
}

/** IDX: 0x00 0x00, type byte, rank byte, big-endian uint32 dims, payload. */
export function idxBytes(typeByte: number, dims: number[], payload: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = typeByte;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(payload)]);
}

export interface FakeMnist {
  dir: string;
  trainPixels: Uint8Array;
  trainLabels: Uint8Array;
  testPixels: Uint8Array;
  testLabels: Uint8Array;
}

/** Writes the four MNIST files (train gzipped, test raw unless `gzipAll`) for `nTrain`/`nTest` random 28x28 images. */
export function writeFakeMnist(dir: string, nTrain: number, nTest: number, gzipAll = false): FakeMnist {
  const trainPixels = randomBytes(nTrain * 784, 11);
  const trainLabels = randomBytes(nTrain, 12, 10);
  const testPixels = randomBytes(nTest * 784, 13);
  const testLabels = randomBytes(nTest, 14, 10);
  const put = (name: string, bytes: Buffer, gz: boolean): void =>
    fs.writeFileSync(path.join(dir, gz ? `${name}.gz` : name), gz ? zlib.gzipSync(bytes) : bytes);
  put('train-images-idx3-ubyte', idxBytes(8, [nTrain, 28, 28], trainPixels), true);
  put('train-labels-idx1-ubyte', idxBytes(8, [nTrain], trainLabels), true);
  put('t10k-images-idx3-ubyte', idxBytes(8, [nTest, 28, 28], testPixels), gzipAll);
  put('t10k-labels-idx1-ubyte', idxBytes(8, [nTest], testLabels), gzipAll);
  return { dir, trainPixels, trainLabels, testPixels, testLabels };
}

/** CIFAR-10 binary records: label byte then 3072 bytes (R plane, G plane, B plane, each 32x32 row-major). */
export function cifarBytes(n: number, seed: number): { bytes: Uint8Array; labels: number[] } {
  const bytes = randomBytes(n * 3073, seed);
  const labels: number[] = [];
  for (let r = 0; r < n; r++) {
    bytes[r * 3073] = (seed + 3 * r) % 10;
    labels.push(bytes[r * 3073]);
  }
  return { bytes, labels };
}
