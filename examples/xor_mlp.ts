// XOR with a tiny MLP: the smallest problem a linear model cannot solve, learned by a Keras-style Sequential model.
//
//   npx tsc -p tsconfig.json && node dist/examples/xor_mlp.js [--small]
import * as tn from '../lib';

export interface XorResult {
  accuracy: number; // fraction of the 4 XOR cases classified right
  loss: number;
  predictions: number[]; // P(output = 1) for [0,0], [0,1], [1,0], [1,1]
}

export async function main(opts: { small?: boolean; log?: (line: string) => void } = {}): Promise<XorResult> {
  const log = opts.log ?? console.log;
  tn.setSeed(42);
  const x = tn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = tn.tensor([[0], [1], [1], [0]]);

  // Two inputs -> 8 tanh units -> one sigmoid output: the hidden layer bends the plane so the classes separate.
  const model = tn.sequential({
    layers: [tn.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), tn.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
  model.compile({ optimizer: new tn.optim.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: opts.small ? 200 : 500, batchSize: 4, verbose: 0 });

  // evaluate() returns scalar tensors, as in tfjs: [loss, accuracy] here.
  const [loss, accuracy] = await Promise.all((model.evaluate(x, y) as tn.Tensor[]).map(async (s) => (await s.data())[0]));
  const probs = model.predict(x);
  const predictions = Array.from(await probs.data());
  ['0 xor 0', '0 xor 1', '1 xor 0', '1 xor 1'].forEach((q, i) => log(`${q} -> ${predictions[i].toFixed(3)}`));
  log(`accuracy: ${accuracy.toFixed(2)}, loss: ${loss.toFixed(4)}`);
  model.dispose();
  tn.dispose([x, y, probs]);
  return { accuracy, loss, predictions };
}

if (require.main === module) {
  const small = process.env.TENSORNODE_EXAMPLE_SMALL === '1' || process.argv.includes('--small');
  main({ small }).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
