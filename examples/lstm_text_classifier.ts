// An LSTM text classifier: token ids -> embedding -> LSTM -> sigmoid, trained through a tf.data pipeline with
// fitDataset. The "reviews" are synthetic (offline): a review is positive when it holds more positive than negative
// words; the model has to read the whole sequence, in any order, to tell.
//
//   npx tsc -p tsconfig.json && node dist/examples/lstm_text_classifier.js [--small]
import * as tn from '../lib';
import { mulberry32 } from '../lib/data/prng';

const VOCAB = 50; // ids 1..9 positive words, 10..19 negative words, the rest neutral; 0 is padding
const SEQ = 20;

export interface TextResult {
  accuracy: number; // on held-out reviews
  loss: number;
}

/** `n` reviews of SEQ tokens (shorter ones left-padded with 0) and their labels. */
export function syntheticReviews(n: number, seed: number): { ids: Int32Array[]; labels: number[] } {
  const rng = mulberry32(seed);
  const ids: Int32Array[] = [];
  const labels: number[] = [];
  while (ids.length < n) {
    const len = 8 + Math.floor(rng() * (SEQ - 8));
    const review = new Int32Array(SEQ);
    let score = 0;
    for (let t = SEQ - len; t < SEQ; t++) {
      const r = rng();
      const id = r < 0.15 ? 1 + Math.floor(rng() * 9) : r < 0.3 ? 10 + Math.floor(rng() * 10) : 20 + Math.floor(rng() * (VOCAB - 20));
      review[t] = id;
      score += id < 10 ? 1 : id < 20 ? -1 : 0;
    }
    if (score === 0) continue; // ties are ambiguous: leave them out
    ids.push(review);
    labels.push(score > 0 ? 1 : 0);
  }
  return { ids, labels };
}

export async function main(opts: { small?: boolean; log?: (line: string) => void } = {}): Promise<TextResult> {
  const log = opts.log ?? console.log;
  tn.setSeed(7);
  const train = syntheticReviews(opts.small ? 1200 : 4000, 1);
  const test = syntheticReviews(400, 2);

  // tf.data: one element per review, shuffled each epoch with a fixed seed, batched into {xs: [32, SEQ], ys: [32, 1]}.
  const trainDs = tn.data
    .array(train.ids.map((ids, i) => ({ xs: ids, ys: Float32Array.of(train.labels[i]) })))
    .shuffle(train.ids.length, 3)
    .batch(32)
    .prefetch(1);

  const model = tn.sequential({
    layers: [
      tn.layers.embedding({ inputDim: VOCAB, outputDim: 16, inputLength: SEQ }),
      tn.layers.lstm({ units: 32 }),
      tn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: new tn.optim.Adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await model.fitDataset(trainDs, {
    epochs: opts.small ? 6 : 10,
    verbose: 0,
    callbacks: { onEpochEnd: (e, logs) => log(`epoch ${e + 1}: loss ${logs!.loss.toFixed(4)}, accuracy ${logs!.acc.toFixed(3)}`) },
  });

  const xTest = tn.tensor(Int32Array.from(test.ids.flatMap((r) => Array.from(r))), [test.ids.length, SEQ], { dtype: 'int32' });
  const yTest = tn.tensor(Float32Array.from(test.labels), [test.labels.length, 1]);
  // evaluate() returns scalar tensors, as in tfjs: [loss, accuracy] here.
  const [loss, accuracy] = await Promise.all((model.evaluate(xTest, yTest) as tn.Tensor[]).map(async (s) => (await s.data())[0]));
  log(`test accuracy: ${accuracy.toFixed(3)}, loss: ${loss.toFixed(4)}`);
  model.dispose();
  tn.dispose([xTest, yTest]);
  return { accuracy, loss };
}

if (require.main === module) {
  const small = process.env.TENSORNODE_EXAMPLE_SMALL === '1' || process.argv.includes('--small');
  main({ small }).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
