// tf.test_util against tfjs's: the same mismatches raise the same messages; matches pass (without tfjs's jasmine-only
// expect().nothing(), which breaks under jest).
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';

/** The message tfjs's version throws for this call (it also throws on success under jest: that is ignored here). */
function tfjsMessage(call: (u: typeof tn.test_util) => void): string | null {
  try {
    call(tf().test_util);
  } catch (e) {
    const m = (e as Error).message;
    return m.includes('nothing is not a function') ? null : m;
  }
  return null;
}

const mismatches: [string, (u: typeof tn.test_util) => void][] = [
  ['close: a value off by more than epsilon', (u) => u.expectArraysClose(new Float32Array([1, 2, 3]), [1, 2.01, 3])],
  ['close: shapes differ', (u) => u.expectArraysClose([[1, 2]], [1, 2])],
  ['close: lengths differ', (u) => u.expectArraysClose(new Float32Array([1, 2]), new Float32Array([1, 2, 3]))],
  ['close: container types differ', (u) => u.expectArraysClose(new Float32Array([1]), new Int32Array([1]))],
  ['close: NaN against a number', (u) => u.expectArraysClose([NaN], [1])],
  ['close: a given epsilon', (u) => u.expectArraysClose([1, 2], [1.2, 2], 0.1)],
  ['equal: one step apart', (u) => u.expectArraysEqual(new Int32Array([1, 2]), [1, 3])],
  ['equal: a lone expected value', (u) => u.expectArraysEqual([2], 3)],
  ['numbers close', (u) => u.expectNumbersClose(1, 1.1)],
  ['values in range', (u) => u.expectValuesInRange([0, 0.5, 1.5], 0, 1)],
  ['array buffers', (u) => u.expectArrayBuffersEqual(new Float32Array([1, 2]).buffer, new Float32Array([1, 3]).buffer)],
];

test.each(mismatches)('%s: the same error as tfjs', (_name, call) => {
  const want = tfjsMessage(call);
  expect(want).not.toBeNull();
  expect(() => call(tn.test_util)).toThrow(want as string);
});

test('matches pass, with float32 tolerance and non-finite pairs as equal', async () => {
  const u = tn.test_util;
  const x = tn.tensor([[1, 2], [3, 4]]);
  u.expectArraysClose(await x.data(), [1, 2, 3, 4.0005]);
  u.expectArraysClose(x.arraySync() as number[][], [[1, 2], [3, 4]]);
  u.expectArraysClose([Infinity, 1], [-Infinity, 1]);
  u.expectArraysEqual(await tn.tensor([1, 2], [2], 'int32').data(), [1, 2]);
  u.expectArraysEqual(['a', 'b'], ['a', 'b']);
  u.expectNumbersClose(1, 1.0009);
  u.expectValuesInRange([0, 1], 0, 1);
  expect(u.testEpsilon()).toBe(1e-3);
  expect(() => u.expectArraysClose(x as never, [1, 2, 3, 4])).toThrow(/not a Tensor/);
  expect(u.encodeStrings(['ab', ['c']])).toEqual([new Uint8Array([97, 98]), [new Uint8Array([99])]]);
});

test('expectPromiseToFail calls done on a rejection and done.fail on a resolution', async () => {
  const calls: string[] = [];
  const done = Object.assign(() => calls.push('done'), { fail: () => calls.push('fail') });
  tn.test_util.expectPromiseToFail(() => Promise.reject(new Error('x')), done);
  tn.test_util.expectPromiseToFail(() => Promise.resolve(1), done);
  await new Promise((r) => setImmediate(r));
  expect(calls.sort()).toEqual(['done', 'fail']);
});
