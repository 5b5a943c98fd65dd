// tfjs's environment and memory functions: backends, env flags, version, memory() fields, tidy(name, fn), keep,
// dispose of nested containers, and tf.util helpers checked against @tensorflow/tfjs's own.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';

describe('backend and environment', () => {
  test("getBackend reports 'cpu' or 'cuda'; setBackend follows the default device", async () => {
    const before = tn.getDefaultDevice();
    expect(['cpu', 'cuda']).toContain(tn.getBackend());
    expect(await tn.setBackend('cpu')).toBe(true);
    expect(tn.getBackend()).toBe('cpu');
    expect(tn.getDefaultDevice()).toBe('cpu');
    expect(await tn.setBackend('cuda:7')).toBe(tn.cudaDevices().some((d) => d.index === 7));
    await expect(tn.setBackend('webgl')).rejects.toThrow(tn.ValueError);
    await tn.ready();
    tn.setDefaultDevice(before);
  });

  test('env flags, prod mode, version', () => {
    expect(tn.env().get('IS_NODE')).toBe(true);
    expect(tn.env().getBool('IS_BROWSER')).toBe(false);
    expect(() => tn.env().get('NO_SUCH_FLAG')).toThrow(/Cannot evaluate flag 'NO_SUCH_FLAG'/);
    tn.enableProdMode();
    expect(tn.env().getBool('PROD')).toBe(true);
    tn.env().set('PROD', false);
    expect(tn.version.tensornode).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('memory, tidy, keep, dispose', () => {
  test('memory() has tfjs fields: views share one data buffer', () => {
    const m0 = tn.memory();
    const t = tn.zeros([4]);
    const v = t.reshape([2, 2]);
    const m1 = tn.memory();
    expect(m1.unreliable).toBe(false);
    expect(m1.numTensors - m0.numTensors).toBe(2);
    expect(m1.numDataBuffers - m0.numDataBuffers).toBe(1);
    expect(m1.numBytes - m0.numBytes).toBe(16);
    tn.dispose([t, v]);
    expect(tn.memory().numDataBuffers).toBe(m0.numDataBuffers);
  });

  test('tidy(name, fn) and keep', () => {
    let kept: tn.Tensor | null = null;
    let dropped: tn.Tensor | null = null;
    const out = tn.tidy('scope name', () => {
      kept = tn.keep(tn.ones([2]));
      dropped = tn.ones([2]);
      return tn.zeros([3]);
    });
    expect(out.isDisposed).toBe(false);
    expect(kept!.isDisposed).toBe(false);
    expect(dropped!.isDisposed).toBe(true);
    expect(() => tn.tidy('x', 3 as never)).toThrow(/tidy\('x'\): the second argument must be a function/);
    tn.dispose([out, kept]);
  });

  test('dispose walks nested arrays, objects, Maps and Sets of any depth', () => {
    const ts = Array.from({ length: 5 }, () => tn.zeros([1]));
    let deep: unknown = { leaf: ts[4] };
    for (let i = 0; i < 12; i++) deep = [deep];
    const box: Record<string, unknown> = { a: [ts[0], { b: ts[1] }], m: new Map([['k', ts[2]]]), s: new Set([ts[3]]), deep };
    box.self = box; // a cycle is not a problem
    tn.dispose(box);
    expect(ts.every((t) => t.isDisposed)).toBe(true);
  });
});

describe('tf.util as tfjs', () => {
  test('shape and index helpers agree with tfjs', () => {
    const shape = [2, 3, 4];
    expect(tn.util.sizeFromShape(shape)).toBe(tf.util.sizeFromShape(shape));
    expect(tn.util.computeStrides(shape)).toEqual(tf.util.computeStrides(shape));
    const strides = tn.util.computeStrides(shape);
    for (const i of [0, 5, 17, 23]) {
      expect(tn.util.indexToLoc(i, 3, strides)).toEqual(tf.util.indexToLoc(i, 3, strides));
      expect(tn.util.locToIndex(tn.util.indexToLoc(i, 3, strides), 3, strides)).toBe(i);
    }
    expect(tn.util.flatten([[1, [2, 3]], [4]])).toEqual(tf.util.flatten([[1, [2, 3]], [4]]));
    expect(tn.util.inferFromImplicitShape([2, -1], 8)).toEqual(tf.util.inferFromImplicitShape([2, -1], 8));
    expect(tn.util.squeezeShape([1, 3, 1, 2])).toEqual(tf.util.squeezeShape([1, 3, 1, 2]));
    expect(tn.util.squeezeShape([1, 3, 1, 2], [2])).toEqual(tf.util.squeezeShape([1, 3, 1, 2], [2]));
    expect(tn.util.parseAxisParam(-1, [2, 3])).toEqual(tf.util.parseAxisParam(-1, [2, 3]));
    expect(tn.util.toNestedArray([2, 2], [1, 2, 3, 4])).toEqual(tf.util.toNestedArray([2, 2], [1, 2, 3, 4]));
    expect(tn.util.sizeToSquarishShape(10)).toEqual(tf.util.sizeToSquarishShape(10));
    expect(tn.util.nearestDivisor(12, 5)).toBe(tf.util.nearestDivisor(12, 5));
    expect(tn.enclosingPowerOfTwo(33)).toBe(tf.enclosingPowerOfTwo(33));
    expect(tn.util.arraysEqual([1, 2], [1, 2])).toBe(true);
    expect(tn.util.arraysEqual([1, 2], [1, 3])).toBe(false);
    expect(tn.upcastType('int32', 'float32')).toBe(tf.upcastType('int32', 'float32'));
    expect(tn.sumOutType('int32')).toBe(tf.sumOutType('int32'));
  });

  test('assertions throw typed errors with the message', () => {
    expect(() => tn.util.assert(false, () => 'custom message')).toThrow(/custom message/);
    expect(() => tn.util.assert(false, () => 'x')).toThrow(tn.ValueError);
    expect(() => tn.util.assertShapesMatch([1, 2], [2, 1], 'op: ')).toThrow(tn.ShapeError);
    expect(() => tn.util.assertShapesMatch([1, 2], [1, 2])).not.toThrow();
  });

  test('shuffle keeps the elements; now is monotonic', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    tn.util.shuffle(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const b = a.map((x) => x * 10);
    tn.util.shuffleCombo(a, b);
    a.forEach((x, i) => expect(b[i]).toBe(x * 10));
    const t0 = tn.util.now();
    expect(tn.util.now()).toBeGreaterThanOrEqual(t0);
    expect(tn.util.decodeString(tn.util.encodeString('héllo'))).toBe('héllo');
  });

  test('op() names errors; print logs tfjs text; profile counts new tensors', async () => {
    const f = tn.op({ myOp: (x: tn.Tensor) => tn.add(x, tn.zeros([3])) });
    expect(() => f(tn.zeros([2]))).toThrow(/^myOp: add: /);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    tn.print(tn.tensor1d([1, 2]));
    expect(log).toHaveBeenCalledWith(tf.tensor1d([1, 2]).toString());
    log.mockRestore();
    const info = await tn.profile(() => tn.zeros([8]));
    expect(info.newTensors).toBe(1);
    expect(info.newBytes).toBe(32);
    info.result.dispose();
  });
});
