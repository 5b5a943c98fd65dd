// biasAct (bias_act / bias_act_backward kernels): the same values and gradients as add + activation, on random inputs
// of dense and conv-like shapes; gradients also by finite differences; the layers that use it match the composed form.
import * as tn from '../../lib';
import { biasAct, type BiasActivation } from '../../lib/ops/bias_act';
import { native } from '../../lib/native';
import { checkGradients, expectClose, randomArray, sizeOf } from '../helpers/gradcheck';

const ACTS: BiasActivation[] = ['linear', 'relu', 'tanh', 'sigmoid'];
const composed = (x: tn.Tensor, b: tn.Tensor, act: BiasActivation): tn.Tensor => {
  const z = tn.add(x, b);
  return act === 'relu' ? tn.relu(z) : act === 'tanh' ? tn.tanh(z) : act === 'sigmoid' ? tn.sigmoid(z) : z;
};

describe('biasAct', () => {
  for (const act of ACTS) {
    for (const shape of [[5, 7], [2, 3, 4, 6], [1, 9]]) {
      test(`${act} on [${shape}]: values and both gradients as add + ${act}`, () => {
        const C = shape[shape.length - 1];
        const xData = randomArray(sizeOf(shape), 11 + C, -2, 2);
        const bData = randomArray(C, 5 + C, -1, 1);
        const weight = tn.tensor(randomArray(sizeOf(shape), 99, 0.5, 1.5), shape);
        const run = (f: typeof composed) => {
          const x = tn.tensor(xData, shape, { requiresGrad: true });
          const b = tn.tensor(bData, [C], { requiresGrad: true });
          const y = f(x, b, act);
          tn.sum(tn.mul(y, weight)).backward();
          return { y: y.dataSync(), dx: x.grad!.dataSync(), db: b.grad!.dataSync() };
        };
        const got = run(biasAct);
        const want = run(composed);
        expectClose(got.y, want.y, 1e-6, 1e-6);
        expectClose(got.dx, want.dx, 1e-5, 1e-6);
        expectClose(got.db, want.db, 1e-5, 1e-5);
      });
    }
  }

  test('finite differences for x and bias (tanh, relu)', async () => {
    for (const act of ['tanh', 'relu'] as BiasActivation[]) {
      await checkGradients(([x, b]) => biasAct(x, b, act), [{ shape: [3, 4, 5] }, { shape: [5] }], { eps: 1e-3 });
    }
  });

  test('bias gradients over many rows (the partial sums of the blocks add up)', () => {
    const rows = 40_000;
    const x = tn.tensor(randomArray(rows * 3, 3), [rows, 3], { requiresGrad: true });
    const b = tn.tensor([0.1, -0.2, 0.3], [3], { requiresGrad: true });
    const dy = randomArray(rows * 3, 4);
    biasAct(x, b, 'relu').backward(tn.tensor(dy, [rows, 3]));
    const xv = x.dataSync();
    const want = [0, 0, 0];
    for (let r = 0; r < rows; r++) for (let c = 0; c < 3; c++) if (xv[r * 3 + c] + [0.1, -0.2, 0.3][c] > 0) want[c] += dy[r * 3 + c];
    expectClose(b.grad!.dataSync(), want, 1e-5, 1e-3);
  });

  test('argument errors are typed and name the op', () => {
    const x = tn.ones([2, 3]);
    expect(() => biasAct(x, tn.ones([2]), 'relu')).toThrow(tn.ShapeError);
    expect(() => biasAct(x, tn.ones([3, 1]), 'relu')).toThrow(/biasAct: bias must be \[3\]/);
    expect(() => biasAct(tn.ones([2, 3], 'int32'), tn.ones([3]), 'relu')).toThrow(tn.DTypeError);
    expect(() => biasAct(x, tn.ones([3]), 'elu' as BiasActivation)).toThrow(tn.ValueError);
  });

  test('Dense and Conv2D layers give the composed values (fused epilogue)', () => {
    const dense = tn.layers.dense({ units: 6, activation: 'relu', inputShape: [4], biasInitializer: 'randomNormal' });
    const conv = tn.layers.conv2d({ filters: 5, kernelSize: 3, activation: 'tanh', inputShape: [6, 6, 2], biasInitializer: 'randomNormal' });
    const x2 = tn.tensor(randomArray(3 * 4, 7), [3, 4]);
    const x4 = tn.tensor(randomArray(2 * 6 * 6 * 2, 8), [2, 6, 6, 2]);
    const yd = dense.apply(x2) as tn.Tensor;
    const yc = conv.apply(x4) as tn.Tensor;
    const wantD = tn.relu(tn.add(tn.matMul(x2, dense.getWeights()[0]), dense.getWeights()[1]));
    const wantC = tn.tanh(tn.add(tn.conv2d(x4, conv.getWeights()[0] as tn.Tensor4D, 1, 'valid'), conv.getWeights()[1]));
    expectClose(yd.dataSync(), wantD.dataSync(), 1e-5, 1e-6);
    expectClose(yc.dataSync(), wantC.dataSync(), 1e-5, 1e-6);
  });
});

