// randomWidth: factors drawn in [1 + lower, 1 + upper], the resize equal to tfjs's resize at the drawn width, seeded
// repeatability, tfjs's config and argument checks.
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { expectClose, randomArray } from '../../helpers/gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

describe('randomWidth', () => {
  test.each(['bilinear', 'nearest'] as const)('%s: each call resizes the width within the factor range, as tfjs resizes to that width', (interpolation) => {
    const T = tf();
    const xs = Array.from(randomArray(2 * 5 * 8 * 3, 4));
    const layer = tn.layers.randomWidth({ factor: [-0.5, 0.4], interpolation, seed: 7 });
    const widths = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const y = layer.apply(tn.tensor(xs, [2, 5, 8, 3])) as tn.Tensor;
      const w = y.shape[2];
      widths.add(w);
      expect(y.shape).toEqual([2, 5, w, 3]);
      expect(w).toBeGreaterThanOrEqual(Math.round(0.5 * 8));
      expect(w).toBeLessThanOrEqual(Math.round(1.4 * 8));
      const resize = interpolation === 'bilinear' ? T.image.resizeBilinear : T.image.resizeNearestNeighbor;
      expectClose(y.dataSync(), resize(T.tensor(xs, [2, 5, 8, 3]), [5, w]).dataSync(), 1e-5, 1e-6);
    }
    expect(widths.size).toBeGreaterThan(1);
  });
  test('acts in inference too (tfjs 4.x never reads training); unbatched images; the same seed repeats the widths', () => {
    const widths = (seed: number) => {
      const l = tn.layers.randomWidth({ factor: 0.5, seed });
      return Array.from({ length: 8 }, () => (l.apply(tn.ones([6, 10, 1])) as tn.Tensor).shape[1]);
    };
    const a = widths(3);
    expect(widths(3)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
    for (const w of a) expect(w >= 5 && w <= 15).toBe(true);
  });
  test('differentiable through the resize', () => {
    const l = tn.layers.randomWidth({ factor: 0.3, seed: 1 });
    const x = tn.tensor(randomArray(1 * 4 * 6 * 2, 2), [1, 4, 6, 2], { requiresGrad: true } as Any);
    tn.sum(l.apply(x) as tn.Tensor).backward();
    expect(x.grad!.shape).toEqual([1, 4, 6, 2]);
  });
  test('config as tfjs; computeOutputShape leaves the width unknown', () => {
    const T = tf();
    const opts = { factor: [-0.2, 0.3] as [number, number], interpolation: 'nearest' as const, seed: 5, name: 'rw' };
    expect(tn.layers.randomWidth(opts).getConfig()).toEqual(T.layers.randomWidth(opts).getConfig());
    const back = tn.layers.deserializeLayer({ className: 'RandomWidth', config: tn.layers.randomWidth({ factor: 0.2 }).getConfig() });
    expect(back.getConfig()).toMatchObject({ factor: 0.2, interpolation: 'bilinear' });
    expect(tn.layers.randomWidth({ factor: 0.2 }).computeOutputShape([null, 4, 6, 3])).toEqual([null, 4, null, 3]);
  });
  test('bad factors and interpolations throw ValueError, as in tfjs', () => {
    const T = tf();
    for (const factor of [0, -0.5, [0.5, 0.2], [-1.5, 0.2]] as Any[]) {
      expect(() => T.layers.randomWidth({ factor })).toThrow();
      expect(() => tn.layers.randomWidth({ factor })).toThrow(tn.ValueError);
    }
    expect(() => T.layers.randomWidth({ factor: 0.2, interpolation: 'bicubic' })).toThrow();
    expect(() => tn.layers.randomWidth({ factor: 0.2, interpolation: 'bicubic' as never })).toThrow(/'interpolation' must be 'bilinear' or 'nearest'/);
    expect(() => tn.layers.randomWidth({ factor: 0.2 }).apply(tn.zeros([4, 4]))).toThrow(/expected images/);
  });
});
