// What execute() passes each layer: the model's call arguments, overridden by the kwargs recorded on the layer's
// node (one shared argument object serves the nodes without kwargs, so a node's kwargs must not leak to the others).
import * as tn from '../../lib';
import { layers } from '../../lib';

test("a node's recorded kwargs reach its layer at predict time, and only that layer", async () => {
  const x = tn.input({ shape: [64] });
  // Same rate, same seed: the first dropout runs in inference mode (identity), the second was applied with training.
  const idle = layers.dropout({ rate: 0.5, seed: 1 }).apply(x) as tn.SymbolicTensor;
  const active = layers.dropout({ rate: 0.5, seed: 1 }).apply(idle, { training: true }) as tn.SymbolicTensor;
  const after = layers.dropout({ rate: 0.5, seed: 1 }).apply(active) as tn.SymbolicTensor;
  const m = tn.model({ inputs: x, outputs: [idle, after] });
  const ones = tn.ones([1, 64]);
  const [a, b] = m.predict(ones) as tn.Tensor[];
  const [va, vb] = [await a.data(), await b.data()];
  expect(Array.from(va)).toEqual(new Array(64).fill(1));
  // Dropped units are 0, kept ones 1 / (1 - rate) = 2, and nothing else (the last dropout stayed the identity).
  expect(vb.every((v) => v === 0 || v === 2)).toBe(true);
  expect(vb.some((v) => v === 0)).toBe(true);
  expect(vb.some((v) => v === 2)).toBe(true);
});
