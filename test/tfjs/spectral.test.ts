// Differential tests against tfjs: fft, ifft, rfft, irfft (top level, tf.spectral and Tensor methods) and
// tf.signal.stft on random inputs; their gradients (tfjs has none) by finite differences.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray } from '../helpers/gradcheck';
import { compareWithTfjs, expectBothThrow, f32, i32, tf, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
// A DFT of n points as a GEMM sums n float32 products: tolerances grow with the length of the transform.
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs({ rtol: 1e-4, atol: 1e-4, grads: false, ...c }));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const cx = (m: Any, re: Any, im: Any): Any => m.complex(re, im);

describe('fft / ifft vs tfjs', () => {
  const lengths = [1, 2, 3, 4, 5, 8, 12, 16, 17, 64];
  run(lengths.map((n): Case => [`fft and ifft of ${n} points`, { inputs: [f32([3, n]), f32([3, n])], fn: (m, a, b) => [m.fft(cx(m, a, b)), m.ifft(cx(m, a, b))] }]));
  run([
    ['rank 1', { inputs: [f32([6]), f32([6])], fn: (m, a, b) => [m.spectral.fft(cx(m, a, b)), m.spectral.ifft(cx(m, a, b))] }],
    ['rank 3', { inputs: [f32([2, 3, 8]), f32([2, 3, 8])], fn: (m, a, b) => [m.fft(cx(m, a, b)), m.ifft(cx(m, a, b))] }],
    ['empty batch', { inputs: [f32([0, 4]), f32([0, 4])], fn: (m, a, b) => [m.fft(cx(m, a, b)), m.ifft(cx(m, a, b))] }],
    ['ifft(fft(x)) is x', { inputs: [f32([4, 10]), f32([4, 10])], fn: (m, a, b) => m.ifft(m.fft(cx(m, a, b))) }],
    ['methods', { inputs: [f32([2, 7]), f32([2, 7])], fn: (m, a, b) => [cx(m, a, b).fft(), cx(m, a, b).ifft()] }],
    ['large values', { inputs: [f32([2, 32], [-1000, 1000]), f32([2, 32], [-1000, 1000])], fn: (m, a, b) => m.fft(cx(m, a, b)), atol: 2e-2 }],
  ]);
  test('top level and tf.spectral are one function each', () => {
    expect([tn.fft, tn.ifft, tn.rfft, tn.irfft].map((f) => f.name)).toEqual(['fft', 'ifft', 'rfft', 'irfft']);
    const x = tn.complex(tn.tensor(randomArray(5, 1)), tn.tensor(randomArray(5, 2)));
    expect(Array.from(tn.spectral.fft(x).dataSync())).toEqual(Array.from(tn.fft(x).dataSync()));
  });
});

describe('rfft / irfft vs tfjs', () => {
  run([
    ['rfft even and odd lengths', { inputs: [f32([3, 8]), f32([2, 9])], fn: (m, a, b) => [m.rfft(a), m.rfft(b)] }],
    ['rfft rank 1 and 3', { inputs: [f32([5]), f32([2, 2, 6])], fn: (m, a, b) => [m.spectral.rfft(a), m.rfft(b)] }],
    ['rfft of 1 and 2 points', { inputs: [f32([3, 1]), f32([3, 2])], fn: (m, a, b) => [m.rfft(a), m.rfft(b)] }],
    ['rfft fftLength crops', { inputs: [f32([2, 10])], fn: (m, x) => [m.rfft(x, 4), m.rfft(x, 7), m.rfft(x, 10)] }],
    ['rfft fftLength zero-pads', { inputs: [f32([2, 5])], fn: (m, x) => [m.rfft(x, 8), m.rfft(x, 11)] }],
    ['rfft empty batch', { inputs: [f32([0, 6])], fn: (m, x) => m.rfft(x) }],
    ['rfft method', { inputs: [f32([4, 6])], fn: (m, x) => x.rfft() }],
    ['irfft of 3, 4, 5 and 9 bins', { inputs: [f32([2, 3]), f32([2, 3]), f32([2, 4]), f32([2, 4]), f32([3, 5]), f32([3, 5]), f32([1, 9]), f32([1, 9])], fn: (m, a, b, c, d, e, f, g, h) => [m.irfft(cx(m, a, b)), m.irfft(cx(m, c, d)), m.irfft(cx(m, e, f)), m.irfft(cx(m, g, h))] }],
    ['irfft of 1 and 2 bins (length m, as tfjs)', { inputs: [f32([3, 1]), f32([3, 1]), f32([3, 2]), f32([3, 2])], fn: (m, a, b, c, d) => [m.irfft(cx(m, a, b)), m.irfft(cx(m, c, d))] }],
    ['irfft rank 1 gives [1, n] (as tfjs)', { inputs: [f32([6]), f32([6])], fn: (m, a, b) => m.spectral.irfft(cx(m, a, b)) }],
    ['irfft rank 3', { inputs: [f32([2, 3, 5]), f32([2, 3, 5])], fn: (m, a, b) => m.irfft(cx(m, a, b)) }],
    ['irfft method', { inputs: [f32([2, 4]), f32([2, 4])], fn: (m, a, b) => cx(m, a, b).irfft() }],
    ['irfft(rfft(x)) is x (even length)', { inputs: [f32([3, 10])], fn: (m, x) => m.irfft(m.rfft(x)) }],
  ]);
  test('irfft of rank >= 4 keeps the outer dims (tfjs flattens them into one)', () => {
    const T = tf();
    const [re, im] = [randomArray(2 * 3 * 2 * 4, 3), randomArray(2 * 3 * 2 * 4, 4)];
    const shape = [2, 3, 2, 4];
    const theirs = T.spectral.irfft(T.complex(T.tensor(re, shape), T.tensor(im, shape)));
    const mine = tn.irfft(tn.complex(tn.tensor(re, shape), tn.tensor(im, shape)));
    expect(theirs.shape).toEqual([12, 6]);
    expect(mine.shape).toEqual([2, 3, 2, 6]);
    expectClose(mine.dataSync(), theirs.dataSync(), 1e-4, 1e-4);
    theirs.dispose();
  });
  test('irfft(rfft(x)) recovers an odd-length x only up to the lost last sample (tfjs rule: length 2 (m - 1))', () => {
    const x = tn.tensor(randomArray(7, 5));
    expect(tn.irfft(tn.rfft(x)).shape).toEqual([1, 6]);
  });
});

