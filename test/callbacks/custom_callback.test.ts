// tf.CustomCallback and tf.registerCallbackConstructor against tfjs: the same hooks called with the same arguments
// in the same order by fit(), yieldEvery behaviour, and registered constructors instantiated per fit() by verbosity.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';
import { clearRegisteredCallbacks } from '../../lib/callbacks/registry';
import { randomArray } from '../helpers/gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => clearRegisteredCallbacks());

/** Every hook call as [hook, index, sorted log keys]; the same model and data through tfjs or tensornode. */
async function hookTrace(m: Any): Promise<[string, number | null, string[]][]> {
  const trace: [string, number | null, string[]][] = [];
  const keys = (logs?: Record<string, unknown>): string[] => Object.keys(logs ?? {}).sort();
  const cb = new m.CustomCallback({
    onTrainBegin: (logs?: Any) => void trace.push(['trainBegin', null, keys(logs)]),
    onTrainEnd: (logs?: Any) => void trace.push(['trainEnd', null, keys(logs)]),
    onEpochBegin: (e: number, logs?: Any) => void trace.push(['epochBegin', e, keys(logs)]),
    onEpochEnd: (e: number, logs?: Any) => void trace.push(['epochEnd', e, keys(logs)]),
    onBatchBegin: (b: number, logs?: Any) => void trace.push(['batchBegin', b, keys(logs)]),
    onBatchEnd: (b: number, logs?: Any) => void trace.push(['batchEnd', b, keys(logs)]),
  });
  const model = m.sequential({ layers: [m.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await model.fit(m.tensor(randomArray(10, 3), [5, 2]), m.tensor(randomArray(5, 4), [5, 1]), { epochs: 2, batchSize: 2, verbose: 0, callbacks: [cb] });
  model.dispose();
  expect(cb).toBeInstanceOf(m.CustomCallback);
  return trace;
}

describe('CustomCallback', () => {
  test('fit() calls the hooks in the same order with the same indices and log keys as tfjs', async () => {
    const ours = await hookTrace(tn);
    const theirs = await hookTrace(tf);
    // tfjs calls onBatchBegin with an empty object that it fills with batch and size afterwards; fit() here passes
    // them filled in (a difference of fit(), not of CustomCallback), so those keys are left out of the comparison
    const noBatchBeginKeys = (t: typeof ours): typeof ours => t.map(([h, i, k]) => [h, i, h === 'batchBegin' ? [] : k]);
    expect(noBatchBeginKeys(ours)).toEqual(theirs);
    expect(ours.filter(([h]) => h === 'batchEnd')).toHaveLength(6);
  });

  test("yieldEvery: 'batch' yields after each batch, a number calls onYield at most once per interval", async () => {
    let frames = 0;
    const batchCb = new tn.CustomCallback({ nextFrameFunc: async () => void frames++ }, 'batch');
    for (let b = 0; b < 4; b++) await batchCb.onBatchEnd(b, { loss: 1 });
    expect(frames).toBe(4);

    // onYield timing through tfjs's CustomCallback and ours with the same clock
    const yieldTrace = async (m: Any): Promise<[number, number][]> => {
      let clock = 0;
      const yields: [number, number][] = [];
      const cb = new m.CustomCallback({ nowFunc: () => clock, nextFrameFunc: async () => undefined, onYield: (e: number, b: number) => void yields.push([e, b]) }, 100);
      await cb.onEpochBegin(3, {});
      for (let b = 0; b < 12; b++) {
        await cb.onBatchEnd(b, {});
        clock += 35;
      }
      return yields;
    };
    const ours = await yieldTrace(tn);
    expect(ours).toEqual(await yieldTrace(tf));
    expect(ours.length).toBeGreaterThan(1);
  });

  test("bad arguments throw ValueError (onYield with yieldEvery 'never', a non-function hook)", () => {
    expect(() => new tn.CustomCallback({ onYield: () => undefined }, 'never')).toThrow(tn.ValueError);
    expect(() => new tn.CustomCallback({ onEpochEnd: 3 as unknown as () => void })).toThrow(/onEpochEnd/);
    expect(() => new tn.CustomCallback({}, 'sometimes' as 'batch')).toThrow(/yieldEvery/);
  });

  test('tf.node.tensorBoard returns a CustomCallback, as in tfjs-node', () => {
    expect(tn.node.tensorBoard('/tmp/unused-tb')).toBeInstanceOf(tn.CustomCallback);
  });
});

describe('registerCallbackConstructor', () => {
  test('fit() instantiates every constructor registered at or below its verbose level', async () => {
    const made: string[] = [];
    const seen: string[] = [];
    class Low extends tn.CustomCallback {
      constructor() {
        made.push('low');
        super({ onTrainEnd: () => void seen.push('low') });
      }
    }
    class High extends tn.CustomCallback {
      constructor() {
        made.push('high');
        super({ onTrainEnd: () => void seen.push('high') });
      }
    }
    tn.registerCallbackConstructor(0, Low);
    tn.registerCallbackConstructor(2, High);
    const model = tn.sequential({ layers: [tn.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tn.tensor(randomArray(8, 5), [4, 2]);
    const y = tn.tensor(randomArray(4, 6), [4, 1]);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect([made, seen]).toEqual([['low'], ['low']]);
    const log = console.log;
    console.log = () => undefined; // verbose 2 prints one line per epoch
    try {
      await model.fit(x, y, { epochs: 1, verbose: 2 });
    } finally {
      console.log = log;
    }
    expect([made, seen]).toEqual([['low', 'low', 'high'], ['low', 'low', 'high']]);
    model.dispose();
  });

  test('a duplicate constructor or a bad level throws ValueError, as tfjs refuses them', () => {
    class C extends tn.CustomCallback {
      constructor() {
        super({});
      }
    }
    tn.registerCallbackConstructor(1, C);
    expect(() => tn.registerCallbackConstructor(3, C)).toThrow(/duplicate/);
    expect(() => tn.registerCallbackConstructor(-1, class extends tn.CustomCallback {})).toThrow(tn.ValueError);
    expect(() => tn.registerCallbackConstructor(1.5, class extends tn.CustomCallback {})).toThrow(tn.ValueError);
  });
});
