// tf.data Dataset: sources (array, generator, zip), the chainable methods with tfjs-data's sizes and semantics,
// batching rules, seeded shuffles, prefetch overlap and tensor disposal.
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { ValueError } from '../../../lib/errors';

const { data } = tn;
const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

// The tfjs oracle (pure-JS CPU backend), loaded with its install hint silenced.
function oracle(): typeof import('@tensorflow/tfjs') {
  return tf() as typeof import('@tensorflow/tfjs');
}

describe('sources', () => {
  test('array: elements in order, size, re-iterable; iterator().next() protocol', async () => {
    const ds = data.array([1, 2, 3]);
    expect(ds.size).toBe(3);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    const it = await ds.iterator();
    expect(await it.next()).toEqual({ value: 1, done: false });
    expect(await it.toArray()).toEqual([2, 3]);
    expect((await it.next()).done).toBe(true);
    expect(() => data.array('abc' as never)).toThrow(ValueError);
  });

  test('generator: sync and async generator functions, a new pass each time, size null', async () => {
    let calls = 0;
    const ds = data.generator(function* () {
      calls++;
      for (let i = 0; i < 4; i++) yield i * i;
    });
    expect(ds.size).toBeNull();
    expect(await ds.toArray()).toEqual([0, 1, 4, 9]);
    expect(await ds.take(2).toArray()).toEqual([0, 1]);
    expect(calls).toBe(2);
    const asyncDs = data.generator(async function* () {
      yield 'a';
      await new Promise((r) => setTimeout(r, 1));
      yield 'b';
    });
    expect(await asyncDs.toArray()).toEqual(['a', 'b']);
    await expect(data.generator((() => 5) as never).toArray()).rejects.toThrow(/iterator/);
  });

  test('zip: arrays, objects and nesting; ends with the shortest; size is the minimum', async () => {
    const a = data.array([1, 2, 3]);
    const b = data.array(['x', 'y']);
    expect(data.zip([a, b]).size).toBe(2);
    expect(await data.zip([a, b]).toArray()).toEqual([[1, 'x'], [2, 'y']]);
    expect(await data.zip({ n: a, s: { t: b } }).toArray()).toEqual([{ n: 1, s: { t: 'x' } }, { n: 2, s: { t: 'y' } }]);
    expect(data.zip([a, data.generator(function* () { yield 1; })]).size).toBeNull();
    expect(() => data.zip([a, 3 as never])).toThrow(/Datasets/);
  });
});

