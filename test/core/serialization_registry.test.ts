// tf.serialization's Serializable, SerializationMap, registerClass(cls, pkg, name) and getRegisteredName, and the
// tfjs classes exported for layers (InputSpec, LayerVariable, RNN), compared with tfjs where it runs.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';
import { randomArray } from '../helpers/gradcheck';

describe('serialization', () => {
  test('registerClass records the class in the SerializationMap and under pkg>name, as tfjs', () => {
    class MyThing extends tn.serialization.Serializable {
      static className = 'MyThing';
      constructor(readonly config: Record<string, unknown> = {}) {
        super();
      }
      getConfig(): Record<string, unknown> {
        return this.config;
      }
    }
    class TheirThing extends tf.serialization.Serializable {
      static className = 'MyThing';
      constructor(readonly config: Record<string, unknown> = {}) {
        super();
      }
      getConfig(): tf.serialization.ConfigDict {
        return this.config as tf.serialization.ConfigDict;
      }
    }
    expect(tn.serialization.getRegisteredName(MyThing)).toBe(tf.serialization.getRegisteredName(TheirThing));
    expect(tn.serialization.registerClass(MyThing, 'Pkg', 'Alias')).toBe(MyThing);
    tf.serialization.registerClass(TheirThing, 'Pkg', 'Alias');
    expect(tn.serialization.getRegisteredName(MyThing)).toBe(tf.serialization.getRegisteredName(TheirThing));
    const [cls, fromConfig] = tn.serialization.SerializationMap.getMap().classNameMap.MyThing;
    expect(cls).toBe(MyThing);
    const made = (fromConfig as (c: unknown, cfg: Record<string, unknown>) => MyThing)(MyThing, { a: 1 });
    expect(made).toBeInstanceOf(MyThing);
    expect(made.getConfig()).toEqual({ a: 1 });
    expect(made.getClassName()).toBe(new TheirThing().getClassName());
    expect(() => tn.serialization.registerClass(class NoName {} as never)).toThrow(tn.ValueError);
  });

  test('optimizers are Serializables, as in tfjs', () => {
    const o = tn.train.adam();
    expect(o).toBeInstanceOf(tn.serialization.Serializable);
    expect(tf.train.adam()).toBeInstanceOf(tf.serialization.Serializable);
    o.dispose();
  });
});

describe('InputSpec, LayerVariable, RNN', () => {
  test('InputSpec fills ndim from shape and axes with {} as tfjs', () => {
    for (const args of [{ shape: [null, 3] as (number | null)[] }, { ndim: 4, axes: { 1: 5 } }, { minNDim: 2, maxNDim: 3, dtype: 'float32' as const }]) {
      expect({ ...new tn.InputSpec(args) }).toEqual(JSON.parse(JSON.stringify({ ...new tf.InputSpec(args as never) })));
    }
  });

  test('model.weights are LayerVariables with read(), write(), dtype and originalName', async () => {
    const model = tn.sequential({ layers: [tn.layers.dense({ units: 2, inputShape: [3], name: 'd' })] });
    const kernel = model.weights[0];
    expect(kernel).toBeInstanceOf(tn.LayerVariable);
    expect([kernel.originalName, kernel.dtype, kernel.read().shape]).toEqual(['d/kernel', 'float32', [3, 2]]);
    const v = randomArray(6, 21);
    expect(kernel.write(tn.tensor(v, [3, 2]))).toBe(kernel);
    expect(Array.from(await kernel.read().data())).toEqual(Array.from(v));
    model.dispose();
  });

  test('tf.layers.rnn builds an RNN, exported as tf.RNN', () => {
    const layer = tn.layers.rnn({ cell: tn.layers.simpleRNNCell({ units: 2 }) });
    expect(layer).toBeInstanceOf(tn.RNN);
    expect(tf.layers.rnn({ cell: tf.layers.simpleRNNCell({ units: 2 }) })).toBeInstanceOf(tf.RNN);
  });
});
