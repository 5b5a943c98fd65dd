// layer.outputShape / model.outputShape and one-number shapes (`tf.input({shape: 16})`, `inputShape: 16`), vs tfjs.
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;
const libs: [string, () => Lib][] = [['tensornode', () => tn], ['tfjs', () => tf()]];

/** The same program through both libraries gives the same JSON. */
const same = (program: (m: Lib) => unknown): void => expect(JSON.stringify(program(tn))).toEqual(JSON.stringify(program(tf())));

describe('outputShape as tfjs', () => {
  test('of a sequential model and its layers', () =>
    same((m) => {
      const s = m.sequential({ layers: [m.layers.dense({ units: 3, inputShape: [4] }), m.layers.dense({ units: 2 })] });
      return [s.outputShape, s.layers.map((l: Lib) => l.outputShape)];
    }));
  test('of a functional model with two outputs, and of a layer with several states', () =>
    same((m) => {
      const i = m.input({ shape: [5, 3] });
      const lstm = m.layers.lstm({ units: 4, returnState: true });
      const [seq] = lstm.apply(i);
      const out = m.model({ inputs: i, outputs: [m.layers.dense({ units: 2 }).apply(seq), seq] });
      return [out.outputShape, lstm.outputShape];
    }));
  test.each(libs)('a layer never called has none (%s)', (_n, lib) => {
    expect(() => lib().layers.dense({ units: 2 }).outputShape).toThrow(/never been called/);
  });
  test('a shared layer called on different shapes has no single one', () => {
    const d = tn.layers.dense({ units: 2 });
    d.apply(tn.input({ shape: [3] }));
    d.apply(tn.input({ batchShape: [8, 3] }));
    expect(() => d.outputShape).toThrow(/different output shapes/);
  });
});

describe('a number as a shape', () => {
  test('tf.input({shape: 16}) and inputShape: 16', () =>
    same((m) => {
      const x = m.input({ shape: 16 });
      const s = m.sequential({ layers: [m.layers.dense({ units: 2, inputShape: 16 })] });
      return [x.shape, s.inputs[0].shape, s.outputShape];
    }));
  test('other non-lists are still refused', () => {
    expect(() => tn.input({ shape: 'a' as unknown as number[] })).toThrow(/a shape must be a list/);
    expect(() => tn.input({ shape: -1 })).toThrow(/a shape must be a list/);
  });
});
