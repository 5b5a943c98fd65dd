// End to end: the CNN (conv2d -> maxPooling2d -> flatten -> dense -> softmax) on real bundled digits learns
// well above chance in a few seconds.
import * as tn from '../../lib';
import { loadBundledDigits } from '../../lib/data/mnist_package';
import { scalars } from '../helpers/model_values';

test('a small CNN on 600 bundled digits reaches well above chance', async () => {
  tn.setSeed(7);
  const d = loadBundledDigits({ trainSize: 600, testSize: 200, seed: 3 });
  const x = tn.tensor(d.trainImages.data, d.trainImages.shape);
  const y = tn.oneHot(tn.tensor(d.trainLabels.data, d.trainLabels.shape, { dtype: 'int32' }), 10);
  const xTest = tn.tensor(d.testImages.data, d.testImages.shape);
  const yTest = tn.oneHot(tn.tensor(d.testLabels.data, d.testLabels.shape, { dtype: 'int32' }), 10);
  const model = tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.flatten(),
      tn.layers.dense({ units: 32, activation: 'relu' }),
      tn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
  expect(history.history.acc[2]).toBeGreaterThan(history.history.acc[0]);
  const [loss, acc] = await scalars(model.evaluate(xTest, yTest));
  // Chance is 10%.
  expect(acc).toBeGreaterThan(0.6);
  expect(loss).toBeLessThan(1.5);
  const probs = await model.predict(xTest).data();
  let rowSum = 0;
  for (let c = 0; c < 10; c++) rowSum += probs[c];
  expect(rowSum).toBeCloseTo(1, 4);
});
