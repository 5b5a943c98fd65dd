// Fused recurrent sequence ops (simpleRnnSequence, lstmSequence, gruSequence): values and gradients against a
// reference built step by step from primitive ops (matmul, sigmoid, tanh, ...) with autograd, finite differences,
// goBackwards, every activation, both GRU reset conventions, and argument errors.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray } from '../helpers/gradcheck';

type Act = 'linear' | 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu';
const act = (name: Act, x: tn.Tensor): tn.Tensor =>
  name === 'tanh' ? tn.tanh(x) : name === 'sigmoid' ? tn.sigmoid(x) : name === 'hardSigmoid' ? tn.clip(tn.scale(x, 0.2, 0.5), 0, 1) : name === 'relu' ? tn.relu(x) : x;

const B = 3;
const T = 4;
const U = 5;
const stepOf = (xw: tn.Tensor, t: number): tn.Tensor => tn.reshape(tn.slice(xw, [0, t, 0], [B, 1, xw.shape[2]]), [B, xw.shape[2]]);
const gate = (z: tn.Tensor, k: number): tn.Tensor => tn.slice(z, [0, k * U], [B, U]);
const cols = (m: tn.Tensor, k: number, n = 1): tn.Tensor => tn.slice(m, [0, k * U], [m.shape[0], n * U]);
const seq = (hs: tn.Tensor[]): tn.Tensor => tn.concat(hs.map((h) => tn.reshape(h, [B, 1, U])), 1);
const order = (back: boolean): number[] => Array.from({ length: T }, (_, s) => (back ? T - 1 - s : s));

/** h_{t-1} as the recurrent matmul sees it: times the recurrent-dropout mask when there is one. */
const masked = (h: tn.Tensor, m?: tn.Tensor): tn.Tensor => (m ? tn.mul(h, m) : h);

function refSimple(xw: tn.Tensor, h0: tn.Tensor, R: tn.Tensor, a: Act, back: boolean, m?: tn.Tensor): tn.Tensor {
  let h = h0;
  const hs: tn.Tensor[] = [];
  for (const t of order(back)) hs.push((h = act(a, tn.add(stepOf(xw, t), tn.matmul(masked(h, m), R)))));
  return seq(hs);
}

function refLstm(xw: tn.Tensor, h0: tn.Tensor, c0: tn.Tensor, R: tn.Tensor, a: Act, ra: Act, back: boolean, m?: tn.Tensor): { h: tn.Tensor; c: tn.Tensor } {
  let h = h0;
  let c = c0;
  const hs: tn.Tensor[] = [];
  const cs: tn.Tensor[] = [];
  for (const t of order(back)) {
    const z = tn.add(stepOf(xw, t), tn.matmul(masked(h, m), R));
    const [i, f, g, o] = [act(ra, gate(z, 0)), act(ra, gate(z, 1)), act(a, gate(z, 2)), act(ra, gate(z, 3))];
    c = tn.add(tn.mul(f, c), tn.mul(i, g));
    h = tn.mul(o, act(a, c));
    hs.push(h);
    cs.push(c);
  }
  return { h: seq(hs), c: seq(cs) };
}

function refGru(xw: tn.Tensor, h0: tn.Tensor, R: tn.Tensor, rb: tn.Tensor, a: Act, ra: Act, back: boolean, after: boolean, m?: tn.Tensor): tn.Tensor {
  let h = h0;
  const hs: tn.Tensor[] = [];
  for (const t of order(back)) {
    const x = stepOf(xw, t);
    let z: tn.Tensor;
    let hh: tn.Tensor;
    if (after) {
      const p = tn.add(tn.matmul(masked(h, m), R), rb);
      z = act(ra, tn.add(gate(x, 0), gate(p, 0)));
      const r = act(ra, tn.add(gate(x, 1), gate(p, 1)));
      hh = act(a, tn.add(gate(x, 2), tn.mul(r, gate(p, 2))));
    } else {
      const p = tn.matmul(masked(h, m), cols(R, 0, 2));
      z = act(ra, tn.add(gate(x, 0), gate(p, 0)));
      const r = act(ra, tn.add(gate(x, 1), gate(p, 1)));
      hh = act(a, tn.add(gate(x, 2), tn.matmul(tn.mul(r, masked(h, m)), cols(R, 2))));
    }
    h = tn.add(tn.mul(z, h), tn.mul(tn.sub(tn.onesLike(z), z), hh));
    hs.push(h);
  }
  return seq(hs);
}

