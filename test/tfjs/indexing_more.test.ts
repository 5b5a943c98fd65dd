// Differential tests against tfjs: slice's short forms, stridedSlice, the rank-checked wrappers, broadcastTo / Args,
// addN, reshapeAs, ensureShape, the space/batch/depth rearrangements, diag and meshgrid (forward and gradients).
import * as tn from '../../lib';
import { checkGradients, randomArray } from '../helpers/gradcheck';
import { bool, compareWithTfjs, expectBothThrow, f32, i32, tf, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));

describe('slice: number and short begin / size (tfjs pads them)', () => {
  run([
    ['number begin', { inputs: [f32([3, 4])], fn: (m, x) => m.slice(x, 1) }],
    ['number begin and size', { inputs: [f32([4, 3])], fn: (m, x) => m.slice(x, 1, 2) }],
    ['1-D number begin and size', { inputs: [f32([6])], fn: (m, x) => m.slice(x, 2, 3) }],
    ['short begin, no size', { inputs: [f32([3, 4, 2])], fn: (m, x) => m.slice(x, [1]) }],
    ['short begin, short size', { inputs: [f32([3, 4, 2])], fn: (m, x) => m.slice(x, [1, 1], [2]) }],
    ['short size with -1', { inputs: [f32([3, 4, 2])], fn: (m, x) => m.slice(x, [0, 1], [-1, 2]) }],
    ['number begin, short size', { inputs: [f32([3, 4, 2])], fn: (m, x) => m.slice(x, 2, [1, 3]) }],
    ['empty begin', { inputs: [f32([2, 3])], fn: (m, x) => m.slice(x, []) }],
    ['size 0', { inputs: [f32([3, 4])], fn: (m, x) => m.slice(x, [1, 1], [0, 2]) }],
    ['int32 short forms', { inputs: [i32([4, 3], [-9, 9])], fn: (m, x) => [m.slice(x, 1), m.slice(x, [2], [1])] }],
    ['bool number begin', { inputs: [bool([5])], fn: (m, x) => m.slice(x, 2) }],
    ['Tensor#slice short forms', { inputs: [f32([3, 4])], fn: (_m, x) => [x.slice(1), x.slice([0, 2]), x.slice(1, 1)] }],
  ]);
  test('bad begin / size throw in both (typed here)', () => {
    expectBothThrow([f32([3, 4])], (m, x) => m.slice(x, [-1, 0]), tn.ShapeError, /slice: begin -1/);
    expectBothThrow([f32([3, 4])], (m, x) => m.slice(x, [0, 0], [-2, 1]), tn.ShapeError, /slice: begin 0 with size -2/);
    expectBothThrow([f32([3, 4])], (m, x) => m.slice(x, [2, 0], [2, 1]), tn.ShapeError, /outside dim 0/);
    expectBothThrow([f32([3])], (m, x) => m.slice(x, [0, 0]), tn.ValueError, /slice: 'begin' must be an integer or at most 1/);
    expectBothThrow([f32([3])], (m, x) => m.slice(x, 0, [1, 1]), tn.ValueError, /slice: 'size'/);
    expectBothThrow([f32([])], (m, x) => m.slice(x, [], []), tn.ShapeError, /cannot slice a scalar/);
    // tfjs only rejects -1 among negative begins; -2 silently yields rows past the end. Here every negative begin throws.
    expect(() => tn.slice(tn.ones([3, 4]), [-2, 0])).toThrow(tn.ShapeError);
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ss = (begin: number[], end: number[], strides?: number[], ...masks: number[]) => (m: any, x: any) => m.stridedSlice(x, begin, end, strides, ...masks);

describe('stridedSlice vs tfjs', () => {
  // tfjs has no stridedSlice gradient: forward here, gradients by finite differences below.
  const base = (name: string, fn: DiffCase['fn'], input = f32([2, 3, 4])): Case => [name, { inputs: [input], fn, grads: false }];
  run([
    base('strides', ss([0, 1, 0], [2, 3, 4], [1, 1, 2])),
    base('negative strides and indices', ss([1, -1, 0], [2, -4, 4], [1, -1, 1])),
    base('no strides (all 1), short spec', ss([1], [2])),
    base('begin and end masks', ss([5, 5, 1], [0, 0, 3], [1, 1, 1], 3, 3)),
    base('shrink axes', ss([1, -1, 0], [2, 0, 0], [1, 1, 1], 0, 4, 0, 0, 3)),
    base('ellipsis', ss([0, 1], [0, 3], [1, 1], 0, 0, 1)),
    base('new axis', ss([0, 0, 1], [0, 1, 3], [1, 1, 1], 0, 0, 0, 1)),
    base('new axis after an ellipsis', ss([0, 0, 2], [0, 0, 4], [1, 1, 1], 0, 0, 2, 1)),
    base('end masked with a negative stride', ss([1, 3], [2, 0], [1, -1], 0, 2)),
    base('out-of-range indices clamp', ss([-100, 1], [100, 2])),
    base('begin past end with a stride 2 dim: empty', ss([1, 2, 0], [0, 1, 4], [1, 1, 2])),
    base('stride 3 from the end', ss([-1], [-7], [-3]), f32([7])),
    base('int32', ss([4], [0], [-2]), i32([5], [-9, 9])),
    base('bool', ss([0], [3], [2]), bool([3])),
    base('scalar', ss([], []), f32([])),
    base('scalar new axis', ss([0], [1], [1], 0, 0, 0, 1), f32([])),
    ['Tensor#stridedSlice', { inputs: [f32([4, 5])], fn: (_m, x) => x.stridedSlice([3, 0], [0, 5], [-1, 2], 0, 0, 0, 0, 0), grads: false }],
  ]);

  // tfjs's CPU kernel throws on some valid specs (an empty stride-1 slice, shrink mixed with new axes or strides above
  // 1) and, when a shrunk axis meets a non-unit stride elsewhere, reads the wrong elements (x[1, 0, 4] for x[1, 4, 0]).
  // Its spec resolution (slice_util.sliceInfo) has neither problem, so the oracle is that resolution walked element
  // by element, and also tfjs's kernel result for the specs without shrunk axes.
  test('random specs on [4, 5, 6] agree with tfjs', () => {
    const T = tf();
    const shape = [4, 5, 6];
    const data = randomArray(120, 5);
    const theirsX = T.tensor(Array.from(data), shape);
    const mineX = tn.tensor(data, shape);
    const r = randomArray(5000, 77, 0, 1);
    let at = 0;
    const pick = (lo: number, hi: number): number => lo + Math.floor(r[at++ % r.length] * (hi - lo + 1));
    let kernelRuns = 0;
    let resolved = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = pick(1, 4);
      const begin = Array.from({ length: n }, () => pick(-7, 7));
      const end = Array.from({ length: n }, () => pick(-7, 7));
      const strides = Array.from({ length: n }, () => [-3, -2, -1, 1, 2, 3][pick(0, 5)]);
      const ellipsis = pick(0, 2) === 0 ? 2 ** pick(0, n - 1) : 0;
      const masks = [pick(0, 15), pick(0, 15), ellipsis, pick(0, 3) === 0 ? pick(0, 15) : 0, pick(0, 2) === 0 ? pick(0, 15) : 0];
      const args = [begin, end, strides, ...masks] as const;
      const spec = JSON.stringify(args);
      let info: { finalShape: number[]; begin: number[]; end: number[]; strides: number[] } | null = null;
      try {
        info = T.slice_util.sliceInfo(shape, ...args);
      } catch {
        info = null;
      }
      if (!info) {
        expect(() => tn.stridedSlice(mineX, ...args)).toThrow(tn.TensornodeError);
        continue;
      }
      // The elements the resolved dense spec names, in row-major order.
      const picks = info.begin.map((b, d) => {
        const list: number[] = [];
        for (let i = b; info!.strides[d] > 0 ? i < info!.end[d] : i > info!.end[d]; i += info!.strides[d]) list.push(i);
        return list;
      });
      let flat: number[] = [0];
      picks.forEach((list, d) => (flat = flat.flatMap((base) => list.map((i) => base * shape[d] + i))));
      const expected = flat.map((i) => data[i]);
      const mine = tn.stridedSlice(mineX, ...args);
      expect({ spec, shape: mine.shape }).toEqual({ spec, shape: info.finalShape });
      expect({ spec, values: Array.from(mine.dataSync()) }).toEqual({ spec, values: expected });
      resolved++;
      let theirs: { dataSync(): ArrayLike<number> } | null = null;
      try {
        theirs = T.stridedSlice(theirsX, ...args);
      } catch {
        theirs = null;
      }
      if (theirs && masks[4] % 2 ** n === 0) {
        expect({ spec, values: Array.from(theirs.dataSync()) }).toEqual({ spec, values: expected });
        kernelRuns++;
      }
    }
    expect(resolved).toBeGreaterThan(250);
    expect(kernelRuns).toBeGreaterThan(100);
  });

  test('begin past end on a stride-1 slice gives an empty dim (tfjs CPU throws there)', () => {
    const y = tn.stridedSlice(tn.ones([2, 3, 4]), [1, 2, 0], [0, 1, 4]);
    expect(y.shape).toEqual([0, 0, 4]);
  });

  test('gradients by finite differences', async () => {
    await checkGradients(([x]) => tn.stridedSlice(x, [1, -1, 0], [2, -4, 4], [1, -1, 2]), [{ shape: [2, 3, 4] }]);
    await checkGradients(([x]) => tn.stridedSlice(x, [0, 1], [0, 3], [1, 1], 0, 0, 1, 0, 2), [{ shape: [2, 3, 4] }]);
    await checkGradients(([x]) => tn.stridedSlice(x, [-1], [-7], [-3]), [{ shape: [7] }]);
  });

  test('bad specs throw in both (typed here)', () => {
    expectBothThrow([f32([2, 3, 4])], ss([5], [6], [1], 0, 0, 0, 0, 1), tn.ShapeError, /stridedSlice: index 5 \(shrinkAxisMask bit 0\)/);
    expectBothThrow([f32([2, 3, 4])], ss([0], [1], [0]), tn.ValueError, /stridedSlice: strides\[0\] must be non-zero/);
    expectBothThrow([f32([2, 3, 4])], ss([0, 0], [1, 1], [1, 1], 0, 0, 3), tn.ValueError, /more than one bit/);
    expectBothThrow([f32([2, 3, 4])], ss([1], [0], [-1], 0, 0, 0, 0, 1), tn.ValueError, /must be positive on a shrunk dim/);
    expectBothThrow([f32([2, 3, 4])], ss([0, 0, 0, 0], [1, 1, 1, 1]), tn.ShapeError, /names more dims than x/);
    // tfjs reads only strides.length entries of begin/end; mismatched lengths are an error here.
    expect(() => tn.stridedSlice(tn.ones([2, 3]), [0, 0], [2, 2], [1])).toThrow(/must have one length/);
  });
});

describe('rank-checked wrappers vs tfjs', () => {
  run([
    ['slice1d', { inputs: [f32([6])], fn: (m, x) => m.slice1d(x, 1, 3) }],
    ['slice2d', { inputs: [f32([4, 5])], fn: (m, x) => m.slice2d(x, [1, 2], [2, -1]) }],
    ['slice3d', { inputs: [f32([3, 4, 2])], fn: (m, x) => m.slice3d(x, [1, 0, 1], [2, 3, 1]) }],
    ['slice4d', { inputs: [f32([2, 3, 4, 2])], fn: (m, x) => m.slice4d(x, [1, 1, 0, 0], [1, 2, -1, 1]) }],
    ['reverse1d', { inputs: [f32([5])], fn: (m, x) => m.reverse1d(x) }],
    ['reverse2d', { inputs: [f32([3, 4])], fn: (m, x) => [m.reverse2d(x), m.reverse2d(x, 1)] }],
    ['reverse3d', { inputs: [f32([2, 3, 4])], fn: (m, x) => m.reverse3d(x, [0, 2]) }],
    ['reverse4d', { inputs: [f32([2, 2, 3, 2])], fn: (m, x) => m.reverse4d(x, -1) }],
    ['pad1d', { inputs: [f32([4])], fn: (m, x) => m.pad1d(x, [2, 1], 0.5) }],
    ['pad2d', { inputs: [f32([2, 3])], fn: (m, x) => m.pad2d(x, [[1, 0], [2, 2]]) }],
    ['pad3d int32', { inputs: [i32([2, 2, 2])], fn: (m, x) => m.pad3d(x, [[0, 1], [1, 0], [1, 1]], 7) }],
    ['pad4d', { inputs: [f32([1, 2, 2, 1])], fn: (m, x) => m.pad4d(x, [[0, 0], [1, 1], [2, 0], [0, 1]], -1) }],
    ['concat1d', { inputs: [f32([2]), f32([3])], fn: (m, a, b) => m.concat1d([a, b]) }],
    ['concat2d', { inputs: [f32([2, 3]), f32([2, 1])], fn: (m, a, b) => m.concat2d([a, b], 1) }],
    ['concat3d', { inputs: [f32([1, 2, 3]), f32([2, 2, 3])], fn: (m, a, b) => m.concat3d([a, b], 0) }],
    ['concat4d', { inputs: [f32([1, 2, 2, 1]), f32([1, 2, 2, 2])], fn: (m, a, b) => m.concat4d([a, b], -1) }],
    ['batchNorm2d', { inputs: [f32([3, 4]), f32([4]), f32([4], [0.5, 2]), f32([4]), f32([4])], fn: (m, x, mu, v, o, s) => m.batchNorm2d(x, mu, v, o, s, 0.01), rtol: 1e-4 }],
    ['batchNorm3d rank-3 stats', { inputs: [f32([2, 3, 2]), f32([2, 3, 2]), f32([2, 3, 2], [0.5, 2]), f32([2, 3, 2]), f32([2, 3, 2])], fn: (m, x, mu, v, o, s) => m.batchNorm3d(x, mu, v, o, s), rtol: 1e-4 }],
    ['batchNorm4d', { inputs: [f32([2, 2, 2, 3]), f32([3]), f32([3], [0.5, 2]), f32([3]), f32([3])], fn: (m, x, mu, v, o, s) => m.batchNorm4d(x, mu, v, o, s), rtol: 1e-4 }],
    // tfjs cannot differentiate batchNorm without offset and scale (it saves the missing ones): forward only.
    ['batchNorm4d without offset and scale', { inputs: [f32([2, 2, 2, 3]), f32([3]), f32([3], [0.5, 2])], fn: (m, x, mu, v) => m.batchNorm4d(x, mu, v), rtol: 1e-4, grads: false }],
  ]);
  test('wrong ranks and paddings throw in both (typed here)', () => {
    expectBothThrow([f32([2, 3])], (m, x) => m.slice1d(x, 0, 1), tn.ShapeError, /slice1d: 'x' must have rank 1/);
    expectBothThrow([f32([6])], (m, x) => m.slice2d(x, [0, 0], [1, 1]), tn.ShapeError, /slice2d: 'x' must have rank 2/);
    expectBothThrow([f32([6])], (m, x) => m.slice3d(x, [0, 0, 0], [1, 1, 1]), tn.ShapeError, /slice3d/);
    expectBothThrow([f32([6])], (m, x) => m.slice4d(x, [0, 0, 0, 0], [1, 1, 1, 1]), tn.ShapeError, /slice4d/);
    expectBothThrow([f32([2, 3])], (m, x) => m.reverse1d(x), tn.ShapeError, /reverse1d: 'x' must have rank 1/);
    expectBothThrow([f32([3])], (m, x) => m.reverse2d(x), tn.ShapeError, /reverse2d/);
    expectBothThrow([f32([3])], (m, x) => m.reverse3d(x), tn.ShapeError, /reverse3d/);
    expectBothThrow([f32([3])], (m, x) => m.reverse4d(x), tn.ShapeError, /reverse4d/);
    expectBothThrow([f32([3])], (m, x) => m.pad1d(x, [1, 1, 1]), tn.ValueError, /pad1d: 'paddings'/);
    expectBothThrow([f32([3, 2])], (m, x) => m.pad2d(x, [[1, 1]]), tn.ValueError, /pad2d: 'paddings' must be 2 pairs/);
    expectBothThrow([f32([3, 2])], (m, x) => m.batchNorm3d(x, x, x), tn.ShapeError, /batchNorm3d: 'x' must have rank 3/);
    expectBothThrow([f32([3, 2]), f32([1, 1, 2])], (m, x, mu) => m.batchNorm2d(x, mu, mu), tn.ShapeError, /batchNorm2d: 'mean' must have rank 1 or 2/);
    expectBothThrow([f32([1, 2, 2, 2]), f32([2]), f32([2, 2])], (m, x, mu, v) => m.batchNorm4d(x, mu, v), tn.ShapeError, /batchNorm4d: 'variance'/);
  });
});

describe('broadcastTo, broadcastArgs, addN, reshapeAs, ensureShape vs tfjs', () => {
  run([
    ['broadcastTo new dims', { inputs: [f32([3])], fn: (m, x) => m.broadcastTo(x, [2, 3]) }],
    ['broadcastTo size-1 dims', { inputs: [f32([2, 1])], fn: (m, x) => m.broadcastTo(x, [3, 2, 4]) }],
    ['broadcastTo same shape', { inputs: [f32([2, 3])], fn: (m, x) => m.broadcastTo(x, [2, 3]) }],
    ['broadcastTo int32', { inputs: [i32([1, 3])], fn: (m, x) => m.broadcastTo(x, [2, 3]) }],
    ['broadcastTo bool', { inputs: [bool([2])], fn: (m, x) => m.broadcastTo(x, [3, 2]) }],
    ['Tensor#broadcastTo', { inputs: [f32([1, 2])], fn: (_m, x) => x.broadcastTo([3, 2]) }],
    ['broadcastArgs', { inputs: [i32([3], [1, 2], { data: [2, 1, 3] }), i32([2], [1, 2], { data: [4, 1] })], fn: (m, a, b) => m.broadcastArgs(a, b) }],
    ['broadcastArgs arrays', { inputs: [], fn: (m) => m.broadcastArgs([2, 3], [1, 3]) }],
    ['addN', { inputs: [f32([2, 3]), f32([2, 3]), f32([2, 3])], fn: (m, a, b, c) => m.addN([a, b, c]) }],
    ['addN one tensor', { inputs: [f32([4])], fn: (m, a) => m.addN([a]) }],
    ['addN int32', { inputs: [i32([3], [-9, 9]), i32([3], [-9, 9])], fn: (m, a, b) => m.addN([a, b]) }],
    ['Tensor#reshapeAs', { inputs: [f32([2, 6]), f32([3, 4], undefined, { grad: false })], fn: (_m, x, y) => x.reshapeAs(y) }],
    ['ensureShape with null', { inputs: [f32([2, 3])], fn: (m, x) => m.ensureShape(x, [2, null]) }],
  ]);
  test('ensureShape returns its input', () => {
    const x = tn.ones([2, 3]);
    expect(tn.ensureShape(x, [null, 3])).toBe(x);
  });
  test('errors throw in both (typed here)', () => {
    expectBothThrow([f32([3])], (m, x) => m.broadcastTo(x, [2, 2]), tn.ShapeError, /broadcastTo: x \[3\] cannot be broadcast to \[2,2\]/);
    expectBothThrow([f32([2, 1])], (m, x) => m.broadcastTo(x, [2]), tn.ShapeError, /fewer dims/);
    expectBothThrow([i32([2], [0, 10], { data: [2, 3] })], (m, a) => m.broadcastArgs(a, m.tensor([4, 1, 5], undefined, 'int32')), tn.ShapeError, /broadcastArgs: shapes/);
    expectBothThrow([f32([2]), f32([2])], (m, a, b) => m.broadcastArgs(a, b), tn.DTypeError, /'s0' must be an int32 tensor/);
    expectBothThrow([f32([2]), f32([3])], (m, a, b) => m.addN([a, b]), tn.ShapeError, /addN: tensors\[1\] has shape \[3\]/);
    expectBothThrow([f32([2]), i32([2])], (m, a, b) => m.addN([a, b]), tn.DTypeError, /addN: tensors\[1\] is int32/);
    expectBothThrow([], (m) => m.addN([]), tn.ValueError, /addN: 'tensors' must be a non-empty/);
    expectBothThrow([f32([2, 3])], (m, x) => m.ensureShape(x, [2, 2]), tn.ShapeError, /ensureShape: x has shape \[2,3\]/);
    expectBothThrow([f32([2, 3])], (m, x) => m.ensureShape(x, [2]), tn.ShapeError, /ensureShape/);
    // tfjs adds bool tensors into a "bool" holding 2s; refused here.
    expect(() => tn.addN([tn.tensor([true]), tn.tensor([true])])).toThrow(tn.DTypeError);
  });
});

describe('depthToSpace, spaceToBatchND, batchToSpaceND vs tfjs', () => {
  run([
    // tfjs has no depthToSpace gradient: checked by finite differences below.
    ['depthToSpace bs 2', { inputs: [f32([2, 2, 3, 8])], fn: (m, x) => m.depthToSpace(x, 2), grads: false }],
    ['depthToSpace bs 3', { inputs: [f32([1, 2, 1, 18])], fn: (m, x) => m.depthToSpace(x, 3), grads: false }],
    ['Tensor#depthToSpace', { inputs: [f32([1, 1, 2, 4])], fn: (_m, x) => x.depthToSpace(2, 'NHWC'), grads: false }],
    ['spaceToBatchND 2-D blocks', { inputs: [f32([1, 4, 4, 1])], fn: (m, x) => m.spaceToBatchND(x, [2, 2], [[0, 0], [0, 0]]) }],
    ['spaceToBatchND with paddings', { inputs: [f32([2, 2, 4, 3])], fn: (m, x) => m.spaceToBatchND(x, [2, 2], [[1, 1], [0, 2]]) }],
    ['spaceToBatchND 1-D block', { inputs: [f32([2, 6])], fn: (m, x) => m.spaceToBatchND(x, [3], [[0, 0]]) }],
    ['spaceToBatchND 3 block dims', { inputs: [f32([1, 2, 2, 4, 2])], fn: (m, x) => m.spaceToBatchND(x, [2, 1, 2], [[0, 0], [1, 0], [0, 0]]) }],
    ['spaceToBatchND int32', { inputs: [i32([1, 3, 2, 1])], fn: (m, x) => m.spaceToBatchND(x, [2, 2], [[1, 0], [0, 0]]) }],
    ['Tensor#spaceToBatchND', { inputs: [f32([1, 2, 2, 1])], fn: (_m, x) => x.spaceToBatchND([2, 2], [[0, 0], [0, 0]]) }],
    ['batchToSpaceND 2-D blocks', { inputs: [f32([4, 2, 2, 1])], fn: (m, x) => m.batchToSpaceND(x, [2, 2], [[0, 0], [0, 0]]) }],
    ['batchToSpaceND with crops', { inputs: [f32([8, 2, 4, 3])], fn: (m, x) => m.batchToSpaceND(x, [2, 2], [[1, 1], [0, 2]]) }],
    ['batchToSpaceND 1-D block', { inputs: [f32([6, 2])], fn: (m, x) => m.batchToSpaceND(x, [3], [[1, 2]]) }],
    ['batchToSpaceND int32', { inputs: [i32([2, 6])], fn: (m, x) => m.batchToSpaceND(x, [2], [[1, 0]]) }],
    ['Tensor#batchToSpaceND', { inputs: [f32([4, 1, 1, 2])], fn: (_m, x) => x.batchToSpaceND([2, 2], [[0, 0], [0, 1]]) }],
    ['round trip', { inputs: [f32([2, 3, 4, 2])], fn: (m, x) => m.batchToSpaceND(m.spaceToBatchND(x, [2, 3], [[1, 0], [1, 1]]), [2, 3], [[1, 0], [1, 1]]) }],
  ]);
  test('depthToSpace gradient by finite differences; NCHW is the NHWC result transposed', async () => {
    await checkGradients(([x]) => tn.depthToSpace(x, 2), [{ shape: [1, 2, 2, 8] }]);
    const x = tn.tensor(randomArray(64, 3), [2, 2, 2, 8]);
    const viaNhwc = tn.transpose(tn.depthToSpace(x, 2), [0, 3, 1, 2]);
    const viaNchw = tn.depthToSpace(tn.transpose(x, [0, 3, 1, 2]), 2, 'NCHW');
    expect(viaNchw.shape).toEqual([2, 2, 4, 4]);
    expect(Array.from(viaNchw.dataSync())).toEqual(Array.from(viaNhwc.dataSync()));
  });
  test('errors throw in both (typed here)', () => {
    expectBothThrow([f32([1, 2, 2, 3])], (m, x) => m.depthToSpace(x, 2), tn.ShapeError, /depthToSpace: the depth 3/);
    expectBothThrow([f32([1, 2, 2, 4])], (m, x) => m.depthToSpace(x, 1), tn.ValueError, /'blockSize' must be an integer > 1/);
    expectBothThrow([i32([1, 2, 2, 4])], (m, x) => m.depthToSpace(x, 2), tn.DTypeError, /depthToSpace: 'x' must be float32/);
    expectBothThrow([f32([2, 6])], (m, x) => m.spaceToBatchND(x, [4], [[0, 0]]), tn.ShapeError, /not divisible by blockShape\[0\] = 4/);
    expectBothThrow([f32([2, 6])], (m, x) => m.spaceToBatchND(x, [2, 2], [[0, 0], [0, 0]]), tn.ShapeError, /must have rank >= 3/);
    expectBothThrow([f32([2, 6])], (m, x) => m.spaceToBatchND(x, [2], [[0, 0], [0, 0]]), tn.ValueError, /'paddings' must be 1 pairs/);
    expectBothThrow([f32([3, 4])], (m, x) => m.batchToSpaceND(x, [2], [[0, 0]]), tn.ShapeError, /the batch 3 of x \[3,4\] must be divisible/);
    expectBothThrow([f32([4, 4])], (m, x) => m.batchToSpaceND(x, [2], [[0, 0], [0, 0]]), tn.ValueError, /'crops' must be 1 pairs/);
  });
});

describe('diag and meshgrid vs tfjs', () => {
  run([
    // tfjs has no diag gradient: checked by finite differences below.
    ['diag 1-D', { inputs: [f32([4])], fn: (m, x) => m.diag(x), grads: false }],
    ['diag 2-D', { inputs: [f32([2, 3])], fn: (m, x) => m.diag(x), grads: false }],
    ['diag scalar', { inputs: [f32([])], fn: (m, x) => m.diag(x), grads: false }],
    ['diag int32', { inputs: [i32([3], [-9, 9])], fn: (m, x) => m.diag(x) }],
    ['diag bool', { inputs: [bool([3], { data: [true, false, true] })], fn: (m, x) => m.diag(x) }],
    ['meshgrid xy', { inputs: [f32([3]), f32([2])], fn: (m, x, y) => m.meshgrid(x, y) }],
    ['meshgrid ij', { inputs: [f32([3]), f32([4])], fn: (m, x, y) => m.meshgrid(x, y, { indexing: 'ij' }) }],
    ['meshgrid 2-D inputs flatten', { inputs: [f32([2, 2]), f32([3])], fn: (m, x, y) => m.meshgrid(x, y) }],
    ['meshgrid int32', { inputs: [i32([3]), i32([2])], fn: (m, x, y) => m.meshgrid(x, y) }],
    ['meshgrid arrays', { inputs: [], fn: (m) => m.meshgrid([1, 2], [3, 4, 5], { indexing: 'ij' }) }],
    ['meshgrid one input', { inputs: [f32([3])], fn: (m, x) => m.meshgrid(x) }],
  ]);
  test('meshgrid without inputs is empty in both', () => {
    expect(tn.meshgrid()).toEqual([]);
    expect(tf().meshgrid()).toEqual([]);
    expect(() => tn.meshgrid(tn.ones([2]), tn.ones([2]), { indexing: 'xx' as 'xy' })).toThrow(tn.ValueError);
  });
  test('diag gradient by finite differences', async () => {
    await checkGradients(([x]) => tn.diag(x), [{ shape: [4] }]);
    await checkGradients(([x]) => tn.diag(x), [{ shape: [2, 2] }]);
  });
});
