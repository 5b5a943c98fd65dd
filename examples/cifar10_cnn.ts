// The classic Keras CIFAR-10 convnet (conv-conv-pool twice, dropout, a 512-unit dense head) on 32x32 RGB images.
// Data: the CIFAR-10 binary batches in $CIFAR10_DIR (download: `cifar-10-binary.tar.gz`, or lib/data's downloadCifar10).
// Without them (offline, CI) it trains on a SYNTHETIC stand-in of the same shape and says so: ten classes of
// noisy coloured patterns, enough to show the pipeline learns, not a CIFAR-10 result.
//
//   CIFAR10_DIR=~/data/cifar-10-batches-bin npx tsc -p tsconfig.json && node dist/examples/cifar10_cnn.js [--small]
import * as fs from 'fs';
import * as tn from '../lib';
import type { ArrayND } from '../lib/data/array';
import { CIFAR10_CLASSES, loadCifar10Dir } from '../lib/data/cifar10';
import { mulberry32 } from '../lib/data/prng';
import { toTensor } from '../lib/data/tensors';

interface Split {
  trainImages: ArrayND<Float32Array>; // [N, 32, 32, 3] in [0, 1]
  trainLabels: ArrayND<Int32Array>;
  testImages: ArrayND<Float32Array>;
  testLabels: ArrayND<Int32Array>;
}

/**
 * Synthetic CIFAR-shaped data: class k is a fixed random mix of horizontal/vertical stripes in its own colours,
 * randomly shifted per image, plus pixel noise. Learnable by a convnet, meaningless as a benchmark.
 */
export function syntheticCifar(nTrain: number, nTest: number, seed = 0): Split {
  const rng = mulberry32(seed);
  const classes = Array.from({ length: 10 }, () => ({
    fx: 1 + Math.floor(rng() * 4), // stripe frequencies
    fy: 1 + Math.floor(rng() * 4),
    colour: [rng(), rng(), rng()],
    back: [rng(), rng(), rng()],
  }));
  const make = (n: number) => {
    const images = new Float32Array(n * 32 * 32 * 3);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = i % 10;
      const c = classes[k];
      const sx = rng() * 2 * Math.PI;
      const sy = rng() * 2 * Math.PI;
      labels[i] = k;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const s = 0.5 + 0.25 * (Math.sin((c.fx * 2 * Math.PI * x) / 32 + sx) + Math.sin((c.fy * 2 * Math.PI * y) / 32 + sy));
          for (let ch = 0; ch < 3; ch++) {
            const v = s * c.colour[ch] + (1 - s) * c.back[ch] + 0.15 * (rng() - 0.5);
            images[((i * 32 + y) * 32 + x) * 3 + ch] = Math.min(1, Math.max(0, v));
          }
        }
      }
    }
    return { images: { data: images, shape: [n, 32, 32, 3] }, labels: { data: labels, shape: [n] } };
  };
  const train = make(nTrain);
  const test = make(nTest);
  return { trainImages: train.images, trainLabels: train.labels, testImages: test.images, testLabels: test.labels };
}

export interface CifarExampleOptions {
  small?: boolean; // a few hundred images and 2 epochs
  log?: (line: string) => void;
}

export async function main(opts: CifarExampleOptions = {}): Promise<{ testAccuracy: number; synthetic: boolean }> {
  const log = opts.log ?? console.log;
  tn.setSeed(0);
  const dir = process.env.CIFAR10_DIR;
  const synthetic = !(dir && fs.existsSync(dir));
  const nTrain = opts.small ? 500 : 50000;
  const nTest = opts.small ? 200 : 10000;
  let data: Split;
  if (synthetic) {
    log('data: SYNTHETIC stand-in with CIFAR-10 shapes (set CIFAR10_DIR to the CIFAR-10 binary batches for the real thing)');
    data = syntheticCifar(opts.small ? nTrain : 5000, opts.small ? nTest : 1000);
  } else {
    log(`data: CIFAR-10 from ${dir} (classes: ${CIFAR10_CLASSES.join(', ')})`);
    data = await loadCifar10Dir(dir!);
  }
  const rows = (a: ArrayND, n: number) => ({ data: a.data.subarray(0, n * (a.data.length / a.shape[0])), shape: [n, ...a.shape.slice(1)] });
  const n = Math.min(nTrain, data.trainLabels.shape[0]);
  const m = Math.min(nTest, data.testLabels.shape[0]);
  const x = toTensor(rows(data.trainImages, n));
  const y = tn.oneHot(toTensor(rows(data.trainLabels, n)), 10);
  const xTest = toTensor(rows(data.testImages, m));
  const yTest = tn.oneHot(toTensor(rows(data.testLabels, m)), 10);

  const model = tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [32, 32, 3] }),
      tn.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.dropout({ rate: 0.25 }),
      tn.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tn.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.dropout({ rate: 0.25 }),
      tn.layers.flatten(),
      tn.layers.dense({ units: 512, activation: 'relu' }),
      tn.layers.dropout({ rate: 0.5 }),
      tn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: new tn.optim.Adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  log(`training on ${n} images, testing on ${m}, device ${model.device}, ${model.countParams()} parameters`);
  await model.fit(x, y, { epochs: opts.small ? 2 : 10, batchSize: 32, verbose: opts.log ? 0 : 1 });
  // evaluate() returns scalar tensors, as in tfjs: [loss, accuracy] here.
  const [loss, testAccuracy] = await Promise.all((model.evaluate(xTest, yTest, { batchSize: 256 }) as tn.Tensor[]).map(async (s) => (await s.data())[0]));
  log(`test accuracy: ${testAccuracy.toFixed(4)} (loss ${loss.toFixed(4)})${synthetic ? ' on SYNTHETIC data' : ''}`);
  model.dispose();
  tn.dispose([x, y, xTest, yTest]);
  return { testAccuracy, synthetic };
}

if (require.main === module) {
  const small = process.env.TENSORNODE_EXAMPLE_SMALL === '1' || process.argv.includes('--small');
  main({ small }).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
