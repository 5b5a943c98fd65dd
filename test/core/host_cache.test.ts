// The CPU block cache: freed large blocks are kept for reuse, never beyond the bound (256 MiB by default).
import * as tn from '../../lib';

describe('CPU host block cache', () => {
  test('a freed large block is kept and reused; the cache stays within its bound', async () => {
    const big = tn.zeros([512 * 1024]); // 2 MiB: above the cache's minimum block size
    await big.data();
    const before = tn.backendInfo().cpu.cachedBytes;
    big.dispose();
    tn.synchronize('cpu');
    // Jest reuses worker processes, so earlier suites may have filled the cache: then the block is freed instead.
    const fits = before + 2 * 1024 * 1024 <= 256 * 1024 * 1024;
    expect(tn.backendInfo().cpu.cachedBytes).toBe(fits ? before + 2 * 1024 * 1024 : before);
    // The same size again takes the cached block back.
    const again = tn.full([512 * 1024], 3);
    expect(tn.backendInfo().cpu.cachedBytes).toBe(before);
    expect((await again.data())[12345]).toBe(3);
    again.dispose();
    // Many distinct large sizes never push the cache past 256 MiB.
    for (let k = 0; k < 40; k++) {
      const t = tn.zeros([(4 + k) * 1024 * 1024]);
      await t.data();
      t.dispose();
    }
    tn.synchronize('cpu');
    expect(tn.backendInfo().cpu.cachedBytes).toBeLessThanOrEqual(256 * 1024 * 1024);
    expect(tn.backendInfo().cpu.cachedBytes).toBeGreaterThan(0);
  });
});