/** Inputs with requiresGrad, from fixed seeds; R scaled down so the sequences stay in the interesting range. */
function inputs(G: number, seed: number): tn.Tensor[] {
  const mk = (shape: number[], s: number, scale = 1) => tn.tensor(randomArray(shape.reduce((p, d) => p * d, 1), s).map((v) => v * scale), shape, { requiresGrad: true });
  return [mk([B, T, G * U], seed, 1.5), mk([B, U], seed + 1), mk([B, U], seed + 2), mk([U, G * U], seed + 3, 0.6), mk([G * U], seed + 4, 0.5)];
}

/** Compares outputs and the gradients of sum(out * W) for the fused op and the reference. */
async function compare(fused: (xs: tn.Tensor[]) => tn.Tensor, ref: (xs: tn.Tensor[]) => tn.Tensor, xs: tn.Tensor[], used: number[]): Promise<void> {
  const run = (f: (xs: tn.Tensor[]) => tn.Tensor) => {
    for (const x of xs) x.grad = null;
    const y = f(xs);
    const w = tn.tensor(randomArray(y.size, 77, 0.5, 1.5), y.shape);
    tn.sum(tn.mul(y, w)).backward();
    return { y, grads: used.map((i) => xs[i].grad!) };
  };
  const a = run(fused);
  const aGrads = await Promise.all(a.grads.map((g) => g.data()));
  const b = run(ref);
  expectClose(await a.y.data(), await b.y.data(), 1e-4, 1e-5);
  for (let k = 0; k < used.length; k++) {
    try {
      expectClose(aGrads[k], await b.grads[k].data(), 1e-3, 1e-5);
    } catch (e) {
      throw new Error(`gradient of input ${used[k]}: ${(e as Error).message}`);
    }
  }
}

describe('simpleRnnSequence', () => {
  for (const [a, back] of [['tanh', false], ['relu', true], ['linear', false], ['sigmoid', true]] as [Act, boolean][]) {
    test(`${a}${back ? ', goBackwards' : ''}: values and gradients equal the step-by-step reference`, async () => {
      const xs = inputs(1, 10);
      await compare(
        ([xw, h0, , R]) => tn.simpleRnnSequence(xw, h0, R, { activation: a, goBackwards: back }),
        ([xw, h0, , R]) => refSimple(xw, h0, R, a, back),
        xs,
        [0, 1, 3],
      );
    });
  }
});

describe('lstmSequence', () => {
  for (const [a, ra, back] of [['tanh', 'hardSigmoid', false], ['tanh', 'sigmoid', true], ['relu', 'sigmoid', false]] as [Act, Act, boolean][]) {
    test(`${a}/${ra}${back ? ', goBackwards' : ''}: h and c sequences and gradients equal the reference`, async () => {
      const xs = inputs(4, 20);
      const both = (r: { h: tn.Tensor; c: tn.Tensor }) => tn.concat([r.h, tn.scale(r.c, 0.5)], 2);
      await compare(
        ([xw, h0, c0, R]) => both(tn.lstmSequence(xw, h0, c0, R, { activation: a, recurrentActivation: ra, goBackwards: back })),
        ([xw, h0, c0, R]) => both(refLstm(xw, h0, c0, R, a, ra, back)),
        xs,
        [0, 1, 2, 3],
      );
    });
  }
  test('finite differences through the fused kernel', async () => {
    await checkGradients(
      ([xw, h0, c0, R]) => {
        const r = tn.lstmSequence(xw, h0, c0, R, { recurrentActivation: 'sigmoid' });
        return tn.add(r.h, r.c);
      },
      [{ shape: [2, 3, 8] }, { shape: [2, 2] }, { shape: [2, 2] }, { shape: [2, 8] }],
      { eps: 1e-2 },
    );
  });
});

