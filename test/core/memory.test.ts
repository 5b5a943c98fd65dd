// Memory: tidy releases everything but its result, dispose/using free storage, counts return to baseline.
import * as tn from '../../lib';

describe('memory', () => {
  test('tidy over 10,000 ops returns to the baseline', async () => {
    const x = tn.rand([8, 8], { seed: 1 });
    const before = tn.memory();
    for (let i = 0; i < 100; i++) {
      tn.tidy(() => {
        let y = x;
        for (let k = 0; k < 100; k++) y = tn.relu(tn.add(y, 0.001));
        return undefined;
      });
    }
    const after = tn.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    x.dispose(); // leave no garbage: a later GC would move the other tests' baselines
  });

  test('tidy keeps the returned tensors and moves them to the outer scope', async () => {
    const before = tn.memory().numTensors;
    const kept = tn.tidy(() => {
      const inner = tn.tidy(() => {
        const a = tn.ones([4]);
        return { a, list: [tn.mul(a, 2)] };
      });
      expect(inner.a.isDisposed).toBe(false);
      return inner.list[0];
    });
    expect(kept.isDisposed).toBe(false);
    expect(Array.from(await kept.data())).toEqual([2, 2, 2, 2]);
    expect(tn.memory().numTensors).toBe(before + 1);
    kept.dispose();
    expect(tn.memory().numTensors).toBe(before);
  });

  test('tidy disposes its tensors when fn throws', () => {
    const before = tn.memory().numTensors;
    expect(() =>
      tn.tidy(() => {
        tn.ones([3]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tn.memory().numTensors).toBe(before);
  });

  test('tidy rejects async functions', () => {
    expect(() => tn.tidy((async () => 1) as unknown as () => number)).toThrow(tn.ValueError);
  });

  test('keep() survives tidy; views share storage until the last user is gone', async () => {
    const base = tn.memory();
    const outer = tn.tidy(() => tn.keep(tn.full([2, 3], 5)));
    const view = outer.reshape([3, 2]);
    expect(tn.memory().numBytes).toBe(base.numBytes + 24);
    outer.dispose();
    expect(Array.from(await view.data())).toEqual([5, 5, 5, 5, 5, 5]);
    view.dispose();
    expect(tn.memory().numBytes).toBe(base.numBytes);
    expect(tn.memory().numTensors).toBe(base.numTensors);
  });

  test('using disposes at the end of the block', () => {
    const before = tn.memory().numTensors;
    {
      using t = tn.zeros([16]);
      expect(t.size).toBe(16);
      expect(tn.memory().numTensors).toBe(before + 1);
    }
    expect(tn.memory().numTensors).toBe(before);
  });

  test('per-device totals', () => {
    const t = tn.zeros([10]);
    const m = tn.memory();
    expect(m.devices.cpu.numTensors).toBeGreaterThan(0);
    expect(m.devices.cpu.numBytes).toBeGreaterThanOrEqual(40);
    t.dispose();
  });

  test('a disposed tensor refuses every use', async () => {
    const t = tn.ones([2]);
    t.dispose();
    t.dispose(); // idempotent
    expect(() => t.dataSync()).toThrow(tn.DisposedError);
    await expect(t.data()).rejects.toThrow(tn.DisposedError);
    expect(() => t.reshape([2])).toThrow(/disposed/);
  });
});
