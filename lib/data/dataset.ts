// ArrayDataset (named in-memory arrays sharing a first dimension, a tf.data Dataset of rows) and DataLoader (seeded
// per-epoch shuffles and batches of those arrays, built as a tf.data pipeline: batch source -> transforms -> prefetch).

import { ArrayND, gatherRows, NumericArray, rowCount } from './array';
import { mulberry32, shuffleInPlace } from './prng';
import { ShapeError, ValueError } from '../errors';
import { Dataset, datasetFromIteratorFn } from './tfdata/dataset';
import type { LazyIterator } from './tfdata/iterator';

export type Arrays = Record<string, ArrayND>;

/**
 * Named arrays (e.g. `{x: images, y: labels}`) whose first dimensions all equal `length`. As a tf.data Dataset its
 * elements are the rows (`{x: ArrayND, y: ArrayND}` without the first dimension), so `.batch(n)` gives tensors;
 * a DataLoader batches it faster, gathering whole batches at once.
 */
export class ArrayDataset<T extends Arrays = Arrays> extends Dataset<T> {
  readonly arrays: T;
  readonly length: number;

  constructor(arrays: T) {
    const names = Object.keys(arrays ?? {});
    if (names.length === 0) throw new ValueError('ArrayDataset: needs at least one array');
    const length = rowCount(arrays[names[0]]);
    for (const k of names) {
      const n = rowCount(arrays[k]);
      if (n !== length) throw new ShapeError(`ArrayDataset: array "${k}" has ${n} rows but "${names[0]}" has ${length}`);
    }
    super(async () => rowsOf(arrays, length), length);
    this.length = length;
    this.arrays = arrays;
  }

  /** The rows `indices`, in that order, as a new ArrayDataset (copies). */
  subset(indices: ArrayLike<number>): ArrayDataset<T> {
    return new ArrayDataset(gatherAll(this.arrays, indices));
  }

  /** All rows reordered by a permutation determined by `seed`. */
  shuffled(seed: number): ArrayDataset<T> {
    return this.subset(shuffleOrder(this.length, seed));
  }
}

/** Row i of every array (shape without the first dimension; the data is a view, not a copy). */
async function* rowsOf<T extends Arrays>(arrays: T, length: number): AsyncGenerator<T, void, undefined> {
  for (let i = 0; i < length; i++) {
    const row: Record<string, ArrayND> = {};
    for (const [k, a] of Object.entries(arrays)) {
      const n = a.data.length / length;
      row[k] = { data: a.data.subarray(i * n, (i + 1) * n), shape: a.shape.slice(1) };
    }
    yield row as T;
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
 * Iterates an ArrayDataset in batches. `for await (const b of loader)` runs one epoch; each new iteration is the next
 * epoch (fresh seeded shuffle). While the consumer works on batch k (e.g. awaits the device), batch k+1 is
 * already being gathered and transformed, so the device is not left waiting on the JS thread.
 */
export class DataLoader<T extends Arrays = Arrays, B = T> {
  readonly dataset: ArrayDataset<T>;
  readonly options: Required<DataLoaderOptions>;
  private readonly transforms: Transform[];
  private nextEpoch = 0;

  constructor(dataset: ArrayDataset<T>, options: DataLoaderOptions, transforms: Transform[] = []) {
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

  /**
   * One epoch's batches as a tf.data Dataset: a source that gathers batch k of the epoch's order, the transforms
   * (each called with k), and prefetch(options.prefetch), which builds the next batches while the consumer works.
   */
  epochDataset(epoch: number): Dataset<B> {
    const order = this.order(epoch);
    const n = this.numBatches;
    const { batchSize } = this.options;
    const transforms = this.transforms;
    const batches = datasetFromIteratorFn(function* () {
      for (let k = 0; k < n; k++) yield { k, rows: order.subarray(k * batchSize, Math.min((k + 1) * batchSize, order.length)) };
    }, n);
    const arrays = this.dataset.arrays;
    return batches
      .mapAsync(async ({ k, rows }) => {
        let b: unknown = gatherAll(arrays, rows);
        for (const t of transforms) b = await t(b, k);
        return b as B;
      })
      .prefetch(this.options.prefetch);
  }

  /** One epoch's batches, prefetching `options.prefetch` ahead. */
  epoch(epoch: number): AsyncGenerator<B, void, undefined> {
    return this.epochDataset(epoch)[Symbol.asyncIterator]();
  }

  /** The next epoch as a tf.data iterator (how model.fitDataset drives a DataLoader: one epoch per iterator). */
  iterator(): Promise<LazyIterator<B>> {
    return this.epochDataset(this.nextEpoch++).iterator();
  }

  /** Batches per epoch (tf.data's size). */
  get size(): number {
    return this.numBatches;
  }

  [Symbol.asyncIterator](): AsyncGenerator<B, void, undefined> {
    return this.epoch(this.nextEpoch++);
  }

  /** Synchronous batches of one epoch, for transforms that are synchronous (no prefetch; outside tf.data). */
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
