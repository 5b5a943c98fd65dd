// The classic Keras MNIST CNN that `tensornode train mnist` trains (two conv/pool stages, a small dense head).
// Through the package root, as a user would import it: that also wires autograd's ops (see lib/index.ts).
import { layers, optim, Sequential } from '../index';

export interface MnistCnnOptions {
  learningRate?: number; // Adam step size, default 2e-3 (chosen on a validation split of the training digits)
  dropout?: number; // rate before the output layer, default 0.25
}

/** conv 32@3x3 relu -> maxpool 2 -> conv 64@3x3 relu -> maxpool 2 -> flatten -> dense 64 relu -> dropout -> dense 10 softmax. */
export function mnistCnn(opts: MnistCnnOptions = {}): Sequential {
  const model = new Sequential({
    name: 'mnist_cnn',
    layers: [
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 64, activation: 'relu' }),
      layers.dropout({ rate: opts.dropout ?? 0.25 }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: new optim.Adam({ learningRate: opts.learningRate ?? 2e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
