// Recurrent layers started from given states (tfjs's `initialState` kwarg) against tfjs with the same weights; a
// functional model built that way saves and reloads; other layers refuse the kwarg.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { randomArray } from '../helpers/gradcheck';
import { tf } from '../helpers/tfjs_diff';

const rand = (shape: number[], seed: number): Float32Array => randomArray(shape.reduce((a, b) => a * b, 1), seed, -1, 1);
const both = (shape: number[], seed: number): [tn.Tensor, ReturnType<typeof tf>] => [tn.tensor(rand(shape, seed), shape), tf().tensor(rand(shape, seed), shape)];

/** The tfjs twin of a built tensornode layer, with the same weights. */
function tfjsTwin(factory: string, config: Record<string, unknown>, x: ReturnType<typeof tf>, states: ReturnType<typeof tf>[], layer: tn.layers.Layer): ReturnType<typeof tf> {
  const twin = tf().layers[factory](config);
  twin.apply(x, { initialState: states });
  twin.setWeights(layer.getWeights().map((w) => tf().tensor(w.dataSync() as Float32Array, w.shape)));
  return twin.apply(x, { initialState: states });
}

describe('initialState vs tfjs', () => {
  test.each([
    ['lstm', 2],
    ['gru', 1],
    ['simpleRNN', 1],
  ] as const)('%s', async (factory, nStates) => {
    const [x, tx] = both([3, 5, 2], 1);
    const states = Array.from({ length: nStates }, (_, i) => both([3, 4], 10 + i));
    const config = { units: 4, returnSequences: true };
    const layer = tn.layers[factory](config);
    const got = layer.apply(x, { initialState: states.map((s) => s[0]) }) as tn.Tensor;
    const want = tfjsTwin(factory, config, tx, states.map((s) => s[1]), layer);
    expect(got.shape).toEqual(want.shape);
    const g = await got.data();
    const w = want.dataSync();
    for (let i = 0; i < g.length; i++) expect(g[i]).toBeCloseTo(w[i], 5);
    // The kwarg is the same call as the input list, and not the call without states.
    expect(Array.from(await (layer.apply([x, ...states.map((s) => s[0])]) as tn.Tensor).data())).toEqual(Array.from(g));
    const fromZeros = await (layer.apply(x) as tn.Tensor).data();
    expect(Array.from(fromZeros)).not.toEqual(Array.from(g));
  });

  test('bidirectional lstm: forward states then backward states', async () => {
    const [x, tx] = both([2, 4, 3], 2);
    const states = [0, 1, 2, 3].map((i) => both([2, 5], 20 + i));
    const layer = tn.layers.bidirectional({ layer: tn.layers.lstm({ units: 5 }) });
    const got = layer.apply(x, { initialState: states.map((s) => s[0]) }) as tn.Tensor;
    const twin = tf().layers.bidirectional({ layer: tf().layers.lstm({ units: 5 }) });
    twin.apply(tx, { initialState: states.map((s) => s[1]) });
    twin.setWeights(layer.getWeights().map((w) => tf().tensor(w.dataSync() as Float32Array, w.shape)));
    const want = twin.apply(tx, { initialState: states.map((s) => s[1]) });
    const g = await got.data();
    const w = want.dataSync();
    expect(got.shape).toEqual(want.shape);
    for (let i = 0; i < g.length; i++) expect(g[i]).toBeCloseTo(w[i], 5);
    expect(() => layer.apply(x, { initialState: states.slice(0, 2).map((s) => s[0]) })).toThrow(/initialState must be 4 tensors/);
  });
});

test('an encoder-decoder model whose decoder starts from the encoder states saves and reloads exactly', async () => {
  const enc = tn.input({ shape: [5, 3] });
  const [, h, c] = tn.layers.lstm({ units: 4, returnState: true }).apply(enc) as tn.SymbolicTensor[];
  const dec = tn.input({ shape: [6, 2] });
  const seq = tn.layers.lstm({ units: 4, returnSequences: true }).apply(dec, { initialState: [h, c] }) as tn.SymbolicTensor;
  const m = tn.model({ inputs: [enc, dec], outputs: tn.layers.dense({ units: 2 }).apply(seq) as tn.SymbolicTensor });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-initial-state-'));
  try {
    await m.save(`file://${dir}`);
    const topology = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).modelTopology;
    const decoder = topology.config.layers.find((l: { class_name: string; inbound_nodes: unknown[][] }) => l.class_name === 'LSTM' && l.inbound_nodes[0].length === 3);
    expect(decoder).toBeDefined(); // recorded as [x, h, c], as tfjs records it
    const back = await tn.loadLayersModel(`file://${dir}/model.json`);
    const a = tn.tensor(rand([2, 5, 3], 3), [2, 5, 3]);
    const b = tn.tensor(rand([2, 6, 2], 4), [2, 6, 2]);
    const y0 = await (m.predict([a, b]) as tn.Tensor).data();
    const y1 = await (back.predict([a, b]) as tn.Tensor).data();
    expect(Array.from(y1)).toEqual(Array.from(y0));
    // The encoder matters: other encoder inputs change the decoder's output.
    const y2 = await (m.predict([tn.mul(a, 2), b]) as tn.Tensor).data();
    expect(Array.from(y2)).not.toEqual(Array.from(y0));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a layer without state refuses initialState, naming it', () => {
  const x = tn.ones([2, 3]);
  expect(() => tn.layers.dense({ units: 2 }).apply(x, { initialState: [x] })).toThrow(/'initialState' is only for recurrent layers \(Dense/);
  expect(() => tn.layers.lstm({ units: 2 }).apply([tn.ones([2, 3, 1]), x], { initialState: [x] })).toThrow(/not both/);
});
