// The two CPU engines (oneDNN and the im2col/loop fallback) agree on every conv and pool kernel, on random inputs,
// over stride, dilation, asymmetric 'same' padding and 1-2 channels; oneDNN really runs them (its counter moves).
import * as tn from '../../lib';
import { runKernel } from '../../lib/engine/kernel';
import { expectClose, randomArray, sizeOf } from '../helpers/gradcheck';

const hasOnednn = tn.backendInfo().cpu.onednn.compiled;
const startEngine = tn.backendInfo().cpu.engine;
afterAll(() => tn.setCpuEngine(startEngine));

type Geometry = { strides: number[]; pads: number[]; dilations?: number[] };

/** Runs `op` (kernel-contract names and layouts: NHWC, filters [O,kh,kw,C]) on both engines; returns both results. */
async function onBothEngines(op: string, inputs: Float32Array[], inShapes: number[][], outShape: number[], attrs: Record<string, number[]>) {
  const results: Float32Array[] = [];
  const run = tn.backendInfo().cpu.onednn.kernelsRun;
  for (const engine of ['fallback', 'onednn'] as const) {
    tn.setCpuEngine(engine);
    const ts = inputs.map((d, i) => tn.tensor(d, inShapes[i]));
    const [y] = runKernel(op, ts, [{ shape: outShape, dtype: 'float32' }], attrs);
    results.push((await y.data()) as Float32Array);
    for (const t of [...ts, y]) t.dispose();
  }
  return { fallback: results[0], onednn: results[1], ranOnednn: tn.backendInfo().cpu.onednn.kernelsRun - run };
}

const outSize = (n: number, a: number, b: number, k: number, s: number, d: number) => Math.floor((n + a + b - d * (k - 1) - 1) / s) + 1;

// [name, x shape NHWC, filter [O,kh,kw,C], geometry]
const convCases: Array<[string, number[], number[], Geometry]> = [
  ['3x3 valid, 1 channel in', [2, 9, 8, 1], [4, 3, 3, 1], { strides: [1, 1], pads: [0, 0, 0, 0] }],
  ['3x3 same, 2 channels', [3, 7, 7, 2], [5, 3, 3, 2], { strides: [1, 1], pads: [1, 1, 1, 1] }],
  ['stride 2, asymmetric same (0,1,0,1)', [2, 8, 8, 3], [6, 3, 3, 3], { strides: [2, 2], pads: [0, 1, 0, 1] }],
  ['stride (2,3), pads (1,2,0,2)', [2, 11, 13, 2], [3, 4, 3, 2], { strides: [2, 3], pads: [1, 2, 0, 2] }],
  ['dilation 2, same', [2, 10, 9, 4], [8, 3, 3, 4], { strides: [1, 1], pads: [2, 2, 2, 2], dilations: [2, 2] }],
  ['dilation (2,3), stride 2', [1, 15, 16, 2], [2, 3, 2, 2], { strides: [2, 1], pads: [1, 1, 0, 1], dilations: [2, 3] }],
  ['1x1 pointwise', [2, 5, 6, 16], [8, 1, 1, 16], { strides: [1, 1], pads: [0, 0, 0, 0] }],
  ['stride larger than the kernel', [2, 9, 9, 3], [4, 2, 2, 3], { strides: [3, 3], pads: [0, 0, 0, 0] }],
  ['seed CNN layer 2 (batch 4)', [4, 13, 13, 32], [64, 3, 3, 32], { strides: [1, 1], pads: [0, 0, 0, 0] }],
  ['5x5, single output channel', [2, 12, 12, 1], [1, 5, 5, 1], { strides: [1, 1], pads: [2, 2, 2, 2] }],
  // Past 2^20 multiply-adds oneDNN runs a batch as one slice per pool thread (odd batches: slices of two sizes).
  ['seed CNN layer 1, batch 7 (uneven slices)', [7, 28, 28, 1], [32, 3, 3, 1], { strides: [1, 1], pads: [0, 0, 0, 0] }],
  ['seed CNN layer 2, batch 5 (uneven slices)', [5, 13, 13, 32], [64, 3, 3, 32], { strides: [1, 1], pads: [0, 0, 0, 0] }],
  ['stride 2, same, batch 3 (slices)', [3, 20, 20, 16], [32, 3, 3, 16], { strides: [2, 2], pads: [0, 1, 0, 1] }],
  ['batch of one, large (one slice)', [1, 28, 28, 32], [64, 3, 3, 32], { strides: [1, 1], pads: [1, 1, 1, 1] }],
];