describe('signal.stft vs tfjs', () => {
  run([
    ['default fftLength (next power of two) and Hann window', { inputs: [f32([20])], fn: (m, s) => m.signal.stft(s, 5, 3) }],
    ['frameLength a power of two', { inputs: [f32([32])], fn: (m, s) => m.signal.stft(s, 8, 4) }],
    ['fftLength longer and shorter than the frame', { inputs: [f32([16])], fn: (m, s) => [m.signal.stft(s, 4, 2, 10), m.signal.stft(s, 6, 2, 4)] }],
    ['hammingWindow', { inputs: [f32([18])], fn: (m, s) => m.signal.stft(s, 6, 3, undefined, m.signal.hammingWindow) }],
    ['a custom window', { inputs: [f32([12])], fn: (m, s) => m.signal.stft(s, 4, 2, 4, (n: number) => m.linspace(0.5, 1.5, n)) }],
    ['signal shorter than a frame', { inputs: [f32([3])], fn: (m, s) => m.signal.stft(s, 4, 1) }],
  ]);
});

describe('spectral errors', () => {
  test('bad inputs throw typed errors where tfjs throws', () => {
    expectBothThrow([f32([4])], (m, x) => m.fft(x), tn.DTypeError, /fft: argument 'input' must be complex64, got float32/);
    expectBothThrow([f32([4])], (m, x) => m.ifft(x), tn.DTypeError, /ifft: argument 'input' must be complex64/);
    expectBothThrow([f32([4])], (m, x) => m.irfft(x), tn.DTypeError, /irfft: argument 'input' must be complex64/);
    expectBothThrow([i32([4])], (m, x) => m.rfft(x), tn.DTypeError, /rfft: argument 'input' must be float32, got int32/);
    expectBothThrow([f32([4]), f32([4])], (m, a, b) => m.rfft(m.complex(a, b)), tn.DTypeError, /rfft: argument 'input' is complex64/);
    expectBothThrow([f32([]), f32([])], (m, a, b) => m.fft(m.complex(a, b)), tn.ShapeError, /fft: 'input' must have rank >= 1/);
    expectBothThrow([f32([])], (m, x) => m.rfft(x), tn.ShapeError, /rfft: 'input' must have rank >= 1/);
    expectBothThrow([f32([2, 0]), f32([2, 0])], (m, a, b) => m.fft(m.complex(a, b)), tn.ShapeError, /fft: the last dim of 'input' \[2,0\] is empty/);
    expectBothThrow([f32([3])], (m, x) => m.rfft(x, 0), tn.ValueError, /rfft: 'fftLength' must be in \[1, inf\], got 0/);
    expectBothThrow([f32([3])], (m, x) => m.rfft(x, 2.5), tn.ValueError, /rfft: 'fftLength' must be a finite integer/);
    expectBothThrow([f32([2, 8])], (m, x) => m.signal.stft(x, 4, 1), tn.ShapeError, /frame: argument 'signal' must have rank 1/);
  });
  test('a negative fftLength (tfjs returns an empty spectrum) throws', () => {
    expect(() => tn.rfft(tn.ones([3]), -1)).toThrow(tn.ValueError);
    expect(() => tn.signal.stft(tn.ones([8]), 4, 2, 4, 'hann' as never)).toThrow(/stft: 'windowFn' must be a function/);
  });
});

describe('spectral gradients (tfjs has none: finite differences)', () => {
  const parts = (y: tn.Tensor): tn.Tensor => tn.stack([tn.real(y), tn.imag(y)], -1);
  test('fft and ifft', async () => {
    await checkGradients(([a, b]) => parts(tn.fft(tn.complex(a, b))), [{ shape: [2, 5] }, { shape: [2, 5] }]);
    await checkGradients(([a, b]) => parts(tn.ifft(tn.complex(a, b))), [{ shape: [3, 4] }, { shape: [3, 4] }]);
  });
  test('rfft (with crop and pad) and irfft', async () => {
    await checkGradients(([x]) => parts(tn.rfft(x)), [{ shape: [2, 7] }]);
    await checkGradients(([x]) => parts(tn.rfft(x, 4)), [{ shape: [2, 6] }]);
    await checkGradients(([x]) => parts(tn.rfft(x, 9)), [{ shape: [6] }]);
    await checkGradients(([a, b]) => tn.irfft(tn.complex(a, b)), [{ shape: [2, 5] }, { shape: [2, 5] }]);
    await checkGradients(([a, b]) => tn.irfft(tn.complex(a, b)), [{ shape: [3, 2] }, { shape: [3, 2] }]);
  });
  test('stft and a spectral magnitude loss', async () => {
    await checkGradients(([s]) => parts(tn.signal.stft(s, 5, 2)), [{ shape: [13] }]);
    await checkGradients(([s]) => tn.abs(tn.signal.stft(s, 4, 2, 6)), [{ shape: [10], range: [0.5, 1.5] }]);
  });
});
