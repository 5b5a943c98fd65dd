// Memory under load (issue 9, findings 12 and 13): the stream's queue is bounded and counted by memory(); a read
// copies the values once. Each measurement runs in a child process (its own RSS and queue bound).
import { spawnSync } from 'child_process';
import * as path from 'path';

const LIB = path.resolve(__dirname, '../../dist/lib/index.js');

function child(script: string, args: string[], env: Record<string, string> = {}): Record<string, number> {
  const r = spawnSync(process.execPath, [path.resolve(__dirname, '../lifecycle/scripts', script), ...args], {
    env: { ...process.env, TN_LIB: LIB, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
  return JSON.parse(r.stdout.trim());
}

describe('bounded queue (finding 12)', () => {
  test('a loop that never awaits stays within the queue bound; memory() counts what the queue holds', () => {
    const MiB = 1024 * 1024;
    const r = child('unawaited_loop.js', [], { TENSORNODE_QUEUE_MB: '16' });
    expect(r.maxKernels).toBeLessThanOrEqual(1024);
    expect(r.maxBytes).toBeLessThanOrEqual(16 * MiB);
    // Disposed outputs the queue still held were reported, and nothing is left once the stream is idle.
    expect(r.maxInQueue).toBeGreaterThan(0);
    // (queued kernels hold their inputs too: the add outputs that exp reads)
    expect(r.maxInQueue).toBeLessThanOrEqual(2 * 16 * MiB);
    expect(r.after).toBe(0);
    // Unbounded, 1500 x 2 MiB of outputs would pile up; bounded, RSS grows by about the bound.
    expect(r.rssGrowth).toBeLessThan(64 * MiB);
  });
});

describe('one copy per read (finding 13)', () => {
  test.each(['async', 'sync'])('%s read of 256 MiB peaks at about one extra copy', (mode) => {
    const { ratio } = child('read_peak_memory.js', [mode]);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.4);
  });
});