(hasOnednn ? describe : describe.skip)('oneDNN and fallback conv2d agree', () => {
  test.each(convCases)('%s', async (_name, xs, ws, geo) => {
    const dil = geo.dilations ?? [1, 1];
    const attrs = { strides: geo.strides, pads: geo.pads, dilations: dil };
    const [N, H, W, C] = xs;
    const [O, kh, kw] = ws;
    const ys = [N, outSize(H, geo.pads[0], geo.pads[1], kh, geo.strides[0], dil[0]), outSize(W, geo.pads[2], geo.pads[3], kw, geo.strides[1], dil[1]), O];
    expect(ws[3]).toBe(C);
    const x = randomArray(sizeOf(xs), 11);
    const w = randomArray(sizeOf(ws), 12);
    const dy = randomArray(sizeOf(ys), 13);

    const fwd = await onBothEngines('conv2d', [x, w], [xs, ws], ys, attrs);
    expectClose(fwd.onednn, fwd.fallback, 1e-4, 1e-4);
    const bwdIn = await onBothEngines('conv2d_backward_input', [dy, w], [ys, ws], xs, attrs);
    expectClose(bwdIn.onednn, bwdIn.fallback, 1e-4, 1e-4);
    const bwdW = await onBothEngines('conv2d_backward_filter', [x, dy], [xs, ys], ws, attrs);
    expectClose(bwdW.onednn, bwdW.fallback, 1e-4, 1e-4);
    expect([fwd.ranOnednn, bwdIn.ranOnednn, bwdW.ranOnednn]).toEqual([1, 1, 1]);
  });
});

// [name, x shape, kernel, geometry]
const poolCases: Array<[string, number[], number[], Geometry]> = [
  ['2x2 stride 2, 1 channel', [2, 8, 8, 1], [2, 2], { strides: [2, 2], pads: [0, 0, 0, 0] }],
  ['2x2 stride 2, odd size (floor)', [2, 7, 9, 2], [2, 2], { strides: [2, 2], pads: [0, 0, 0, 0] }],
  ['3x3 stride 2, asymmetric same (0,1,0,1)', [2, 8, 8, 3], [3, 3], { strides: [2, 2], pads: [0, 1, 0, 1] }],
  ['3x3 stride 1, same (1,1,1,1)', [3, 6, 5, 2], [3, 3], { strides: [1, 1], pads: [1, 1, 1, 1] }],
  ['(3,2) stride (1,2), pads (2,0,1,1)', [2, 9, 8, 5], [3, 2], { strides: [1, 2], pads: [2, 0, 1, 1] }],
  ['seed CNN pool (batch 4)', [4, 26, 26, 32], [2, 2], { strides: [2, 2], pads: [0, 0, 0, 0] }],
  // Disjoint windows (the fallback's one-pass max path): rows and columns no window covers, and clipped windows.
  ['2x2 stride 3 (gaps between windows)', [2, 8, 10, 3], [2, 2], { strides: [3, 3], pads: [0, 0, 0, 0] }],
  ['2x2 stride 2, same pads (0,1,0,1), odd size', [2, 7, 9, 17], [2, 2], { strides: [2, 2], pads: [0, 1, 0, 1] }],
  ['3x2 stride (4,2), pads (1,1,1,0)', [3, 9, 7, 5], [3, 2], { strides: [4, 2], pads: [1, 1, 1, 0] }],
];

