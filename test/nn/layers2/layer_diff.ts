// A layer against the same layer in @tensorflow/tfjs: built in both, given the same seeded random weights
// (setWeights), applied to the same random input; outputs, the input gradient and every weight gradient of
// L = sum(y * w) (w fixed random) must agree. Also: the weights' names and shapes, and computeOutputShape.
import * as tn from '../../../lib';
import { tf } from '../../helpers/tfjs_diff';
import { expectClose, randomArray, sizeOf } from '../../helpers/gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface LayerDiff {
  /** Makes the layer from a library namespace's `layers` (the same options through both). */
  make: (layers: Any) => Any;
  /** A different tfjs layer as the reference (where tfjs lacks an option), with its input transformed by `tfjsInput`. */
  makeTfjs?: (layers: Any) => Any;
  tfjsInput?: (tf: Any, x: Any) => Any;
  inputShape: number[];
  /** Integer inputs in [0, n) instead of floats (no input gradient). */
  intRange?: number;
  /** Also compare these outputs of tfjs and tensornode's computeOutputShape for [null, ...inputShape.slice(1)]. */
  checkShape?: boolean;
  /** Compare gradients (default true). */
  grads?: boolean;
  rtol?: number;
  atol?: number;
  seed?: number;
  /** Range of the random weights (default [-0.8, 0.8]). */
  weightRange?: [number, number];
}

const values = (t: Any): number[] => Array.from(t.dataSync() as ArrayLike<number>, Number);

/** Strips the layer-name prefix: 'conv1d_Conv1D1/kernel' -> 'kernel', 'rnn/RNNCell_0/kernel' -> 'RNNCell_0/kernel'. */
const localName = (n: string): string => n.slice(n.indexOf('/') + 1);

export function compareLayer(c: LayerDiff): void {
  const T = tf();
  const seed = c.seed ?? 11;
  const rtol = c.rtol ?? 1e-4;
  const atol = c.atol ?? 1e-5;
  const n = sizeOf(c.inputShape);
  const raw = randomArray(n, seed, c.intRange ? 0 : -1, c.intRange ?? 1);
  const xs = c.intRange ? Array.from(raw, (v) => Math.floor(v)) : Array.from(raw);
  const dtype = c.intRange ? 'int32' : 'float32';

  const theirs0 = (c.makeTfjs ?? c.make)(T.layers);
  const pre = c.tfjsInput ?? ((_m: Any, x: Any) => x);
  const theirs = { apply: (x: Any) => theirs0.apply(pre(T, x)), get weights() { return theirs0.weights; }, get trainableWeights() { return theirs0.trainableWeights; }, setWeights: (w: Any) => theirs0.setWeights(w) };
  const mine = c.make(tn.layers);
  const tx = T.tensor(xs, c.inputShape, dtype);
  const leaf = tn.tensor(xs, c.inputShape, { dtype, requiresGrad: !c.intRange } as Any);
  theirs.apply(tx); // builds
  mine.apply(leaf);

  // Same weights, names and shapes, in the same order.
  const tw = theirs.weights;
  expect(mine.weights.map((w: Any) => `${localName(w.name)}:${w.shape}`)).toEqual(tw.map((w: Any) => `${localName(w.name)}:${w.shape}`));
  const [lo, hi] = c.weightRange ?? [-0.8, 0.8];
  const wv = tw.map((w: Any, i: number) => Array.from(randomArray(sizeOf(w.shape), seed + 101 * (i + 1), lo, hi)));
  theirs.setWeights(wv.map((v: number[], i: number) => T.tensor(v, tw[i].shape)));
  mine.setWeights(wv.map((v: number[], i: number) => tn.tensor(v, tw[i].shape)));

  const ty = theirs.apply(tx);
  const y = mine.apply(leaf);
  expect(y.shape).toEqual(ty.shape);
  expect(y.dtype).toBe(ty.dtype);
  expectClose(values(y), values(ty), rtol, atol);
  if (c.checkShape ?? true) {
    const sym = [null, ...c.inputShape.slice(1)];
    expect(mine.computeOutputShape(sym)).toEqual([null, ...ty.shape.slice(1)]);
  }
  if (!(c.grads ?? true) || ty.dtype !== 'float32') return;

  const lw = randomArray(ty.size, seed + 7, 0.5, 1.5);
  const loss = (m: Any, out: Any) => m.sum(m.mul(out, m.tensor(lw, out.shape)));
  // tfjs: gradient w.r.t. the input and the layer's variables.
  const vars = theirs.trainableWeights.map((w: Any) => w.val);
  const grads = vars.length > 0 ? T.variableGrads(() => loss(T, theirs.apply(tx)), vars).grads : {};
  const gx = c.intRange ? null : T.grad((x: Any) => loss(T, theirs.apply(x)))(tx);
  const l = loss(tn, mine.apply(leaf));
  if (l.requiresGrad) l.backward();
  if (gx) expectClose(leaf.grad ? values(leaf.grad) : values(gx).map(() => 0), values(gx), 4 * rtol, 4 * atol);
  const myVars = mine.trainableWeights;
  expect(myVars.length).toBe(vars.length);
  vars.forEach((v: Any, i: number) => {
    const g = myVars[i].value.grad;
    expect(g).toBeTruthy();
    try {
      expectClose(values(g), values(grads[v.name]), 4 * rtol, 4 * atol);
    } catch (e) {
      throw new Error(`gradient of weight ${myVars[i].name}: ${(e as Error).message}`);
    }
  });
  for (const w of myVars) w.value.grad = null;
}
