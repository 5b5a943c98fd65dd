// tf.engine() and tf.backend() vs tfjs: closure-free scopes (startScope/endScope), keep, the live counts, and the
// backend's precision members, run side by side through both libraries.
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** Live tensors each library is left with after `body`, counted from its own engine().state. */
function leftAfter(m: Any, body: (m: Any) => void): number {
  const before = m.engine().state.numTensors;
  body(m);
  return m.engine().state.numTensors - before;
}

describe('engine() scopes vs tfjs', () => {
  const libs: [string, () => Any][] = [['tfjs', tf], ['tensornode', () => tn]];

  test.each(libs)('%s: a tensor made between startScope and endScope and not returned is disposed', (_name, lib) => {
    const m = lib();
    let inside: Any;
    let returned: Any;
    const left = leftAfter(m, (mm) => {
      mm.engine().startScope('block');
      inside = mm.ones([3]);
      returned = mm.add(inside, mm.scalar(2));
      mm.engine().endScope(returned);
    });
    expect(left).toBe(1);
    expect(inside.isDisposed).toBe(true);
    expect(returned.isDisposed).toBe(false);
    expect(Array.from(returned.dataSync())).toEqual([3, 3, 3]);
    returned.dispose();
  });

  test.each(libs)('%s: results in a container survive, kept tensors survive, nested scopes move survivors outward', (_name, lib) => {
    const m = lib();
    const made: Record<string, Any> = {};
    const left = leftAfter(m, (mm) => {
      const e = mm.engine();
      e.startScope();
      made.kept = e.keep(mm.zeros([2]));
      e.startScope('inner');
      made.a = mm.ones([2]);
      made.b = mm.ones([2]);
      made.dropped = mm.ones([2]);
      e.endScope({ a: made.a, list: [made.b] });
      // a and b now belong to the outer scope: closing it without returning them disposes them.
      e.endScope(made.a);
    });
    expect(left).toBe(2);
    expect(made.dropped.isDisposed).toBe(true);
    expect(made.b.isDisposed).toBe(true);
    expect(made.a.isDisposed).toBe(false);
    expect(made.kept.isDisposed).toBe(false);
    made.a.dispose();
    made.kept.dispose();
  });

  test.each(libs)('%s: tidy inside a manual scope and engine().tidy', (_name, lib) => {
    const m = lib();
    let out: Any;
    const left = leftAfter(m, (mm) => {
      mm.engine().startScope();
      const t = mm.engine().tidy(() => mm.mul(mm.ones([4]), mm.scalar(3)));
      out = mm.engine().tidy('named', () => mm.sum(t));
      mm.engine().endScope([out]);
    });
    expect(left).toBe(1);
    expect(out.dataSync()[0]).toBe(12);
    out.dispose();
  });

  test('memory() and state agree with tfjs on the counts a program makes', () => {
    const T = tf();
    const counts = (m: Any) => {
      const before = m.engine().memory().numTensors;
      const xs = [m.ones([5]), m.zeros([2, 2]), m.scalar(1)];
      const mid = [m.engine().memory().numTensors - before, m.engine().state.numTensors - before];
      m.engine().disposeTensor(xs[0]);
      xs.slice(1).forEach((x: Any) => x.dispose());
      return [...mid, m.engine().state.numTensors - before];
    };
    expect(counts(tn)).toEqual(counts(T));
  });

  test('registeredVariables and disposeVariables follow tfjs', () => {
    const T = tf();
    const names = (m: Any) => {
      const v = m.variable(m.ones([2]), true, 'engine_compat_v');
      const seen = Object.keys(m.engine().registeredVariables).includes('engine_compat_v') && 'engine_compat_v' in m.engine().state.registeredVariables;
      m.engine().disposeVariable(v);
      return [seen, Object.keys(m.engine().registeredVariables).includes('engine_compat_v')];
    };
    expect(names(tn)).toEqual(names(T));
  });

  test('endScope without startScope, and with an inner scope still open, throws a ValueError', () => {
    expect(() => tn.engine().endScope()).toThrow(tn.ValueError);
    expect(() => tn.engine().endScope()).toThrow(/endScope: there is no open scope/);
    tn.engine().startScope('outer');
    expect(() => tn.tidy(() => tn.engine().endScope())).toThrow(/scope 'outer' is not the innermost scope/);
    tn.engine().endScope();
    expect(() => tn.engine().startScope(3 as unknown as string)).toThrow(/startScope: 'name' must be a string/);
  });
});

describe('backend() vs tfjs', () => {
  test('float precision and epsilon as tfjs reports them for a 32-bit float backend', () => {
    const T = tf();
    expect(tn.backend().floatPrecision()).toBe(T.backend().floatPrecision());
    expect(tn.backend().epsilon()).toBe(T.backend().epsilon());
  });

  test('numDataIds counts live storages as tfjs counts data ids', () => {
    const T = tf();
    const grown = (m: Any) => {
      const before = m.backend().numDataIds();
      const a = m.ones([3]);
      const one = m.scalar(1);
      const b = m.add(a, one);
      const view = m.reshape(b, [3, 1]);
      const up = m.backend().numDataIds() - before;
      m.dispose([a, one, b, view]);
      return [up, m.backend().numDataIds() - before];
    };
    // A reshape shares its input's storage (tfjs: its data id), so it adds none.
    expect(grown(tn)).toEqual(grown(T));
    expect(grown(tn)).toEqual([3, 0]);
    expect(tn.backend().memory().unreliable).toBe(false);
  });

  test('engine().backendName and backend().name name the active backend', () => {
    expect(tn.engine().backendName).toBe(tn.getBackend());
    expect(tn.backend().name).toBe(tn.getBackend());
    expect(tn.engine().backendNames()).toContain('cpu');
  });
});