describe('gruSequence', () => {
  for (const [after, back, ra] of [[false, false, 'hardSigmoid'], [true, false, 'sigmoid'], [false, true, 'sigmoid'], [true, true, 'hardSigmoid']] as [boolean, boolean, Act][]) {
    test(`resetAfter ${after}${back ? ', goBackwards' : ''} (${ra}): values and gradients equal the reference`, async () => {
      const xs = inputs(3, 30);
      await compare(
        ([xw, h0, , R, rb]) => tn.gruSequence(xw, h0, R, rb, { recurrentActivation: ra, goBackwards: back, resetAfter: after }),
        ([xw, h0, , R, rb]) => refGru(xw, h0, R, rb, 'tanh', ra, back, after),
        xs,
        after ? [0, 1, 3, 4] : [0, 1, 3],
      );
    });
  }
  test('finite differences (resetAfter) through the fused kernel', async () => {
    await checkGradients(
      ([xw, h0, R, rb]) => tn.gruSequence(xw, h0, R, rb, { resetAfter: true, recurrentActivation: 'sigmoid' }),
      [{ shape: [2, 3, 6] }, { shape: [2, 2] }, { shape: [2, 6] }, { shape: [6] }],
    );
  });
});

describe('recurrent dropout mask (h_{t-1} * m in the recurrent matmul, the same mask at every step)', () => {
  // A dropout-like mask: zeros and 1/(1-0.4) scale.
  const mask = (): tn.Tensor => tn.tensor(randomArray(B * U, 55).map((v) => (v < -0.2 ? 0 : 1 / 0.6)), [B, U]);
  test('simple and LSTM (goBackwards) equal the masked reference', async () => {
    const m = mask();
    await compare(
      ([xw, h0, , R]) => tn.simpleRnnSequence(xw, h0, R, { recurrentMask: m }),
      ([xw, h0, , R]) => refSimple(xw, h0, R, 'tanh', false, m),
      inputs(1, 40),
      [0, 1, 3],
    );
    await compare(
      ([xw, h0, c0, R]) => tn.concat(Object.values(tn.lstmSequence(xw, h0, c0, R, { goBackwards: true, recurrentMask: m })), 2),
      ([xw, h0, c0, R]) => tn.concat(Object.values(refLstm(xw, h0, c0, R, 'tanh', 'hardSigmoid', true, m)), 2),
      inputs(4, 41),
      [0, 1, 2, 3],
    );
  });
  for (const after of [false, true]) {
    test(`GRU resetAfter ${after} equals the masked reference (the interpolation uses the unmasked state, as Keras)`, async () => {
      const m = mask();
      await compare(
        ([xw, h0, , R, rb]) => tn.gruSequence(xw, h0, R, rb, { resetAfter: after, recurrentActivation: 'sigmoid', goBackwards: after, recurrentMask: m }),
        ([xw, h0, , R, rb]) => refGru(xw, h0, R, rb, 'tanh', 'sigmoid', after, after, m),
        inputs(3, 42),
        after ? [0, 1, 3, 4] : [0, 1, 3],
      );
    });
  }
});

test('bad arguments are typed errors naming the op', () => {
  const xw = tn.zeros([2, 3, 8]);
  const s = tn.zeros([2, 2]);
  expect(() => tn.lstmSequence(xw, s, s, tn.zeros([2, 6]))).toThrow(tn.ShapeError);
  expect(() => tn.lstmSequence(tn.zeros([2, 3, 6]), s, s, tn.zeros([2, 8]))).toThrow(/lstmSequence: 'xw'/);
  expect(() => tn.lstmSequence(xw, tn.zeros([3, 2]), s, tn.zeros([2, 8]))).toThrow(/'h0' must be \[2, 2\]/);
  expect(() => tn.simpleRnnSequence(tn.zeros([2, 3, 2]), s, tn.zeros([2, 2]), { activation: 'elu' as never })).toThrow(tn.ValueError);
  expect(() => tn.gruSequence(tn.zeros([2, 3, 6]), s, tn.zeros([2, 6]), tn.zeros([5]))).toThrow(/'rb' must be \[6\]/);
  expect(() => tn.simpleRnnSequence(tn.zeros([2, 3], { dtype: 'int32' }) as never, s, tn.zeros([2, 2]))).toThrow(tn.DTypeError);
  expect(() => tn.simpleRnnSequence(tn.zeros([2, 3, 2]), s, tn.zeros([2, 2]), { recurrentMask: tn.zeros([2, 3]) })).toThrow(/'recurrentMask' must be \[2, 2\]/);
  // No steps: empty outputs; zero batch: fine.
  expect(tn.simpleRnnSequence(tn.zeros([2, 0, 2]), s, tn.zeros([2, 2])).shape).toEqual([2, 0, 2]);
});
