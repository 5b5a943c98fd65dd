// Execution model: ops return at once and run on the device stream; the event loop keeps turning meanwhile.
// Lives in test/serial: it measures timer lag, so it runs alone (npm test runs this folder with --runInBand after the rest).
import * as tn from '../../lib';

describe('asynchronous execution', () => {
  test('a timer keeps firing (lag < 20 ms) while a multi-second matmul runs', async () => {
    tn.setNumThreads(1); // make the native work long on any machine
    try {
      const a = tn.rand([1536, 1536], { seed: 1 });
      const b = tn.rand([1536, 1536], { seed: 2 });
      await a.data();
      let worstLag = 0;
      let ticks = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        worstLag = Math.max(worstLag, now - last - 5);
        last = now;
        ticks++;
      }, 5);
      const started = performance.now();
      let y = a;
      for (let i = 0; i < 8; i++) y = tn.matmul(y, b);
      const queuedIn = performance.now() - started;
      const values = await y.data();
      clearInterval(timer);
      expect(values.length).toBe(1536 * 1536);
      // The calls only queued work...
      expect(queuedIn).toBeLessThan(50);
      // ...and the loop kept ticking while it ran.
      expect(ticks).toBeGreaterThan(5);
      expect(worstLag).toBeLessThan(20);
    } finally {
      tn.setNumThreads(require('os').cpus().length);
    }
  });

  test('data() of many tensors resolves in order of the stream', async () => {
    const xs = Array.from({ length: 50 }, (_, i) => tn.full([3], i));
    const values = await Promise.all(xs.map((x) => x.data()));
    values.forEach((v, i) => expect(Array.from(v)).toEqual([i, i, i]));
  });

  test('kernel errors raised on the stream reject the next read', async () => {
    const bad = tn.oneHot(tn.tensor([0, 7], [2], { dtype: 'int32' }), 3);
    await expect(bad.data()).rejects.toThrow(/index 7/);
    // The stream recovers: later work is fine.
    expect(Array.from(await tn.ones([2]).data())).toEqual([1, 1]);
  });
});
