// Dataset (named in-memory arrays sharing a first dimension) and DataLoader (seeded shuffle, batching, transforms, prefetch).

import { ArrayND, gatherRows, NumericArray, rowCount } from './array';
import { mulberry32, shuffleInPlace } from './prng';
import { ShapeError, ValueError } from '../errors';

export type Arrays = Record<string, ArrayND>;

/** Named arrays (e.g. `{x: images, y: labels}`) whose first dimensions all equal `length`. */
export class Dataset<T extends Arrays = Arrays> {
  readonly arrays: T;
  readonly length: number;

  constructor(arrays: T) {
    const names = Object.keys(arrays);
    if (names.length === 0) throw new ValueError('Dataset: needs at least one array');
    this.length = rowCount(arrays[names[0]]);
    for (const k of names) {
      const n = rowCount(arrays[k]);
      if (n !== this.length) throw new ShapeError(`Dataset: array "${k}" has ${n} rows but "${names[0]}" has ${this.length}`);
    }
    this.arrays = arrays;
  }

  /** The rows `indices`, in that order, as a new Dataset (copies). */
  subset(indices: ArrayLike<number>): Dataset<T> {
    return new Dataset(gatherAll(this.arrays, indices));
  }

  /** All rows reordered by a permutation determined by `seed`. */
  shuffled(seed: number): Dataset<T> {
    return this.subset(shuffleOrder(this.length, seed));
  }
}

function gatherAll<T extends Arrays>(arrays: T, indices: ArrayLike<number>): T {
  const out: Record<string, ArrayND> = {};
  for (const [k, a] of Object.entries(arrays)) out[k] = gatherRows(a as ArrayND<NumericArray>, indices);
  return out as T;
}

function shuffleOrder(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, mulberry32(seed));
}

export interface DataLoaderOptions {
  batchSize: number;
  /** Reshuffle every epoch; epoch e's order depends only on (seed, e). Default false. */
  shuffle?: boolean;
  seed?: number; // default 0
  /** Drop a final batch smaller than batchSize. Default false. */
  dropLast?: boolean;
  /** Batches built ahead of the consumer (0 = build on demand). Default 1. */
  prefetch?: number;
}

type Transform = (batch: unknown, index: number) => unknown;

/**
 * Iterates a Dataset in batches. `for await (const b of loader)` runs one epoch; each new iteration is the next
 * epoch (fresh seeded shuffle). While the consumer works on batch k (e.g. awaits the device), batch k+1 is
 * already being gathered and transformed, so the device is not left waiting on the JS thread.
 */
export class DataLoader<T extends Arrays = Arrays, B = T> {
  readonly dataset: Dataset<T>;
  readonly options: Required<DataLoaderOptions>;
  private readonly transforms: Transform[];
  private nextEpoch = 0;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions, transforms: Transform[] = []) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    const prefetch = options.prefetch ?? 1;
    if (!Number.isInteger(prefetch) || prefetch < 0) throw new ValueError(`DataLoader: prefetch must be a non-negative integer, got ${prefetch}`);
    this.dataset = dataset;
    this.options = { batchSize, shuffle: options.shuffle ?? false, seed: options.seed ?? 0, dropLast: options.dropLast ?? false, prefetch };
    this.transforms = transforms;
  }

  /** A loader whose batches are `fn(batch, batchIndex)` (sync or async); the original is unchanged. */
  map<C>(fn: (batch: B, index: number) => C | Promise<C>): DataLoader<T, C> {
    return new DataLoader<T, C>(this.dataset, this.options, [...this.transforms, fn as Transform]);
  }

  get numBatches(): number {
    const { batchSize, dropLast } = this.options;
    return dropLast ? Math.floor(this.dataset.length / batchSize) : Math.ceil(this.dataset.length / batchSize);
  }

  /** Row order of epoch `epoch`. */
  order(epoch: number): Int32Array {
    const n = this.dataset.length;
    if (!this.options.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    // Mix epoch into the seed so consecutive epochs differ yet each is reproducible on its own.
    return shuffleOrder(n, (this.options.seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0);
  }

  /** Builds batch `k` of the given row order (gather + transforms). */
  private async build(order: Int32Array, k: number): Promise<B> {
    const { batchSize } = this.options;
    let b: unknown = gatherAll(this.dataset.arrays, order.subarray(k * batchSize, Math.min((k + 1) * batchSize, order.length)));
    for (const t of this.transforms) b = await t(b, k);
    return b as B;
  }

  /** One epoch's batches, prefetching `options.prefetch` ahead. */
  async *epoch(epoch: number): AsyncGenerator<B, void, undefined> {
    const order = this.order(epoch);
    const n = this.numBatches;
    const ahead = this.options.prefetch;
    const queue: Promise<B>[] = [];
    let next = 0;
    const start = (k: number): void => {
      // setImmediate: start after the consumer has received the previous batch and yielded to the event loop.
      const p = new Promise<B>((resolve, reject) => setImmediate(() => this.build(order, k).then(resolve, reject)));
      p.catch(() => undefined); // surfaced when awaited below; avoid an unhandled-rejection warning meanwhile
      queue.push(p);
    };
    while (next < n || queue.length) {
      if (queue.length === 0) start(next++); // the batch needed now (only when nothing was prefetched)
      const batch = await queue.shift()!;
      while (next < n && queue.length < ahead) start(next++); // in flight while the consumer works on `batch`
      yield batch;
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<B, void, undefined> {
    return this.epoch(this.nextEpoch++);
  }

  /** Synchronous batches of one epoch, for transforms that are synchronous (no prefetch). */
  *batches(epoch = 0): Generator<B, void, undefined> {
    const order = this.order(epoch);
    const { batchSize } = this.options;
    for (let k = 0; k < this.numBatches; k++) {
      let b: unknown = gatherAll(this.dataset.arrays, order.subarray(k * batchSize, Math.min((k + 1) * batchSize, order.length)));
      for (const t of this.transforms) {
        b = t(b, k);
        if (b instanceof Promise) throw new ValueError('DataLoader.batches: a transform returned a Promise; use for await instead');
      }
      yield b as B;
    }
  }
}
