// `tensornode evaluate <modelDir>`: test accuracy of a saved model on MNIST (the split it was trained with, or --data).
import { chooseDevice } from './device_choice';
import { println, type CliIO } from './io';
import { BUNDLED_DEFAULTS, describeData, loadMnist, reloadMnist, type MnistSplit } from './mnist_data';
import { loadCliModel } from './model_store';
import { scoreModel, type Score } from './scoring';

export interface EvaluateOptions {
  data?: string;
  testSize?: number;
  device?: string;
}

export async function evaluateModel(modelDir: string, opts: EvaluateOptions, io: CliIO): Promise<Score> {
  const device = chooseDevice(opts.device);
  const { model, record } = await loadCliModel(modelDir);
  try {
    let d: MnistSplit;
    if (opts.data !== undefined) d = await loadMnist({ data: opts.data, trainSize: 0, testSize: opts.testSize });
    else if (record?.data && opts.testSize === undefined) d = await reloadMnist(record.data); // the held-out rows of its own training run
    else d = await loadMnist({ ...BUNDLED_DEFAULTS, testSize: opts.testSize ?? BUNDLED_DEFAULTS.testSize });
    println(io.stdout, describeData(d).replace(/\(\d+ train \/ /, '('));
    const score = await scoreModel(model, d.testImages, d.testLabels);
    println(io.stdout, `test accuracy: ${score.accuracy.toFixed(4)}`);
    println(io.stdout, `test loss: ${score.loss.toFixed(4)}`);
    println(io.stdout, `samples: ${score.samples}`);
    println(io.stdout, `device: ${device}`);
    return score;
  } finally {
    model.dispose();
  }
}
