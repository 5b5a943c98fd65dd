// ArrayDataset / DataLoader: batching, drop-last, seeded per-epoch shuffles that keep pairs together, transforms, prefetch overlap.

import { ArrayND } from '../../lib/data/array';
import { DataLoader, ArrayDataset } from '../../lib/data/dataset';
import { ShapeError } from '../../lib/errors';

/** 10 rows: x row i = [i, 10i, 100i] (float32), y = i (int32), so pairing is checkable. */
function rows(n = 10): { x: ArrayND<Float32Array>; y: ArrayND<Int32Array> } {
  const x = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) x.set([i, 10 * i, 100 * i], 3 * i);
  return { x: { data: x, shape: [n, 3] }, y: { data: Int32Array.from({ length: n }, (_, i) => i), shape: [n] } };
}

function checkPairs(b: { x: ArrayND; y: ArrayND }): void {
  for (let r = 0; r < b.y.shape[0]; r++) {
    const id = b.y.data[r];
    expect(Array.from(b.x.data.subarray(3 * r, 3 * r + 3))).toEqual([id, 10 * id, 100 * id]);
  }
}

async function collect<B>(it: AsyncIterable<B>): Promise<B[]> {
  const out: B[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('ArrayDataset', () => {
  test('checks row counts and subsets', () => {
    const r = rows();
    expect(() => new ArrayDataset({ x: r.x, y: { data: new Int32Array(9), shape: [9] } })).toThrow(ShapeError);
    const ds = new ArrayDataset(r);
    expect(ds.length).toBe(10);
    const sub = ds.subset([7, 2]);
    expect(Array.from(sub.arrays.y.data)).toEqual([7, 2]);
    checkPairs(sub.arrays);
    const sh = ds.shuffled(5);
    expect(Array.from(sh.arrays.y.data).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    checkPairs(sh.arrays);
  });
});

describe('DataLoader', () => {
  test('batches in order, last batch smaller unless dropLast', async () => {
    const ds = new ArrayDataset(rows());
    const plain = await collect(new DataLoader(ds, { batchSize: 4 }));
    expect(plain.map((b) => Array.from(b.y.data))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(plain[2].x.shape).toEqual([2, 3]);
    plain.forEach((b) => checkPairs(b as { x: ArrayND; y: ArrayND }));
    const dl = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dl.numBatches).toBe(2);
    expect((await collect(dl)).map((b) => b.y.shape[0])).toEqual([4, 4]);
    expect([...new DataLoader(ds, { batchSize: 3 }).batches()].map((b) => b.y.shape[0])).toEqual([3, 3, 3, 1]);
  });

  test('seeded shuffle: each epoch a permutation, epochs differ, reproducible across loaders', async () => {
    const ds = new ArrayDataset(rows(50));
    const a = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 3 });
    const b = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 3 });
    const ids = (bs: { y: ArrayND }[]): number[] => bs.flatMap((x) => Array.from(x.y.data));
    const e0 = ids(await collect(a));
    const e1 = ids(await collect(a));
    expect([...e0].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...e1].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(e1).not.toEqual(e0);
    expect(e0).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ids(await collect(b))).toEqual(e0);
    expect(ids(await collect(b))).toEqual(e1);
    expect(ids(await collect(new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 4 })))).not.toEqual(e0);
    for (const batch of await collect(a)) checkPairs(batch as { x: ArrayND; y: ArrayND });
  });

  test('map transforms (sync and async) get the batch index and chain', async () => {
    const ds = new ArrayDataset(rows());
    const loader = new DataLoader(ds, { batchSize: 5 })
      .map((b, k) => ({ sum: b.y.data.reduce((s, v) => s + v, 0), k }))
      .map(async (b) => ({ ...b, doubled: 2 * b.sum }));
    expect(await collect(loader)).toEqual([
      { sum: 10, k: 0, doubled: 20 },
      { sum: 35, k: 1, doubled: 70 },
    ]);
  });

  test('prefetch builds batch k+1 while the consumer is still working on batch k', async () => {
    const log: string[] = [];
    const loader = new DataLoader(new ArrayDataset(rows(12)), { batchSize: 4, prefetch: 1 }).map((b, k) => {
      log.push(`build ${k}`);
      return b;
    });
    let k = 0;
    for await (const _ of loader) {
      log.push(`consume ${k} start`);
      await new Promise((r) => setTimeout(r, 5)); // the consumer awaits (e.g. the device)
      log.push(`consume ${k++} end`);
    }
    expect(log.indexOf('build 1')).toBeLessThan(log.indexOf('consume 0 end'));
    expect(log.indexOf('build 1')).toBeGreaterThan(log.indexOf('build 0'));
    expect(log.indexOf('build 2')).toBeLessThan(log.indexOf('consume 1 end'));
    expect(log.filter((l) => l.startsWith('build')).length).toBe(3);
  });

  test('prefetch 0 builds on demand', async () => {
    const log: string[] = [];
    const loader = new DataLoader(new ArrayDataset(rows(8)), { batchSize: 4, prefetch: 0 }).map((b, k) => {
      log.push(`build ${k}`);
      return b;
    });
    for await (const _ of loader) {
      log.push('consume start');
      await new Promise((r) => setTimeout(r, 2));
      log.push('consume end');
    }
    expect(log).toEqual(['build 0', 'consume start', 'consume end', 'build 1', 'consume start', 'consume end']);
  });

  test('a failing transform rejects the iteration with its error', async () => {
    const loader = new DataLoader(new ArrayDataset(rows()), { batchSize: 2, prefetch: 2 }).map((b, k) => {
      if (k === 2) throw new Error('bad batch 2');
      return b;
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const b of loader) seen.push(b.y.data[0]);
      })(),
    ).rejects.toThrow('bad batch 2');
    expect(seen).toEqual([0, 2]);
  });

  test('rejects bad options', () => {
    const ds = new ArrayDataset(rows());
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new DataLoader(ds, { batchSize: 2, prefetch: -1 })).toThrow(/prefetch/);
  });
});
