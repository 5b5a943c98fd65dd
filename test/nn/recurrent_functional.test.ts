// Recurrent layers in functional models: returnState gives [output, ...states] (symbolically and eagerly), and
// initial states passed as apply([x, ...states]) chain an encoder into a decoder (seq2seq), trained end to end.
import * as tn from '../../lib';
import { layers } from '../../lib';
import { expectClose, randomArray } from '../helpers/gradcheck';

test('returnState: output shapes, eager values equal to callWithState, and initial states through apply', async () => {
  tn.setSeed(2);
  const enc = layers.lstm({ units: 4, returnState: true });
  const x = tn.tensor(randomArray(2 * 5 * 3, 1), [2, 5, 3]);
  const outs = enc.apply(x) as tn.Tensor[];
  expect(outs.map((t) => t.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
  const ref = enc.callWithState(x);
  expectClose(await outs[1].data(), await ref.states[0].data(), 1e-6);
  expectClose(await outs[2].data(), await ref.states[1].data(), 1e-6);
  expect(enc.computeOutputShape([null, 5, 3])).toEqual([[null, 4], [null, 4], [null, 4]]);
  // A decoder started from the encoder's states equals callWithState with those states.
  const dec = layers.lstm({ units: 4, returnSequences: true });
  const y = tn.tensor(randomArray(2 * 3 * 2, 2), [2, 3, 2]);
  const d = dec.apply([y, outs[1], outs[2]]) as tn.Tensor;
  expect(d.shape).toEqual([2, 3, 4]);
  expectClose(await d.data(), await dec.callWithState(y, [outs[1], outs[2]]).output.data(), 1e-6);
  const gru = layers.gru({ units: 4, returnState: true, returnSequences: true });
  expect((gru.apply(x) as tn.Tensor[]).map((t) => t.shape)).toEqual([[2, 5, 4], [2, 4]]);
});

test('a functional encoder-decoder (lstm states into an lstm decoder) trains: loss falls', async () => {
  tn.setSeed(3);
  const encIn = tn.input({ shape: [6, 2] });
  const decIn = tn.input({ shape: [4, 2] });
  const [, h, c] = layers.lstm({ units: 8, returnState: true }).apply(encIn) as tn.SymbolicTensor[];
  const seq = layers.lstm({ units: 8, returnSequences: true }).apply([decIn, h, c]) as tn.SymbolicTensor;
  const out = layers.timeDistributed({ layer: layers.dense({ units: 1 }) }).apply(seq) as tn.SymbolicTensor;
  const model = tn.model({ inputs: [encIn, decIn], outputs: out });
  model.compile({ optimizer: new tn.optim.Adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
  // Target: each decoder step outputs the mean of the encoder sequence's first feature.
  const N = 32;
  const ex = randomArray(N * 6 * 2, 4);
  const dx = randomArray(N * 4 * 2, 5);
  const target = new Float32Array(N * 4);
  for (let n = 0; n < N; n++) {
    let m = 0;
    for (let t = 0; t < 6; t++) m += ex[(n * 6 + t) * 2] / 6;
    target.fill(m, n * 4, n * 4 + 4);
  }
  const h2 = await model.fit([tn.tensor(ex, [N, 6, 2]), tn.tensor(dx, [N, 4, 2])], tn.tensor(target, [N, 4, 1]), { epochs: 25, batchSize: 8, verbose: 0 });
  const loss = h2.history.loss as number[];
  expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0]);
});
