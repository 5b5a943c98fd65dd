// End to end: an MLP learns XOR to 100% accuracy through compile/fit/evaluate/predict.
import * as tn from '../../lib';
import { scalars } from '../helpers/model_values';

test('an MLP learns XOR to 100% accuracy', async () => {
  tn.setSeed(1);
  const x = tn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = tn.tensor([[0], [1], [1], [0]]);
  const model = tn.sequential({
    layers: [tn.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), tn.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
  model.compile({ optimizer: tn.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 250, batchSize: 4, verbose: 0 });
  expect(history.epoch).toHaveLength(250);
  expect(history.history.loss[249]).toBeLessThan(history.history.loss[0] / 5);
  const [loss, acc] = await scalars(model.evaluate(x, y));
  expect(acc).toBe(1);
  expect(loss).toBeLessThan(0.1);
  const p = await model.predict(x).data();
  expect(Array.from(p).map((v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
});