describe("conv2d's fused epilogue (a third input bias, attr activation)", () => {
  for (const act of ACTS) {
    test(`Conv2D layer with ${act}: values and the gradients of x, kernel and bias as conv + add + ${act}`, () => {
      const layer = tn.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', strides: 2, activation: act, inputShape: [7, 6, 3], biasInitializer: 'randomNormal' });
      const xData = randomArray(2 * 7 * 6 * 3, 21, -2, 2);
      layer.apply(tn.zeros([1, 7, 6, 3])); // builds the weights
      const { kernel, bias } = layer as unknown as { kernel: { value: tn.Tensor }; bias: { value: tn.Tensor } };
      const run = (fused: boolean) => {
        const x = tn.tensor(xData, [2, 7, 6, 3], { requiresGrad: true });
        const y = fused ? (layer.apply(x) as tn.Tensor) : composed(tn.conv2d(x, kernel.value as tn.Tensor4D, 2, 'same'), bias.value, act);
        const loss = tn.sum(tn.mul(y, tn.tensor(randomArray(y.size, 5, 0.5, 1.5), y.shape)));
        loss.backward();
        const out = { y: y.dataSync(), dx: x.grad!.dataSync(), dk: kernel.value.grad!.dataSync(), db: bias.value.grad!.dataSync() };
        kernel.value.grad = null;
        bias.value.grad = null;
        return out;
      };
      const got = run(true);
      const want = run(false);
      expectClose(got.y, want.y, 1e-5, 1e-5);
      expectClose(got.dk, want.dk, 1e-4, 1e-4);
      expectClose(got.db, want.db, 1e-4, 1e-4);
      expectClose(got.dx, want.dx, 1e-4, 1e-4);
    });
  }

  test('kernel argument errors: an activation without the bias, a bias of the wrong length', () => {
    const F32 = 0;
    const x = tn.ones([1, 4, 4, 2]);
    const w = tn.ones([3, 3, 3, 2]); // [O, kh, kw, C]
    const h = (t: tn.Tensor) => (t as unknown as { storage(op: string): { handle: number } }).storage('test').handle;
    const attrs = { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] };
    // Kernels re-check at run time: the error poisons the output and is thrown by its read.
    const readError = (specs: unknown[], nInputs: number) => {
      const [y] = native.run('conv2d', 'cpu', specs, nInputs, { ...attrs, activation: 4 });
      try {
        native.readSync(y, 0, 48);
        return null;
      } catch (e) {
        return e as Error;
      } finally {
        native.dispose(y);
      }
    };
    expect(readError([h(x), F32, [1, 4, 4, 2], h(w), F32, [3, 3, 3, 2], null, F32, [1, 2, 2, 3]], 2)).toEqual(expect.objectContaining({ message: expect.stringMatching(/needs the bias input/) }));
    const b = tn.ones([2]);
    expect(readError([h(x), F32, [1, 4, 4, 2], h(w), F32, [3, 3, 3, 2], h(b), F32, [2], null, F32, [1, 2, 2, 3]], 3)).toEqual(expect.objectContaining({ message: expect.stringMatching(/bias \[2\] must be \[3\]/) }));
    tn.dispose([x, w, b]);
  });
});
