// Kernel calls packed into the shared Float64Array (native/napi/run_op.cc): malformed buffers are typed errors, never a
// crash or a read past the buffer; op ids and device codes are stable; scopes stay bounded when their tensors go early.
import * as tn from '../../lib';
import { native } from '../../lib/native';
import { trackedEntries } from '../../lib/memory';
import { restoreCallBuffer } from '../../lib/engine/kernel';
import { DeviceError, DTypeError, InternalError, ShapeError, ValueError } from '../../lib/errors';

const F32 = 0;

/** Packs one call into a fresh buffer the addon then reads; disposes what it made; lib's buffer is registered again. */
function callWith(values: number[], length = values.length): number {
  const buf = new Float64Array(length);
  buf.set(values.slice(0, length));
  native.setCallBuffer(buf);
  try {
    const made = native.call(undefined);
    for (let k = 0; k < made; k++) native.dispose(buf[k]); // the new outputs' handles, written back into buf
    return made;
  } finally {
    restoreCallBuffer();
  }
}

describe('packed kernel calls', () => {
  const add = native.opId('add');

  test('op ids are stable per name and distinct between names', () => {
    expect(native.opId('add')).toBe(add);
    expect(native.opId('mul')).not.toBe(add);
  });

  test('device codes: cpu is 0, cuda:N is N+1, anything else is a DeviceError', () => {
    expect(native.deviceCode('cpu')).toBe(0);
    expect(native.deviceCode('cuda:3')).toBe(4);
    expect(() => native.deviceCode('gpu')).toThrow(DeviceError);
  });

  test('a well-formed call computes, and its new handle comes back in the buffer', () => {
    const a = tn.tensor([1, 2, 3]);
    const h = (a as unknown as { storage(op: string): { handle: number } }).storage('test').handle;
    const buf = new Float64Array(64);
    buf.set([add, 0, 2, 3, h, F32, 1, 3, h, F32, 1, 3, 0, F32, 1, 3]);
    native.setCallBuffer(buf);
    try {
      expect(native.call(undefined)).toBe(1);
      const out = buf[0];
      expect(Array.from(new Float32Array(native.readSync(out, 0, 12)))).toEqual([2, 4, 6]);
      native.dispose(out);
    } finally {
      restoreCallBuffer();
    }
    a.dispose();
  });

  test('malformed calls are InternalErrors naming the problem', () => {
    expect(() => callWith([add, 0, 2])).toThrow(/no header/);
    expect(() => callWith([add, 0, 3, 2])).toThrow(InternalError);
    expect(() => callWith([1e9, 0, 0, 0])).toThrow(/unknown op id/);
    expect(() => callWith([add, -1, 0, 0])).toThrow(/device code/);
    expect(() => callWith([add, 0.5, 0, 0])).toThrow(/device code/);
    // Arguments that run past the end of the buffer: the rank, then the argument header itself.
    expect(() => callWith([add, 0, 0, 1, 0, F32, 5, 1, 1])).toThrow(/past the buffer/);
    expect(() => callWith([add, 0, 0, 2, 0, F32, 1, 3])).toThrow(/past the buffer/);
  });

  test('bad dtype codes and shapes are DTypeError / ShapeError', () => {
    expect(() => callWith([add, 0, 0, 1, 0, 7, 1, 3])).toThrow(DTypeError);
    expect(() => callWith([add, 0, 0, 1, 0, F32, 1, -3])).toThrow(ShapeError);
    expect(() => callWith([add, 0, 0, 1, 0, F32, 1, 2.5])).toThrow(ShapeError);
    expect(() => callWith([add, 0, 0, 1, 0, F32, 2, 1e10, 1e10])).toThrow(/too large/);
  });

  test('seed attrs outside [0, 2^64) are ValueErrors when the kernel runs (the fuzzer found -inf converted to uint64)', () => {
    for (const seed of [-Infinity, Infinity, NaN, -1, 2 ** 64]) {
      const [h] = native.run('random_uniform', 'cpu', [null, F32, [3]], 0, { seed, low: 0, high: 1 });
      expect(() => native.readSync(h, 0, 12)).toThrow(ValueError);
      native.dispose(h);
    }
    const [ok] = native.run('random_uniform', 'cpu', [null, F32, [3]], 0, { seed: 2 ** 53, low: 0, high: 1 });
    expect(new Float32Array(native.readSync(ok, 0, 12)).every((v) => v >= 0 && v < 1)).toBe(true);
    native.dispose(ok);
    expect(() => tn.synchronize()).not.toThrow(); // each read reported its own error
  });

  test('an op with no kernel on the device is a DeviceError', () => {
    const none = native.opId('no_such_kernel_anywhere');
    expect(() => callWith([none, 0, 0, 0])).toThrow(DeviceError);
  });
});

describe('scope bookkeeping', () => {
  test('a long tidy that disposes what it makes keeps its list bounded', () => {
    const before = trackedEntries();
    let peak = 0;
    tn.tidy(() => {
      const x = tn.ones([2]);
      for (let i = 0; i < 50_000; i++) {
        tn.add(x, 1).dispose();
        peak = Math.max(peak, trackedEntries());
      }
    });
    expect(peak).toBeLessThan(10_000);
    expect(trackedEntries()).toBe(before);
  });

  test('an op result joins the enclosing tidy and is disposed with it; a kept one survives', () => {
    let inner: tn.Tensor | undefined;
    let kept: tn.Tensor | undefined;
    tn.tidy(() => {
      inner = tn.add(tn.ones([2]), 1);
      kept = tn.keep(tn.mul(tn.ones([2]), 3));
    });
    expect(inner!.isDisposed).toBe(true);
    expect(Array.from(kept!.dataSync())).toEqual([3, 3]);
    kept!.dispose();
  });
});

describe('packed calls from random buffers', () => {
  // Property: whatever numbers the buffer holds, a call computes or throws a typed tensornode error; it never crashes
  // the process or reads past the buffer (the ASan job runs this file too).
  const fc = require('fast-check') as typeof import('fast-check');
  const ops = ['add', 'copy', 'matmul', 'reduce_sum', 'bias_act', 'conv2d', 'fill'].map((k) => native.opId(k));
  const value = fc.oneof(
    fc.constantFrom(0, 1, 2, 3, -1, 0.5, NaN, Infinity, 2 ** 31, 1e300),
    fc.integer({ min: 0, max: 8 }),
    fc.double({ noNaN: false }),
  );

  test('typed errors or results, never a crash', () => {
    const live = tn.ones([2, 3]);
    const h = (live as unknown as { storage(op: string): { handle: number } }).storage('test').handle;
    fc.assert(
      fc.property(fc.constantFrom(...ops), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.array(value, { maxLength: 24 }), fc.boolean(), (op, nIn, nArgs, rest, useHandle) => {
        const body = rest.map((v, i) => (useHandle && i % 5 === 0 ? h : v));
        try {
          callWith([op, 0, nIn, nArgs, ...body], 4 + body.length);
        } catch (e) {
          expect((e as Error).constructor.name).toMatch(/^(Internal|Shape|DType|Value|Disposed|Device)Error$/);
        }
      }),
      { numRuns: 3000, seed: 42 },
    );
    live.dispose();
    // Calls that passed the addon's checks but not their kernel's (an add with no arguments, say) recorded their
    // errors with this environment, shared by the test files of this jest worker: report them here, not in a later file.
    try {
      tn.synchronize();
    } catch {
      // expected: the first recorded kernel error
    }
    expect(() => tn.synchronize()).not.toThrow();
  });
});
