// Differential tests against tfjs: merge layers on inputs of different ranks (tfjs inserts the missing axes right
// after the batch axis, not in front), their output shapes, and the batch-size check.
import { compareWithTfjs, f32, tf } from '../helpers/tfjs_diff';
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';

// tfjs has no subtract layer; tfjs's maximum/minimum gradients break when the inputs broadcast, so theirs are
// checked by finite differences.
const MERGES = ['add', 'multiply', 'average', 'maximum', 'minimum'] as const;
const tfjsGradOk = (name: string): boolean => name !== 'maximum' && name !== 'minimum';

describe('merge layers with inputs of different ranks, vs tfjs', () => {
  // Batch 4 equals the middle dim 4 on purpose: broadcasting [4, 3] from the right against [4, 4, 3] would run
  // without an error and mix samples.
  test.each(MERGES)('%s: [4, 3] with [4, 4, 3]', (name) => {
    compareWithTfjs({ inputs: [f32([4, 3]), f32([4, 4, 3])], fn: (m, a, b) => m.layers[name]().apply([a, b]), grads: tfjsGradOk(name) });
  });
  test.each(['add', 'multiply', 'maximum'] as const)('%s: three inputs [2], [2, 1], [2, 3, 5]', (name) => {
    compareWithTfjs({ inputs: [f32([2]), f32([2, 1]), f32([2, 3, 5])], fn: (m, a, b, c) => m.layers[name]().apply([a, b, c]), grads: tfjsGradOk(name) });
  });
  test('subtract (not in tfjs) follows the same rule, and gradients by finite differences', async () => {
    const a = tn.randomNormal([4, 3], 0, 1, 'float32', 1);
    const b = tn.randomNormal([4, 4, 3], 0, 1, 'float32', 2);
    const got = tn.layers.subtract().apply([a, b]) as tn.Tensor;
    const want = tn.sub(tn.expandDims(a, 1), b);
    expect(Array.from(await got.data())).toEqual(Array.from(await want.data()));
    for (const name of ['subtract', 'maximum', 'minimum'] as const) {
      await checkGradients(([x, y]) => tn.layers[name]().apply([x, y]) as tn.Tensor, [{ shape: [3, 2] }, { shape: [3, 3, 2] }], { eps: 1e-3 });
    }
  });
  test('symbolic output shapes match tfjs', () => {
    for (const [sa, sb] of [[[3], [5, 3]], [[1], [5, 3]], [[5, 1], [5, 3]], [[2, 1, 4], [3, 1]]] as const) {
      const shapeOf = (m: typeof tn): unknown => (m.layers.add().apply([m.input({ shape: [...sa] }), m.input({ shape: [...sb] })]) as tn.SymbolicTensor).shape;
      expect(shapeOf(tn)).toEqual(shapeOf(tf()));
    }
  });
  test('different batch sizes are refused, as tfjs does', () => {
    const run = (m: typeof tn): unknown => m.layers.multiply().apply([m.ones([3, 4]), m.ones([1, 4])]);
    expect(() => run(tf())).toThrow();
    expect(() => run(tn)).toThrow(/batch size/);
  });
});
