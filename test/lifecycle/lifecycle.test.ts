// Process lifecycle (issue 9, findings 1-3 and 7): each scenario runs in a child process; the test asserts how it
// ended (exit code, no signal, within a timeout) and what it printed.
import { spawnSync } from 'child_process';
import * as path from 'path';

const LIB = path.resolve(__dirname, '../../dist/lib/index.js');

function runChild(script: string, args: string[], timeoutMs = 90_000, nodeFlags: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, path.join(__dirname, 'scripts', script), ...args], {
    env: { ...process.env, TN_LIB: LIB },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, timedOut: r.error !== undefined };
}

describe('process exit with kernels still queued (finding 3)', () => {
  test.each([
    ['exit', 0],
    ['throw', 1],
    ['sigint', 130],
    ['return', 0],
  ])('%s: the process ends with code %d, no signal, no hang', (mode, code) => {
    for (let i = 0; i < 3; i++) {
      const r = runChild('exit_with_queued_work.js', [mode as string]);
      expect({ timedOut: r.timedOut, signal: r.signal, status: r.status }).toEqual({ timedOut: false, signal: null, status: code });
      if (mode === 'throw') expect(r.stderr).toContain('uncaught on purpose');
    }
  }, 300_000);
});

describe('worker.terminate() mid-work (findings 1 and 2)', () => {
  test.each(['read', 'call'])('50 workers terminated mid-%s: no abort, the main thread still computes', (mode) => {
    const r = runChild('terminate_workers.js', [mode, '50'], 280_000); // ~40 s on a loaded 2-core machine
    expect({ timedOut: r.timedOut, signal: r.signal, status: r.status }).toEqual({ timedOut: false, signal: null, status: 0 });
    expect(r.stdout).toContain('done 2,2,2');
    expect(r.stderr).not.toContain('terminate called');
  }, 300_000);
});

describe('kernel errors stay with the environment that caused them (finding 7)', () => {
  test("worker A's bad labels never reject worker B's reads; each sees only its own error", () => {
    const r = runChild('worker_error_isolation.js', []);
    expect({ timedOut: r.timedOut, signal: r.signal, status: r.status }).toEqual({ timedOut: false, signal: null, status: 0 });
    const { a, b } = JSON.parse(r.stdout.trim());
    expect(a.own).toMatch(/^ValueError: oneHot: index 9 at position 1 is outside \[0, 3\)/);
    expect(a.synced).toBe('ValueError');
    expect(b).toEqual({ failures: 0, wrong: 0, synced: 'ok' });
  });
});

describe('the GC backstop', () => {
  test('tensors dropped without dispose() are freed once collected, also those dropped in the job that made them', () => {
    const r = runChild('gc_backstop.js', [], 90_000, ['--expose-gc']);
    expect({ timedOut: r.timedOut, signal: r.signal, status: r.status, stderr: r.stderr }).toEqual({ timedOut: false, signal: null, status: 0, stderr: '' });
    const got = JSON.parse(r.stdout.trim());
    expect(got.made).toBeGreaterThanOrEqual(6000); // ones + add, 3000 times: nothing disposed them
    expect(got).toMatchObject({ leftTensors: 0, leftBytes: 0 });
  });
});