(hasOnednn ? describe : describe.skip)('oneDNN and fallback pooling agree', () => {
  describe.each([['max'], ['avg']])('%s', (kind) => {
    test.each(poolCases)('%s', async (_name, xs, kernel, geo) => {
      const attrs = { kernel, strides: geo.strides, pads: geo.pads };
      const [N, H, W, C] = xs;
      const ys = [N, outSize(H, geo.pads[0], geo.pads[1], kernel[0], geo.strides[0], 1), outSize(W, geo.pads[2], geo.pads[3], kernel[1], geo.strides[1], 1), C];
      // Max: values from a small set, so windows hold ties and the first-maximum rule is exercised.
      const x = kind === 'max' ? randomArray(sizeOf(xs), 21).map((v) => Math.round(v * 3) - 0.5) : randomArray(sizeOf(xs), 21);
      const dy = randomArray(sizeOf(ys), 22);
      const fwd = await onBothEngines(`${kind}_pool2d`, [x], [xs], ys, attrs);
      expectClose(fwd.onednn, fwd.fallback, 1e-6, 1e-6);
      const bwd = kind === 'max'
        ? await onBothEngines('max_pool2d_backward', [x, fwd.fallback, dy], [xs, ys, ys], xs, attrs)
        : await onBothEngines('avg_pool2d_backward', [dy], [ys], xs, attrs);
      expectClose(bwd.onednn, bwd.fallback, 1e-5, 1e-6);
      expect([fwd.ranOnednn, bwd.ranOnednn]).toEqual([1, 1]);
    });
  });
});

describe('engine switch', () => {
  test('backendInfo reports the engine, oneDNN and the threading mode', () => {
    const cpu = tn.backendInfo().cpu;
    expect(['onednn', 'fallback']).toContain(cpu.engine);
    expect(cpu.threading).toMatch(/^one pool of \d+/);
    if (cpu.onednn.compiled) expect(cpu.onednn.version).toMatch(/^\d+\.\d+\.\d+$/);
    if (cpu.blas === 'openblas') expect(cpu.blasCoreType.length).toBeGreaterThan(0);
  });
  test('setCpuEngine selects and rejects', () => {
    tn.setCpuEngine('fallback');
    expect(tn.backendInfo().cpu.engine).toBe('fallback');
    expect(() => tn.setCpuEngine('mkl' as 'onednn')).toThrow(tn.ValueError);
    if (hasOnednn) {
      tn.setCpuEngine('onednn');
      expect(tn.backendInfo().cpu.engine).toBe('onednn');
    } else {
      expect(() => tn.setCpuEngine('onednn')).toThrow(/libdnnl-dev/);
    }
  });
});

describe('every CPU GEMM in the build matches a float64 reference', () => {
  const startGemm = tn.backendInfo().cpu.blas as 'openblas' | 'onednn' | 'builtin';
  afterAll(() => tn.setCpuGemm(startGemm));
  const available = (['openblas', 'onednn', 'builtin'] as const).filter((g) => {
    try {
      tn.setCpuGemm(g);
      return true;
    } catch {
      return false;
    }
  });
  // Sizes around the microkernel's 6x16 tile and 256-deep K blocks, small (one thread) and split over the pool.
  const cases: Array<[number, number, number, boolean, boolean]> = [
    [1, 1, 1, false, false],
    [7, 17, 5, true, false],
    [13, 33, 300, false, true],
    [70, 90, 130, true, true],
    [130, 40, 257, false, false],
    [20, 260, 70, false, true],
  ];
  test.each(available.flatMap((g) => cases.map((c) => [g, ...c] as const)))('%s: %i x %i x %i (transposeA %s, transposeB %s)', async (gemm, M, N, K, ta, tb) => {
    tn.setCpuGemm(gemm);
    expect(tn.backendInfo().cpu.blas).toBe(gemm);
    const a = randomArray(M * K, M + N);
    const b = randomArray(K * N, K + 3);
    const [y] = runKernel('matmul', [tn.tensor(a, ta ? [K, M] : [M, K]), tn.tensor(b, tb ? [N, K] : [K, N])], [{ shape: [M, N], dtype: 'float32' }], {
      transposeA: ta ? 1 : 0,
      transposeB: tb ? 1 : 0,
    });
    const got = await y.data();
    const want = new Float64Array(M * N);
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += (ta ? a[k * M + m] : a[m * K + k]) * (tb ? b[n * K + k] : b[k * N + n]);
        want[m * N + n] = acc;
      }
    expectClose(got, want, 1e-4, 1e-4);
  });
  test('an unknown or absent GEMM is a ValueError', () => {
    expect(() => tn.setCpuGemm('mkl' as 'builtin')).toThrow(tn.ValueError);
  });
});
