// `tensornode train mnist`: trains the classic CNN, reports test accuracy, device and seconds per epoch, saves the model.
import * as fs from 'fs';
import * as path from 'path';
import { toTensor } from '../data/tensors';
import { oneHot, ProgressLogger, setSeed, tensor } from '../index';
import { chooseDevice } from './device_choice';
import { CliError, println, type CliIO } from './io';
import { describeData, loadMnist } from './mnist_data';
import { mnistCnn } from './mnist_model';
import { saveCliModel } from './model_store';
import { scoreModel } from './scoring';

export interface TrainMnistOptions {
  epochs: number;
  batchSize: number;
  trainSize?: number;
  testSize?: number;
  data?: string;
  download?: boolean;
  device?: string;
  out: string;
  seed: number;
  learningRate: number;
  dropout: number;
}

export const TRAIN_DEFAULTS = { epochs: 5, batchSize: 64, out: path.join('models', 'mnist-cnn'), seed: 0, learningRate: 2e-3, dropout: 0.25 };

export interface TrainResult {
  testAccuracy: number;
  testLoss: number;
  device: string;
  secondsPerEpoch: number[];
  out: string;
}

export async function trainMnist(opts: TrainMnistOptions, io: CliIO): Promise<TrainResult> {
  const device = chooseDevice(opts.device);
  // Fail on an unusable --out now rather than after minutes of training.
  try {
    await fs.promises.mkdir(opts.out, { recursive: true });
  } catch (e) {
    throw new CliError(`--out ${opts.out}: cannot create the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  setSeed(opts.seed);
  const d = await loadMnist({ ...opts, log: (l) => println(io.stderr, l) });
  println(io.stdout, describeData(d));
  if (d.trainLabels.shape[0] === 0) throw new CliError('--train-size must be at least 1');
  println(io.stdout, `device: ${device}`);

  const model = mnistCnn({ learningRate: opts.learningRate, dropout: opts.dropout });
  println(io.stdout, `model: ${model.name}, ${model.countParams()} parameters; adam lr ${opts.learningRate}, batch size ${opts.batchSize}, ${opts.epochs} epoch(s)`);

  const x = toTensor(d.trainImages, { device });
  const labels = tensor(d.trainLabels.data, d.trainLabels.shape, { dtype: 'int32', device });
  const y = oneHot(labels, 10, 1, 0, 'float32');
  labels.dispose();
  const secondsPerEpoch: number[] = [];
  let started = 0;
  const timer = {
    onEpochBegin: () => void (started = performance.now()),
    onEpochEnd: () => void secondsPerEpoch.push((performance.now() - started) / 1000),
  };
  try {
    // Progress goes to the command's stdout (a live bar on a terminal, one line per epoch otherwise).
    await model.fit(x, y, { epochs: opts.epochs, batchSize: opts.batchSize, verbose: 0, callbacks: [new ProgressLogger({ verbose: 1, stream: io.stdout }), timer] });
  } finally {
    x.dispose();
    y.dispose();
  }

  const score = await scoreModel(model, d.testImages, d.testLabels);
  const mean = secondsPerEpoch.reduce((a, b) => a + b, 0) / Math.max(1, secondsPerEpoch.length);
  if (score.samples > 0) {
    println(io.stdout, `test accuracy: ${score.accuracy.toFixed(4)}`);
    println(io.stdout, `test loss: ${score.loss.toFixed(4)}`);
  } else {
    println(io.stdout, 'test accuracy: n/a (--test-size 0)');
  }
  println(io.stdout, `device: ${device}`);
  println(io.stdout, `seconds per epoch: ${mean.toFixed(2)} (${secondsPerEpoch.map((s) => s.toFixed(2)).join(', ')})`);
  await saveCliModel(model, opts.out, { data: d.spec, epochs: opts.epochs, batchSize: opts.batchSize, testAccuracy: score.accuracy, device });
  println(io.stdout, `model saved to ${opts.out}`);
  model.dispose();
  return { testAccuracy: score.accuracy, testLoss: score.loss, device, secondsPerEpoch, out: opts.out };
}