describe('methods', () => {
  test('map, filter, take, skip, repeat, concatenate: values and tfjs sizes', async () => {
    const ds = data.array(range(10));
    expect(await ds.map((x) => x * 2).take(3).toArray()).toEqual([0, 2, 4]);
    expect(await ds.filter((x) => x % 3 === 0).toArray()).toEqual([0, 3, 6, 9]);
    expect(ds.filter(() => true).size).toBeNull();
    expect(ds.take(4).size).toBe(4);
    expect(ds.take(40).size).toBe(10);
    expect(await ds.take(-1).toArray()).toEqual(range(10));
    expect(await ds.take(0).toArray()).toEqual([]);
    expect(ds.skip(7).size).toBe(3);
    expect(await ds.skip(7).toArray()).toEqual([7, 8, 9]);
    expect(ds.skip(20).size).toBe(0);
    expect(await ds.skip(-1).toArray()).toEqual([]);
    const small = data.array([1, 2]);
    expect(small.repeat(3).size).toBe(6);
    expect(await small.repeat(3).toArray()).toEqual([1, 2, 1, 2, 1, 2]);
    expect(small.repeat().size).toBe(Infinity);
    expect(await small.repeat().take(5).toArray()).toEqual([1, 2, 1, 2, 1]);
    await expect(small.repeat().toArray()).rejects.toThrow(ValueError);
    expect(await small.concatenate(data.array([7])).toArray()).toEqual([1, 2, 7]);
    expect(small.concatenate(data.array([7])).size).toBe(3);
    expect(await data.array<number>([]).repeat().take(3).toArray()).toEqual([]);
  });

  test('mapAsync and forEachAsync await their functions in order', async () => {
    const seen: number[] = [];
    await data
      .array([3, 1, 2])
      .mapAsync(async (x) => {
        await new Promise((r) => setTimeout(r, x));
        return x * 10;
      })
      .forEachAsync(async (x) => {
        seen.push(x);
      });
    expect(seen).toEqual([30, 10, 20]);
  });

  test('batch: arrays of numbers and booleans become one tensor, as in tfjs-data (checked against tfjs)', async () => {
    const tf = oracle();
    const cases: unknown[][] = [
      range(5).map((i) => ({ xs: [i, 0.5 * i, 1 - i], ys: [i % 3] })), // the abalone-node example's element form
      range(4).map((i) => [[i, 1], [2, i]]), // nested arrays
      range(3).map((i) => [i % 2 === 0, i]), // a boolean first leaf: bool, as tfjs
    ];
    for (const rows of cases) {
      const ours = (await data.array(rows).batch(2).toArray()) as unknown[];
      const theirs = (await tf.data.array(rows).batch(2).toArray()) as unknown[];
      expect(ours.length).toBe(theirs.length);
      for (let b = 0; b < ours.length; b++) {
        const pairs: [tn.Tensor, { shape: number[]; dtype: string; dataSync(): ArrayLike<number> }][] = ours[b] instanceof tn.Tensor
          ? [[ours[b] as tn.Tensor, theirs[b] as never]]
          : Object.keys(ours[b] as object).map((k) => [(ours[b] as Record<string, tn.Tensor>)[k], (theirs[b] as Record<string, never>)[k]]);
        for (const [o, t] of pairs) {
          expect(o.shape).toEqual(t.shape);
          expect(o.dtype).toBe(t.dtype);
          expect(Array.from(o.dataSync())).toEqual(Array.from(t.dataSync()));
        }
      }
      tn.dispose(ours);
    }
  });

  test('batch: numbers, nested objects and tuples, typed arrays, tensors; smallLastBatch', async () => {
    const rows = range(5).map((i) => ({ xs: [i, 10 * i], ys: i % 2 === 0, id: `r${i}`, v: Float32Array.of(i, -i) }));
    const ds = data.array(rows).batch(2);
    expect(ds.size).toBe(3);
    expect(data.array(rows).batch(2, false).size).toBe(2);
    const bs = (await ds.toArray()) as { xs: tn.Tensor; ys: tn.Tensor; id: string[]; v: tn.Tensor }[];
    expect(bs.length).toBe(3);
    // An array of numbers is a tensor's values: the batch stacks them into one tensor [n, 2] (tfjs-data's rule).
    expect(bs[0].xs.shape).toEqual([2, 2]);
    expect(Array.from(await bs[0].xs.data())).toEqual([0, 0, 1, 10]);
    expect(bs[0].xs.dtype).toBe('float32');
    expect(bs[0].ys.dtype).toBe('bool');
    expect(Array.from(await bs[0].ys.data())).toEqual([1, 0]);
    expect(bs[2].id).toEqual(['r4']);
    expect(bs[1].v.shape).toEqual([2, 2]);
    expect(Array.from(await bs[1].v.data())).toEqual([2, -2, 3, -3]);
    expect((await data.array(rows).batch(2, false).toArray()).length).toBe(2);
    tn.dispose(bs);

    const ts = range(5).map((i) => tn.tensor([i, i + 0.5, 2 * i], [3]));
    const stacked = (await data.array(ts).batch(4).toArray()) as tn.Tensor[];
    expect(stacked.map((t) => t.shape)).toEqual([[4, 3], [1, 3]]);
    expect(Array.from(await stacked[1].data())).toEqual([4, 4.5, 8]);
    // The source tensors survive: data.array hands out views.
    expect(Array.from(await ts[0].data())).toEqual([0, 0.5, 0]);
    tn.dispose([stacked, ts]);
    await expect(data.array([tn.zeros([2]), tn.zeros([3])]).batch(2).toArray()).rejects.toThrow(/shape/);
    await expect(data.array([{ a: 1 }, { b: 2 }]).batch(2).toArray()).rejects.toThrow(/missing/);
    expect(() => data.array([1]).batch(0)).toThrow(ValueError);
  });

  test('shuffle: a permutation; the same seed gives the same orders; each pass reshuffles unless told not to', async () => {
    const ds = data.array(range(50));
    const a = ds.shuffle(50, 7);
    const b = ds.shuffle(50, 7);
    const a1 = await a.toArray();
    const a2 = await a.toArray();
    expect([...a1].sort((x, y) => x - y)).toEqual(range(50));
    expect(a1).not.toEqual(range(50));
    expect(a2).not.toEqual(a1);
    expect(await b.toArray()).toEqual(a1);
    expect(await b.toArray()).toEqual(a2);
    expect(await ds.shuffle(50, 8).toArray()).not.toEqual(a1);
    expect(await ds.shuffle(50, 'seed').toArray()).toEqual(await ds.shuffle(50, 'seed').toArray());
    const fixed = ds.shuffle(50, 3, false);
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
    // A small buffer only holds the next 5 elements: position pos can only see elements up to pos + 4.
    const local = await ds.shuffle(5, 1).toArray();
    expect([...local].sort((x, y) => x - y)).toEqual(range(50));
    local.forEach((v, pos) => expect(v).toBeLessThanOrEqual(pos + 4));
    expect(() => ds.shuffle(0)).toThrow(ValueError);
    expect(ds.shuffle(10).size).toBe(50);
  });

  test('prefetch builds the next element while the consumer works; 0 is on demand', async () => {
    const log: string[] = [];
    const ds = data.array(range(3)).map((i) => {
      log.push(`build ${i}`);
      return i;
    });
    for await (const i of ds.prefetch(1)) {
      log.push(`use ${i} start`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`use ${i} end`);
    }
    expect(log.indexOf('build 1')).toBeLessThan(log.indexOf('use 0 end'));
    expect(log.indexOf('build 2')).toBeLessThan(log.indexOf('use 1 end'));
    expect(log.filter((l) => l.startsWith('build')).length).toBe(3);
    expect(data.array([1]).prefetch(0)).toBeInstanceOf(data.Dataset);
    expect(() => data.array([1]).prefetch(-1)).toThrow(ValueError);
  });

  test('errors inside a pipeline reject the iteration in order', async () => {
    const ds = data.array(range(6)).map((i) => {
      if (i === 3) throw new Error('bad element 3');
      return i;
    });
    const seen: number[] = [];
    await expect(ds.prefetch(3).forEachAsync((x) => void seen.push(x))).rejects.toThrow('bad element 3');
    expect(seen).toEqual([0, 1, 2]);
  });

  test('map disposes the tensors it does not return; filter and skip dispose what they drop', async () => {
    const before = tn.memory().numTensors;
    const ds = data
      .generator(function* () {
        for (let i = 0; i < 6; i++) yield { x: tn.tensor([i, i], [2]) };
      })
      .skip(1)
      .filter((e) => e.x.dataSync()[0] % 2 === 1)
      .map((e) => tn.mul(e.x, 2));
    const out = await ds.toArray();
    expect(await Promise.all(out.map(async (t) => Array.from(await t.data())))).toEqual([[2, 2], [6, 6], [10, 10]]);
    tn.dispose(out);
    expect(tn.memory().numTensors).toBe(before);
  });
});
