// tf.data.TextLineDataset (the lines of a DataSource's UTF-8 text) and tf.data.func (elements from a function).
import { ValueError } from '../../errors';
import { DataSource, sourceLines } from './data_sources';
import { Dataset, datasetFromIteratorFn } from './dataset';

/** The lines of `input` ('\n'-separated, a trailing '\r' dropped; no empty line after a final '\n'), as tfjs. */
export class TextLineDataset extends Dataset<string> {
  readonly input: DataSource;

  constructor(input: DataSource) {
    super(async () => sourceLines(input), null);
    if (!(input instanceof DataSource)) throw new ValueError(`TextLineDataset: input must be a DataSource (FileDataSource, URLDataSource), got ${input === null ? 'null' : typeof input}`);
    this.input = input;
  }
}

/**
 * A dataset whose elements are what `f` gives, one call per element ({value, done} or a promise of it), until it
 * says done. As in tfjs, all passes share the one stream of calls: a second pass continues where the first stopped.
 */
export function func<T>(f: () => IteratorResult<T> | Promise<IteratorResult<T>>): Dataset<T> {
  if (typeof f !== 'function') throw new ValueError(`data.func: expected a function returning {value, done}, got ${typeof f}`);
  const shared: AsyncIterator<T> = {
    next: async () => {
      const r = await f();
      if (r === null || typeof r !== 'object') throw new ValueError(`data.func: the function must return {value, done} (or a promise of it), got ${r === null ? 'null' : typeof r}`);
      return r;
    },
  };
  return datasetFromIteratorFn(async () => shared);
}
