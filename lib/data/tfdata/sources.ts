// tf.data's sources: array(items), generator(fn) and zip(structure of datasets).
import { ValueError } from '../../errors';
import { Dataset, datasetFromIteratorFn } from './dataset';
import { cloneTensors, isContainer } from './structure';

/** A dataset of the items of `items`, in order; tensors are handed out as views, so consumers may dispose them. */
export function array<T>(items: T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new ValueError(`data.array: 'items' must be an array, got ${typeof items}`);
  return datasetFromIteratorFn(function* () {
    for (const item of items) yield cloneTensors(item);
  }, items.length);
}

/**
 * A dataset whose passes each call `fn` for a new (sync or async) iterator, e.g. a generator function. The size is
 * unknown (null), as in tfjs.
 */
export function generator<T>(fn: () => Iterator<T> | AsyncIterator<T> | Promise<Iterator<T> | AsyncIterator<T>>): Dataset<T> {
  if (typeof fn !== 'function') throw new ValueError(`data.generator: expected a function returning an iterator, got ${typeof fn}`);
  return datasetFromIteratorFn(async () => {
    const it = await fn();
    if (!it || typeof (it as Iterator<T>).next !== 'function') throw new ValueError('data.generator: the function must return an iterator (an object with next())');
    return it;
  });
}

type DatasetTree = Dataset<unknown> | DatasetTree[] | { [k: string]: DatasetTree };

/**
 * Zips datasets given as an array, an object, or a nesting of both: each element has that structure with one
 * element of each dataset in it. Ends with the shortest dataset.
 */
export function zip<O = unknown>(datasets: DatasetTree): Dataset<O> {
  if (!isContainer(datasets)) throw new ValueError('data.zip: the argument must be an array or an object of datasets');
  const leaves: Dataset<unknown>[] = [];
  collect(datasets, leaves);
  let size: number | null = leaves.length === 0 ? 0 : Infinity;
  for (const d of leaves) size = size === null || d.size === null ? null : Math.min(size, d.size);
  return datasetFromIteratorFn(async () => {
    const its = await Promise.all(leaves.map((d) => d.iterator()));
    return {
      next: async (): Promise<IteratorResult<O>> => {
        if (its.length === 0) return { done: true, value: undefined };
        const rs = await Promise.all(its.map((it) => it.next()));
        if (rs.some((r) => r.done)) return { done: true, value: undefined };
        let k = 0;
        return { done: false, value: rebuild(datasets, () => rs[k++].value) as O };
      },
      return: async (): Promise<IteratorResult<O>> => {
        await Promise.all(its.map((it) => it.return()));
        return { done: true, value: undefined };
      },
    };
  }, size);
}

function collect(tree: DatasetTree, out: Dataset<unknown>[]): void {
  if (tree instanceof Dataset) out.push(tree);
  else if (isContainer(tree)) for (const v of Object.values(tree)) collect(v as DatasetTree, out);
  else throw new ValueError('data.zip: the leaves of the structure must be Datasets, not primitives');
}

function rebuild(tree: DatasetTree, next: () => unknown): unknown {
  if (tree instanceof Dataset) return next();
  if (Array.isArray(tree)) return tree.map((t) => rebuild(t, next));
  return Object.fromEntries(Object.entries(tree).map(([k, t]) => [k, rebuild(t as DatasetTree, next)]));
}
