// LazyIterator: tfjs-data's pull-based iterator (next() resolves to {value, done}) over an async iterator.

/** A one-pass stream of elements; each call to next() resolves to the next element or {done: true}. */
export class LazyIterator<T> implements AsyncIterableIterator<T> {
  constructor(private readonly source: AsyncIterator<T>) {}

  next(): Promise<IteratorResult<T>> {
    return this.source.next();
  }

  /** Ends the pass early (closes the source, e.g. a file). */
  async return(): Promise<IteratorResult<T>> {
    await this.source.return?.();
    return { done: true, value: undefined };
  }

  /** Every remaining element (the stream must be finite). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for (let r = await this.next(); !r.done; r = await this.next()) out.push(r.value);
    return out;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
