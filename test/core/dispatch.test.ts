// Op dispatch: numeric storage handles (refused once disposed, even when their slot is reused), small kernels and
// reads done at once on an idle stream keep stream order, and an immediate read still yields to the event loop.
import * as tn from '../../lib';
import { native } from '../../lib/native';
import { DisposedError, ValueError } from '../../lib/errors';

const F32 = 0; // dtype code of float32 (lib/dtype.ts)

function handleOf(t: tn.Tensor): number {
  return (t as unknown as { storage(op: string): { handle: number } }).storage('test').handle;
}

describe('storage handles', () => {
  test('a disposed handle is refused, also after its slot holds another storage', () => {
    const a = tn.rand([3], { seed: 1 });
    const stale = handleOf(a);
    a.dispose();
    const b = tn.rand([3], { seed: 2 }); // may take a's slot: the generation tells them apart
    expect(() => native.run('copy', 'cpu', [stale, F32, [3], null, F32, [3]], 1, {})).toThrow(DisposedError);
    expect(() => native.readSync(stale, 0, 12)).toThrow(/disposed/);
    const fresh = handleOf(b);
    expect(fresh).not.toBe(stale);
    expect(Array.from(new Float32Array(native.readSync(fresh, 0, 12)))).toEqual(Array.from(b.dataSync()));
    b.dispose();
  });

  test('values that are not handles are ValueErrors; dispose of a stale handle is a no-op', () => {
    expect(() => native.readSync(0.5 as number, 0, 4)).toThrow(ValueError);
    expect(() => native.readSync('x' as unknown as number, 0, 4)).toThrow(ValueError);
    const a = tn.ones([2]);
    const h = handleOf(a);
    a.dispose();
    expect(() => native.dispose(h)).not.toThrow();
    expect(() => native.run('copy', 'cpu', [{}, F32, [2], null, F32, [2]], 1, {})).toThrow(ValueError);
  });
});

describe('small kernels on an idle stream', () => {
  test('a small op after a queued large one sees its result (stream order holds)', async () => {
    const x = tn.rand([384, 384], { seed: 3 });
    const reference = tn.matMul(x, x).dataSync(); // waited: the reference values
    // Queued work (a 384^3 product takes milliseconds), then small ops reading its output at once.
    const y = tn.matMul(x, x);
    const corner = tn.add(tn.slice(y, [0, 0], [2, 3]), 1);
    const got = await corner.data();
    const want = [0, 1, 2, 384, 385, 386].map((i) => Math.fround(reference[i] + 1));
    expect(Array.from(got)).toEqual(want);
    // A large op after small ones reads what they wrote.
    const small = tn.mul(tn.ones([384, 384]), 2);
    const big = tn.matMul(small, x);
    const colSums = tn.sum(x, 0).dataSync();
    const row = (await big.data()).slice(0, 384);
    row.forEach((v, j) => expect(v).toBeCloseTo(2 * colSums[j], 2));
    tn.dispose([x, y, corner, small, big]);
  });

  test('an immediate read settles on a later event-loop turn, after what was scheduled before it', async () => {
    const t = tn.add(tn.ones([4]), 1);
    await t.data(); // the stream is idle now: the next read is done at once
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    const p = t.data().then(() => order.push('read'));
    await Promise.resolve();
    expect(order).toEqual([]); // not settled within the microtasks of this turn
    await p;
    expect(order).toEqual(['immediate', 'read']);
    t.dispose();
  });

  test('a failed small kernel rejects the read of its output', async () => {
    const labels = tn.tensor([0, 7], [2], { dtype: 'int32' });
    const hot = tn.oneHot(labels, 3); // 7 is out of range: known only when the kernel runs
    await expect(hot.data()).rejects.toThrow(/one_hot|oneHot|range/i);
    tn.dispose([labels, hot]);
    expect(() => tn.synchronize()).not.toThrow(); // the read reported it; synchronize does not repeat it
  });
});
