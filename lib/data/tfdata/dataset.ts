// tf.data's Dataset: a lazy, re-iterable stream of elements with tfjs-data's methods (map, filter, batch, shuffle,
// take, skip, repeat, prefetch, concatenate, ...). Each iterator() call starts a fresh pass over the source.
import { ValueError } from '../../errors';
import { tidy } from '../../memory';
import { mulberry32, randInt } from '../prng';
import { LazyIterator } from './iterator';
import { cloneTensors, disposeConsumed, stackElements, tensorsIn } from './structure';

type Source<T> = () => AsyncIterator<T> | Promise<AsyncIterator<T>>;

export class Dataset<T = unknown> implements AsyncIterable<T> {
  /** Number of elements: a count, Infinity for an endless dataset, or null when unknown (as in tfjs). */
  readonly size: number | null;
  private readonly source: Source<T>;

  /** Subclasses and the factories (array, generator, csv, zip) pass how to start a pass and the size. */
  protected constructor(source: Source<T>, size: number | null) {
    this.source = source;
    this.size = size;
  }

  /** A new pass over the elements. */
  async iterator(): Promise<LazyIterator<T>> {
    return new LazyIterator(await this.source());
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const it = await this.source();
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    } finally {
      await it.return?.();
    }
  }

  /** Elements transformed by `fn` (synchronous; tensors it creates and does not return are disposed, as are input tensors it does not return). */
  map<O>(fn: (value: T) => O): Dataset<O> {
    const self = this;
    return derived(async function* () {
      for await (const v of self) {
        const out = tidy(() => fn(v));
        disposeConsumed(v, out);
        yield out;
      }
    }, this.size);
  }

  /** Elements transformed by an async `fn` (no tidy scope: the function owns the tensors it creates). */
  mapAsync<O>(fn: (value: T) => Promise<O>): Dataset<O> {
    const self = this;
    return derived(async function* () {
      for await (const v of self) {
        const out = await fn(v);
        disposeConsumed(v, out);
        yield out;
      }
    }, this.size);
  }

  /** The elements for which `predicate` is true (the others' tensors are disposed). */
  filter(predicate: (value: T) => boolean): Dataset<T> {
    const self = this;
    return derived(async function* () {
      for await (const v of self) {
        if (tidy(() => predicate(v))) yield v;
        else disposeConsumed(v, null);
      }
    }, this.size === Infinity ? Infinity : null);
  }

  /**
   * Groups consecutive elements into batches of `batchSize`: tensors are stacked on a new first axis, numbers become
   * a tensor [n], and arrays and objects are batched entry by entry. The last batch may be smaller unless
   * `smallLastBatch` is false.
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<unknown> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`Dataset.batch: batchSize must be a positive integer, got ${batchSize}`);
    const self = this;
    const size = this.size === null || this.size === Infinity ? this.size : smallLastBatch ? Math.ceil(this.size / batchSize) : Math.floor(this.size / batchSize);
    return derived(async function* () {
      let rows: T[] = [];
      const flush = (): unknown => {
        const b = stackElements(rows);
        disposeConsumed(rows, null);
        rows = [];
        return b;
      };
      for await (const v of self) {
        rows.push(v);
        if (rows.length === batchSize) yield flush();
      }
      if (rows.length > 0) {
        if (smallLastBatch) yield flush();
        else disposeConsumed(rows, null);
      }
    }, size);
  }

  /**
   * Randomly shuffles the elements with a buffer of `bufferSize` (a buffer at least the dataset's size gives a
   * uniform permutation). The same seed gives the same orders; with reshuffleEachIteration (default) each pass
   * draws a new order from that seed.
   */
  shuffle(bufferSize: number, seed?: number | string, reshuffleEachIteration = true): Dataset<T> {
    if (bufferSize == null || !Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new ValueError(`Dataset.shuffle: bufferSize must be a positive integer, got ${bufferSize}`);
    }
    const self = this;
    const seeds = mulberry32(seed === undefined ? (Math.random() * 2 ** 32) >>> 0 : seedNumber(seed));
    const fixed = (seeds() * 2 ** 32) >>> 0;
    return derived(async function* () {
      const rng = mulberry32(reshuffleEachIteration ? (seeds() * 2 ** 32) >>> 0 : fixed);
      const it = await self.source();
      const buffer: Promise<IteratorResult<T>>[] = [];
      let exhausted = false;
      const refill = (): void => {
        while (!exhausted && buffer.length < bufferSize) buffer.push(it.next());
      };
      try {
        refill();
        while (buffer.length > 0) {
          // Take a random slot (moving the last one into it), as tfjs' ShuffleIterator does.
          const i = randInt(rng, buffer.length);
          const chosen = buffer[i];
          buffer[i] = buffer[buffer.length - 1];
          buffer.pop();
          const r = await chosen;
          if (r.done) {
            exhausted = true;
            continue;
          }
          refill();
          yield r.value;
        }
      } finally {
        await it.return?.();
      }
    }, this.size);
  }

  /** The first `count` elements (all of them when count is negative or larger than the dataset). */
  take(count: number): Dataset<T> {
    checkCount('take', count);
    const self = this;
    const all = count < 0;
    const size = all ? this.size : this.size === null ? null : Math.min(this.size, count);
    return derived(async function* () {
      if (!all && count === 0) return;
      let n = 0;
      for await (const v of self) {
        yield v;
        if (!all && ++n >= count) return;
      }
    }, size);
  }

  /** All but the first `count` elements (none when count is negative, as in tfjs); skipped tensors are disposed. */
  skip(count: number): Dataset<T> {
    checkCount('skip', count);
    const self = this;
    const size = this.size === null ? null : count < 0 ? 0 : Math.max(this.size - count, 0);
    return derived(async function* () {
      if (count < 0) return;
      let n = 0;
      for await (const v of self) {
        if (n++ < count) disposeConsumed(v, null);
        else yield v;
      }
    }, size);
  }

  /** The dataset `count` times over (forever when count is undefined or negative); each repetition is a new pass. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount('repeat', count);
    const self = this;
    const forever = count === undefined || count < 0;
    const size = count === 0 ? 0 : this.size === null ? null : forever ? (this.size === 0 ? 0 : Infinity) : this.size * count!;
    return derived(async function* () {
      for (let k = 0; forever || k < count!; k++) {
        let any = false;
        for await (const v of self) {
          any = true;
          yield v;
        }
        if (!any && forever) return; // an empty dataset repeated forever is empty, not a hang
      }
    }, size);
  }

  /** Keeps up to `bufferSize` elements in preparation ahead of the consumer (started after it gets each element). */
  prefetch(bufferSize: number): Dataset<T> {
    if (!Number.isInteger(bufferSize) || bufferSize < 0) throw new ValueError(`Dataset.prefetch: bufferSize must be a non-negative integer, got ${bufferSize}`);
    if (bufferSize === 0) return this;
    const self = this;
    return derived(async function* () {
      const it = await self.source();
      const queue: Promise<IteratorResult<T>>[] = [];
      // setImmediate: build the next element after the consumer has received this one and yielded to the event loop.
      const pull = (now: boolean): void => {
        const p = now ? it.next() : new Promise<IteratorResult<T>>((resolve, reject) => setImmediate(() => it.next().then(resolve, reject)));
        p.catch(() => undefined); // surfaced when awaited in order; no unhandled-rejection warning meanwhile
        queue.push(p);
      };
      try {
        for (;;) {
          if (queue.length === 0) pull(true);
          const r = await queue.shift()!;
          if (r.done) return;
          while (queue.length < bufferSize) pull(false);
          yield r.value;
        }
      } finally {
        for (const p of queue) p.then((r) => !r.done && disposeConsumed(r.value, null), () => undefined);
        await it.return?.();
      }
    }, this.size);
  }

  /** This dataset's elements followed by `other`'s. */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) throw new ValueError('Dataset.concatenate: the argument must be a Dataset');
    const self = this;
    const a = this.size;
    const b = other.size;
    const size = a === Infinity || b === Infinity ? Infinity : a === null || b === null ? null : a + b;
    return derived(async function* () {
      yield* self;
      yield* other;
    }, size);
  }

  /** Calls `f` on every element (awaiting it when it returns a promise). */
  async forEachAsync(f: (value: T) => void | Promise<void>): Promise<void> {
    this.checkFinite('forEachAsync');
    for await (const v of this) await f(v);
  }

  /** Every element, in order (the dataset must be finite). */
  async toArray(): Promise<T[]> {
    this.checkFinite('toArray');
    const out: T[] = [];
    for await (const v of this) out.push(v);
    return out;
  }

  private checkFinite(what: string): void {
    if (this.size === Infinity) throw new ValueError(`Dataset.${what}: cannot run over an infinite dataset (use take() first)`);
  }
}

