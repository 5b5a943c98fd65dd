// An MLP digit classifier trained with autograd directly: layers as small modules, loss.backward(), optimizer.step().
// No Sequential/fit here: this is the loop fit() runs for you, written out (PyTorch style).
//
//   npx tsc -p tsconfig.json && node dist/examples/custom_training_loop.js [--small]
import * as tn from '../lib';
import { DataLoader, ArrayDataset } from '../lib/data/dataset';
import { loadBundledDigits } from '../lib/data/mnist_package';
import { toTensor } from '../lib/data/tensors';

/** y = x W + b, with W initialised for ReLU (He) and both marked as parameters. */
class Linear {
  readonly weight: tn.Tensor;
  readonly bias: tn.Tensor;
  constructor(inFeatures: number, outFeatures: number) {
    this.weight = tn.randn([inFeatures, outFeatures], { std: Math.sqrt(2 / inFeatures) });
    this.bias = tn.zeros([outFeatures]);
    this.weight.requiresGrad = true;
    this.bias.requiresGrad = true;
  }
  forward(x: tn.Tensor): tn.Tensor {
    return tn.add(tn.matmul(x, this.weight), this.bias);
  }
  parameters(): tn.Tensor[] {
    return [this.weight, this.bias];
  }
}

/** 784 -> 128 relu -> 10 logits. */
class Mlp {
  readonly hidden = new Linear(784, 128);
  readonly out = new Linear(128, 10);
  forward(x: tn.Tensor): tn.Tensor {
    return this.out.forward(tn.relu(this.hidden.forward(x)));
  }
  parameters(): tn.Tensor[] {
    return [...this.hidden.parameters(), ...this.out.parameters()];
  }
}

export interface LoopResult {
  epochLosses: number[]; // mean training loss per epoch
  testAccuracy: number;
}

export async function main(opts: { small?: boolean; log?: (line: string) => void } = {}): Promise<LoopResult> {
  const log = opts.log ?? console.log;
  tn.setSeed(1);
  const d = loadBundledDigits(opts.small ? { trainSize: 1000, testSize: 500 } : { trainSize: 8000, testSize: 2000 });
  const flat = (a: { data: Float32Array; shape: number[] }) => ({ data: a.data, shape: [a.shape[0], 784] });
  const train = new DataLoader(new ArrayDataset({ x: flat(d.trainImages), y: d.trainLabels }), { batchSize: 64, shuffle: true, seed: 1 })
    // Each batch becomes tensors while the previous step runs (the loader prefetches one batch).
    .map((b) => ({ x: toTensor(b.x), y: toTensor(b.y) }));

  const model = new Mlp();
  const params = model.parameters();
  const optimizer = new tn.optim.Adam({ learningRate: 1e-3 });
  const epochLosses: number[] = [];
  const epochs = opts.small ? 2 : 5;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0;
    let batches = 0;
    for await (const { x, y } of train) {
      // tidy frees every intermediate of the forward and backward pass; only the detached loss value leaves it.
      const loss = tn.tidy(() => {
        const l = tn.softmaxCrossEntropy(model.forward(x), y); // int32 labels: sparse cross-entropy, mean over the batch
        l.backward(); // fills .grad of every parameter
        return l.detach();
      });
      optimizer.step(params); // Adam update from each parameter's .grad
      optimizer.zeroGrad(params);
      total += (await loss.data())[0]; // awaits the device without blocking the event loop
      batches++;
      tn.dispose([loss, x, y]);
    }
    epochLosses.push(total / batches);
    log(`epoch ${epoch + 1}/${epochs}: loss ${(total / batches).toFixed(4)}`);
  }

  // Inference: no gradient bookkeeping, then compare the argmax with the labels.
  const xTest = toTensor(flat(d.testImages));
  const predicted = tn.noGrad(() => tn.tidy(() => tn.argmax(model.forward(xTest), 1)));
  const classes = await predicted.data();
  let correct = 0;
  classes.forEach((c, i) => (correct += c === d.testLabels.data[i] ? 1 : 0));
  const testAccuracy = correct / classes.length;
  log(`test accuracy: ${testAccuracy.toFixed(4)} (${classes.length} held-out digits)`);
  tn.dispose([xTest, predicted, params]);
  optimizer.dispose();
  return { epochLosses, testAccuracy };
}

if (require.main === module) {
  const small = process.env.TENSORNODE_EXAMPLE_SMALL === '1' || process.argv.includes('--small');
  main({ small }).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
