// "Train in Keras, serve in Node": loads the Keras 3 model that examples/keras/train_sensors.py trained and saved
// (sensors.keras, committed), checks that it predicts here what it predicted in Keras on the held-out readings, and
// serves it with the batching Predictor, as a Node service would.
//
//   npx tsc -p tsconfig.json && node dist/examples/keras_to_node.js [path/to/model.keras]
import * as fs from 'fs';
import * as path from 'path';
import * as tn from '../lib';

const HERE = path.join(__dirname, '..', '..', 'examples', 'keras'); // dist/examples -> examples/keras
const DIR = fs.existsSync(HERE) ? HERE : path.join(__dirname, 'keras'); // run from source (ts) or from dist

export interface KerasToNodeResult {
  accuracy: number; // on the held-out readings, predicted in Node
  kerasAccuracy: number; // what Keras measured on the same readings
  maxProbDiff: number; // largest difference between Node's and Keras's probabilities
  servedState: number; // the class the Predictor returned for the first reading
}

export async function main(opts: { modelPath?: string; log?: (line: string) => void } = {}): Promise<KerasToNodeResult> {
  const log = opts.log ?? console.log;
  const test = JSON.parse(fs.readFileSync(path.join(DIR, 'sensors_test.json'), 'utf8')) as { keras: string; accuracy: number; x: number[]; shape: [number, number]; labels: number[]; probs: number[] };
  const model = await tn.loadKerasModel(opts.modelPath ?? path.join(DIR, 'sensors.keras'));
  model.summary(undefined, undefined, (line: string) => log(line));

  const x = tn.tensor(test.x, test.shape);
  const probs = (await (model.predict(x) as tn.Tensor).data()) as Float32Array;
  const [n, classes] = [test.shape[0], test.probs.length / test.shape[0]];
  let right = 0;
  let maxProbDiff = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(probs.subarray(i * classes, (i + 1) * classes));
    if (row.indexOf(Math.max(...row)) === test.labels[i]) right++;
    row.forEach((p, k) => (maxProbDiff = Math.max(maxProbDiff, Math.abs(p - test.probs[i * classes + k]))));
  }
  const accuracy = right / n;
  log(`Keras ${test.keras} measured accuracy ${test.accuracy.toFixed(3)}; here ${accuracy.toFixed(3)}; largest probability difference ${maxProbDiff.toExponential(2)}`);

  // Serving: the Predictor batches concurrent requests into one forward pass.
  const predictor = await tn.serve.Predictor.load(model, { maxBatchSize: 16, maxQueueDelayMs: 2 });
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => predictor.predict(Float32Array.from(test.x.slice(i * 8, i * 8 + 8)))));
  const first = Array.from(Object.values(answers[0].outputs)[0].data);
  const servedState = first.indexOf(Math.max(...first));
  log(`served 8 concurrent requests in ${predictor.stats().batches} forward pass(es); reading 0 -> state ${servedState}`);
  await predictor.close();
  x.dispose();
  model.dispose();
  return { accuracy, kerasAccuracy: test.accuracy, maxProbDiff, servedState };
}

if (require.main === module) {
  main({ modelPath: process.argv[2] }).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