/** A Dataset from a function that starts a pass (tfjs' datasetFromIteratorFn). */
export function datasetFromIteratorFn<T>(source: () => AsyncIterator<T> | Iterator<T> | Promise<AsyncIterator<T> | Iterator<T>>, size: number | null = null): Dataset<T> {
  return derived(async () => asAsync(await source()), size);
}

function derived<T>(source: Source<T>, size: number | null): Dataset<T> {
  return new (Dataset as unknown as new (s: Source<T>, n: number | null) => Dataset<T>)(source, size);
}

/** A sync iterator seen as an async one (tfjs generators may return either). */
export function asAsync<T>(it: AsyncIterator<T> | Iterator<T>): AsyncIterator<T> {
  return {
    next: async () => it.next(),
    return: async (v?: unknown) => (it.return ? it.return(v as never) : { done: true, value: undefined as never }),
  };
}

function checkCount(what: string, count: number): void {
  if (typeof count !== 'number' || !Number.isInteger(count)) throw new ValueError(`Dataset.${what}: count must be an integer, got ${JSON.stringify(count)}`);
}

/** A 32-bit seed from a number or (tfjs takes strings) a string. */
function seedNumber(seed: number | string): number {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new ValueError(`Dataset.shuffle: seed must be a finite number or a string, got ${seed}`);
    return seed >>> 0;
  }
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return h >>> 0;
}

export { tensorsIn, cloneTensors };
