// Differential tests against tfjs: complex64 tensors (complex, real, imag, arithmetic, layout, cast, printing), the
// refusal of complex inputs by every other op, and gradients through complex ops by finite differences.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray } from '../helpers/gradcheck';
import { bool, compareWithTfjs, expectBothThrow, f32, i32, tf, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
/** The complex tensor re + i im in library m. */
const cx = (m: Any, re: Any, im: Any): Any => m.complex(re, im);

describe('complex64 construction and parts vs tfjs', () => {
  run([
    ['complex -> real, imag', { inputs: [f32([2, 3]), f32([2, 3])], fn: (m, a, b) => { const c = cx(m, a, b); return [c, m.real(c), m.imag(c)]; }, grads: false }],
    ['complex scalar', { inputs: [f32([]), f32([])], fn: (m, a, b) => cx(m, a, b), grads: false }],
    ['complex of int32 and bool parts', { inputs: [i32([4], [-5, 5]), bool([4])], fn: (m, a, b) => cx(m, a, b), grads: false }],
    ['complex of arrays', { inputs: [], fn: (m) => m.complex([1.5, -2, 3], [0.25, 4, -1]) }],
    ['complex of rank 4', { inputs: [f32([2, 1, 3, 2]), f32([2, 1, 3, 2])], fn: (m, a, b) => m.real(cx(m, a, b)), grads: false }],
  ]);
  test('data(), dataSync() and array() hold interleaved (re, im) pairs, as tfjs', async () => {
    const T = tf();
    for (const shape of [[], [3], [2, 3], [2, 1, 2]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const re = Array.from(randomArray(n, 1));
      const im = Array.from(randomArray(n, 2));
      const theirs = T.complex(T.tensor(re, shape), T.tensor(im, shape));
      const mine = tn.complex(tn.tensor(re, shape), tn.tensor(im, shape));
      expect(mine.dataSync()).toEqual(theirs.dataSync());
      expect(await mine.data()).toEqual(await theirs.data());
      if (shape.length > 0) {
        expect(mine.arraySync()).toEqual(theirs.arraySync());
        expect(await mine.array()).toEqual(await theirs.array());
      } else {
        // tfjs's array() of a complex scalar drops the imaginary part; here it is the pair.
        expect(theirs.arraySync()).toEqual(re[0]);
        expect(mine.arraySync()).toEqual([Math.fround(re[0]), Math.fround(im[0])]);
      }
      theirs.dispose();
    }
  });
  test('toString matches tfjs (ranks 0 to 3, long vectors)', () => {
    const T = tf();
    for (const shape of [[], [4], [2, 3], [25], [2, 2, 2], [2, 1, 3]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const re = Array.from(randomArray(n, 3, -10, 10));
      const im = Array.from(randomArray(n, 4, -10, 10));
      const theirs = T.complex(T.tensor(re, shape), T.tensor(im, shape));
      const mine = tn.complex(tn.tensor(re, shape), tn.tensor(im, shape));
      expect(mine.toString()).toBe(theirs.toString());
      expect(mine.toString(true)).toBe(theirs.toString(true));
      theirs.dispose();
    }
  });
  test('real and imag of a real tensor follow tfjs docs (a float32 copy, zeros)', () => {
    const x = tn.tensor([1, -2, 3], [3], 'int32');
    const r = tn.real(x);
    const i = tn.imag(tn.tensor([[1.5, 2]]));
    expect([r.dtype, Array.from(r.dataSync())]).toEqual(['float32', [1, -2, 3]]);
    expect([i.dtype, i.shape, Array.from(i.dataSync())]).toEqual(['float32', [1, 2], [0, 0]]);
    const f = tn.tensor([4, 5]);
    const rf = tn.real(f);
    expect(rf).not.toBe(f);
    f.dispose();
    expect(Array.from(rf.dataSync())).toEqual([4, 5]); // its own storage
  });
  test('bad arguments throw typed errors', () => {
    expectBothThrow([f32([2]), f32([3])], (m, a, b) => m.complex(a, b), tn.ShapeError, /complex: 'real' has shape \[2\] but 'imag' has shape \[3\]/);
    expectBothThrow([f32([2, 2]), f32([2])], (m, a, b) => m.complex(a, b), tn.ShapeError);
    expectBothThrow([], (m) => m.tensor([1, 2, 3, 4], [2], 'complex64'), tn.DTypeError, /tensor: complex64 tensors cannot be made from values/);
    expectBothThrow([], (m) => m.fill([2], 1, 'complex64'), tn.DTypeError, /full: complex64/);
    expect(() => tn.complex(tn.ones([2]), 'x' as never)).toThrow(tn.ValueError);
    expect(() => tn.complex([1], [2]).item()).toThrow(tn.DTypeError);
  });
});

describe('complex64 arithmetic and layout vs tfjs', () => {
  run([
    ['add / sub / mul', { inputs: [f32([2, 3]), f32([2, 3]), f32([2, 3]), f32([2, 3])], fn: (m, a, b, c, d) => [m.add(cx(m, a, b), cx(m, c, d)), m.sub(cx(m, a, b), cx(m, c, d)), m.mul(cx(m, a, b), cx(m, c, d))], grads: false }],
    ['complex with a real tensor of the same shape', { inputs: [f32([3, 2]), f32([3, 2]), f32([3, 2])], fn: (m, a, b, r) => [m.add(cx(m, a, b), r), m.mul(r, cx(m, a, b)), m.sub(r, cx(m, a, b))], grads: false }],
    ['abs -> float32', { inputs: [f32([4, 3], [-3, 3]), f32([4, 3], [-3, 3])], fn: (m, a, b) => m.abs(cx(m, a, b)), grads: false }],
    ['method chain', { inputs: [f32([5]), f32([5])], fn: (m, a, b) => cx(m, a, b).mul(cx(m, b, a)).add(cx(m, a, a)).abs(), grads: false }],
    ['reshape / clone / expandDims / squeeze', { inputs: [f32([2, 1, 3]), f32([2, 1, 3])], fn: (m, a, b) => { const c = cx(m, a, b); return [m.reshape(c, [3, 2]), m.clone(c), m.expandDims(c, 1), m.squeeze(c)]; }, grads: false }],
    ['concat / stack', { inputs: [f32([2, 3]), f32([2, 3]), f32([2, 2]), f32([2, 2])], fn: (m, a, b, c, d) => [m.concat([cx(m, a, b), cx(m, b, a)], 0), m.concat([cx(m, a, b), cx(m, c, d)], 1), m.stack([cx(m, a, b), cx(m, b, a)], 2)], grads: false }],
    ['transpose', { inputs: [f32([2, 3, 4]), f32([2, 3, 4])], fn: (m, a, b) => [m.transpose(cx(m, a, b)), m.transpose(cx(m, a, b), [1, 0, 2])], grads: false }],
    ['cast complex -> float32 / int32 / bool (the real part)', { inputs: [f32([2, 3], [-4, 4]), f32([2, 3])], fn: (m, a, b) => { const c = cx(m, a, b); return [m.cast(c, 'float32'), m.cast(c, 'int32'), m.cast(c, 'bool')]; }, grads: false }],
    ['cast float32 / int32 -> complex64', { inputs: [f32([3]), i32([3], [-5, 5])], fn: (m, a, k) => [m.cast(a, 'complex64'), m.cast(k, 'complex64')], grads: false }],
    ['norm of complex (of the magnitudes)', { inputs: [f32([3, 4]), f32([3, 4])], fn: (m, a, b) => { const c = cx(m, a, b); return [m.norm(c), m.norm(c, 1), m.norm(c, Infinity, 1), m.norm(c, 'euclidean', 0, true)]; }, grads: false }],
    ['zeros / ones / zerosLike / onesLike complex64', { inputs: [f32([2, 2]), f32([2, 2])], fn: (m, a, b) => [m.zeros([2, 3], 'complex64'), m.ones([3], 'complex64'), m.zerosLike(cx(m, a, b)), m.onesLike(cx(m, a, b))], grads: false }],
  ]);
  test('broadcasting (tfjs CPU gives NaN there) matches the elementwise formulas', () => {
    const [ar, ai, br, bi] = [randomArray(6, 5), randomArray(6, 6), randomArray(3, 7), randomArray(3, 8)];
    const a = tn.complex(tn.tensor(ar, [2, 3]), tn.tensor(ai, [2, 3]));
    const b = tn.complex(tn.tensor(br, [3]), tn.tensor(bi, [3]));
    const expected = (f: (xr: number, xi: number, yr: number, yi: number) => [number, number]): number[] =>
      Array.from({ length: 6 }, (_, i) => f(ar[i], ai[i], br[i % 3], bi[i % 3])).flat();
    expectClose(tn.mul(a, b).dataSync(), expected((xr, xi, yr, yi) => [xr * yr - xi * yi, xr * yi + xi * yr]));
    expectClose(tn.add(a, b).dataSync(), expected((xr, xi, yr, yi) => [xr + yr, xi + yi]));
    expectClose(tn.sub(b, a).dataSync(), expected((xr, xi, yr, yi) => [yr - xr, yi - xi]));
    expectClose(tn.mul(a, 2.5).dataSync(), expected((xr, xi) => [2.5 * xr, 2.5 * xi]));
    expectClose(tn.add(a, tn.tensor([1, 2, 3], [3], 'int32')).dataSync(), expected((xr, xi, _yr, _yi) => [xr, xi]).map((v, i) => (i % 2 === 0 ? v + (((i / 2) % 3) + 1) : v)));
    expectClose(tn.neg(a).dataSync(), expected((xr, xi) => [-xr, -xi]));
    expectClose(a.neg().abs().dataSync(), Array.from({ length: 6 }, (_, i) => Math.hypot(ar[i], ai[i])));
    expect(() => tn.add(a, tn.complex(tn.ones([4]), tn.ones([4])))).toThrow(/add: shapes \[2,3\] and \[4\] cannot be broadcast/);
  });
  test('slice / split / unstack (tfjs CPU refuses complex there) slice both parts', () => {
    const re = tn.tensor(randomArray(12, 9), [3, 4]);
    const im = tn.tensor(randomArray(12, 10), [3, 4]);
    const c = tn.complex(re, im);
    const same = (x: tn.Tensor, r: tn.Tensor, i: tn.Tensor): void => {
      expect(x.shape).toEqual(r.shape);
      expect(Array.from(tn.real(x).dataSync())).toEqual(Array.from(r.dataSync()));
      expect(Array.from(tn.imag(x).dataSync())).toEqual(Array.from(i.dataSync()));
    };
    same(tn.slice(c, [1, 1], [2, 2]), tn.slice(re, [1, 1], [2, 2]), tn.slice(im, [1, 1], [2, 2]));
    tn.split(c, [1, 3], 1).forEach((part, k) => same(part, tn.split(re, [1, 3], 1)[k], tn.split(im, [1, 3], 1)[k]));
    tn.unstack(c).forEach((row, k) => same(row, tn.unstack(re)[k], tn.unstack(im)[k]));
  });
});

describe('ops without complex support refuse complex64 (never computing on the pairs)', () => {
  test.each([
    ['div', (m: Any, c: Any) => m.div(c, c), /div: argument 'a' is complex64/],
    ['exp', (m: Any, c: Any) => m.exp(c), /exp: argument 'x' is complex64/],
    ['sqrt', (m: Any, c: Any) => m.sqrt(c), /sqrt: argument 'x' is complex64/],
    ['sum', (m: Any, c: Any) => m.sum(c), /sum: argument 'x' is complex64/],
    ['matMul', (m: Any, c: Any) => m.matMul(c, c), /matmul: argument 'a' is complex64/],
    ['gather', (m: Any, c: Any) => m.gather(c, [1, 0]), /gather: argument 'x' is complex64/],
    ['tile', (m: Any, c: Any) => m.tile(c, [2, 1]), /tile: argument 'x' is complex64/],
    ['reverse', (m: Any, c: Any) => m.reverse(c, 1), /reverse: argument 'x' is complex64/],
    ['pad', (m: Any, c: Any) => m.pad(c, [[0, 0], [1, 1]]), /pad: argument 'x' is complex64/],
    ['where', (m: Any, c: Any) => m.where(m.tensor([[true, false], [false, true]]), c, c), /where: argument 'a' is complex64/],
    ['equal', (m: Any, c: Any) => m.equal(c, c), /equal: argument 'a' is complex64/],
    ['maximum', (m: Any, c: Any) => m.maximum(c, c), /maximum: argument 'a' is complex64/],
    ['relu', (m: Any, c: Any) => m.relu(c), /relu: argument 'x' is complex64/],
    ['square', (m: Any, c: Any) => m.square(c), /square: argument 'x' is complex64/],
    ['stridedSlice', (m: Any, c: Any) => m.stridedSlice(c, [0, 0], [2, 2], [1, 1]), /stridedSlice: argument 'x' is complex64/],
  ] as [string, (m: Any, c: Any) => Any, RegExp][])('%s', (_name, fn, message) => {
    expectBothThrow([f32([2, 2]), f32([2, 2])], (m, a, b) => fn(m, m.complex(a, b)), tn.DTypeError, message);
  });
  test('paths past validation still never hand complex64 to a kernel', () => {
    const c = tn.complex(tn.ones([2]), tn.ones([2]));
    expect(() => tn.variable(c)).toThrow(/variable: complex64 variables are not supported/);
    expect(() => tn.variable(tn.ones([2]), true, undefined, 'complex64')).toThrow(tn.DTypeError);
    expect(() => tn.buffer([2], 'complex64')).toThrow(tn.DTypeError);
    expect(() => tn.arange(0, 3, 1, 'complex64')).toThrow(/arange: complex64 tensors are not supported/); // runKernel's backstop
    expect(() => tn.randomUniform([2], 0, 1, 'complex64' as never)).toThrow(tn.DTypeError);
  });
});

describe('gradients through complex ops (tfjs has none: finite differences)', () => {
  /** The (re, im) parts of complex y stacked last: a real function of the inputs to differentiate. */
  const parts = (y: tn.Tensor): tn.Tensor => tn.stack([tn.real(y), tn.imag(y)], -1);
  test('complex, real, imag, add, sub, mul, neg', async () => {
    await checkGradients(([a, b]) => parts(tn.complex(a, b)), [{ shape: [2, 3] }, { shape: [2, 3] }]);
    await checkGradients(([a, b, c]) => parts(tn.mul(tn.complex(a, b), tn.complex(c, a))), [{ shape: [2, 3] }, { shape: [2, 3] }, { shape: [2, 3] }]);
    await checkGradients(([a, b, c]) => parts(tn.mul(tn.complex(a, b), c)), [{ shape: [2, 3] }, { shape: [2, 3] }, { shape: [3] }]);
    await checkGradients(([a, b, c]) => parts(tn.sub(tn.add(tn.complex(a, b), c), tn.neg(tn.complex(b, c)))), [{ shape: [4] }, { shape: [4] }, { shape: [4] }]);
  });
  test('abs, cast, layout ops', async () => {
    await checkGradients(([a, b]) => tn.abs(tn.complex(a, b)), [{ shape: [3, 2], range: [0.5, 2] }, { shape: [3, 2], range: [-2, -0.5] }]);
    await checkGradients(([a, b]) => tn.cast(tn.mul(tn.complex(a, b), tn.complex(b, a)), 'float32'), [{ shape: [5] }, { shape: [5] }]);
    await checkGradients(([a]) => parts(tn.cast(a, 'complex64')), [{ shape: [5] }]);
    await checkGradients(([a, b]) => {
      const c = tn.complex(a, b);
      return parts(tn.concat([tn.transpose(c), tn.slice(tn.stack([c, c], 1), [0, 1, 0], [3, 1, 2]).reshape([2, 3])], 0));
    }, [{ shape: [3, 2] }, { shape: [3, 2] }]);
  });
  test('abs has gradient 0 at 0 (not NaN)', () => {
    const a = tn.tensor([0, 3], [2], { requiresGrad: true });
    tn.abs(tn.complex(a, tn.tensor([0, 4]))).sum().backward();
    expectClose(a.grad!.dataSync(), [0, 0.6]);
  });
  test('a complex leaf gets a complex64 gradient (d/dre, d/dim paired)', () => {
    const c = tn.complex(tn.tensor([3, 0.5]), tn.tensor([4, -1]));
    c.requiresGrad = true;
    tn.abs(tn.mul(c, 2)).sum().backward();
    expect(c.grad!.dtype).toBe('complex64');
    // d|2z|/d(re, im) = 2 (re, im) / |z|
    expectClose(c.grad!.dataSync(), [1.2, 1.6, 2 * 0.5 / Math.hypot(0.5, 1), -2 / Math.hypot(0.5, 1)]);
  });
  test('accumulating complex gradients leaves only the gradient behind', () => {
    const c = tn.complex(tn.tensor([3, 0.5]), tn.tensor([4, -1]));
    c.requiresGrad = true;
    const before = tn.memory().numTensors;
    const loss = tn.tidy(() => tn.add(tn.abs(c).sum(), tn.real(tn.mul(c, c)).sum()));
    loss.backward(); // outside any scope: two paths into c, summed by add()
    loss.dispose();
    expect(tn.memory().numTensors - before).toBe(1);
    // d/dz of |z| + Re(z^2): (re/|z| + 2 re, im/|z| - 2 im)
    expectClose(c.grad!.dataSync(), [0.6 + 6, 0.8 - 8, 0.5 / Math.hypot(0.5, 1) + 1, -1 / Math.hypot(0.5, 1) + 2]);
  });
});
