// Layers (dense, conv2d with bias, batchNormalization) against the PyTorch fixtures: forward, input and weight
// gradients, moving statistics and inference output.
import * as fs from 'fs';
import * as path from 'path';
import * as tn from '../../lib';
import { layers } from '../../lib';
import { expectClose } from '../helpers/gradcheck';

interface Arr {
  shape: number[];
  data: number[];
}
interface LayerCase {
  name: string;
  layer: 'dense' | 'conv2d' | 'batchNormalization';
  config: Record<string, unknown>;
  input: Arr;
  params: Record<string, Arr>;
  output: Arr;
  weight: Arr;
  grads: Record<string, Arr>;
  state?: Record<string, Arr>;
  stateAfter?: Record<string, Arr>;
  inferenceOutput?: Arr;
}

const file = path.join(__dirname, '..', 'fixtures', 'layers.json');
const cases: LayerCase[] = JSON.parse(fs.readFileSync(file, 'utf8')).cases;
const t = (a: Arr, requiresGrad = false) => tn.tensor(Float32Array.from(a.data), a.shape, { requiresGrad });
const TOL = [1e-4, 1e-4] as const;

function makeLayer(c: LayerCase): tn.layers.Layer {
  const cfg = c.config as Record<string, never>;
  if (c.layer === 'dense') return layers.dense(cfg);
  if (c.layer === 'conv2d') return layers.conv2d({ ...cfg, strides: cfg.stride, padding: cfg.padding });
  return layers.batchNormalization(cfg);
}

/** The fixture's parameter name for one of our weights (moving statistics are set from `state`). */
function paramKey(weightName: string): string {
  const short = weightName.split('/').pop()!;
  return { moving_mean: 'movingMean', moving_variance: 'movingVariance' }[short] ?? short;
}

describe('layers vs PyTorch fixtures', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const layer = makeLayer(c);
    const x = t(c.input, true);
    layer.apply(tn.noGrad(() => x.detach())); // builds the weights
    const values = layer.weights.map((w) => {
      const key = paramKey(w.name);
      const src = c.params[key] ?? c.state?.[key];
      if (!src) throw new Error(`fixture has no value for ${w.name}`);
      return t(src);
    });
    layer.setWeights(values);
    const y = layer.apply(x, { training: true });
    expect(y.shape).toEqual(c.output.shape);
    expectClose(await y.data(), c.output.data, ...TOL);
    y.backward(t(c.weight));
    expectClose(await x.grad!.data(), c.grads.input.data, ...TOL);
    for (const w of layer.trainableWeights) {
      const key = paramKey(w.name);
      expect(w.value.grad).not.toBeNull();
      expectClose(await w.value.grad!.data(), c.grads[key].data, ...TOL);
    }
    if (c.layer === 'batchNormalization') {
      const bn = layer as tn.layers.BatchNormalization;
      expectClose(await bn.movingMean!.value.data(), c.stateAfter!.movingMean.data, ...TOL);
      expectClose(await bn.movingVariance!.value.data(), c.stateAfter!.movingVarianceBiased.data, ...TOL);
      // Inference with the pre-step statistics.
      bn.movingMean!.assign(t(c.state!.movingMean));
      bn.movingVariance!.assign(t(c.state!.movingVariance));
      const yi = tn.noGrad(() => layer.apply(t(c.input)));
      expectClose(await yi.data(), c.inferenceOutput!.data, ...TOL);
    }
    layer.dispose();
  });
});
