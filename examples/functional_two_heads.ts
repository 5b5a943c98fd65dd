// A functional model (tf.input / layer.apply / tf.model) with two inputs and two outputs, as tfjs and Keras build
// them: a house's numeric features and its neighbourhood id go in; its price (regression) and whether it sells within
// a month (classification) come out. Losses per output by name, weighted; saved in the tfjs layers-model format and
// loaded back with identical predictions. The houses are synthetic (offline).
//
//   npx tsc -p tsconfig.json && node dist/examples/functional_two_heads.js [--small]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../lib';
import { mulberry32 } from '../lib/data/prng';

const FEATURES = 4; // size, rooms, age, distance to centre (scaled to about [-1, 1])
const AREAS = 6; // neighbourhood ids 0..5

export interface TwoHeadsResult {
  priceMae: number; // mean absolute error of the price head on held-out houses (target scale)
  sellsAccuracy: number; // accuracy of the "sells within a month" head on held-out houses
  reloadedMaxDiff: number; // largest difference between the model's and the reloaded model's predictions
}

/** `n` houses: features, area ids, price and whether it sells fast, from a fixed hidden rule plus noise. */
export function syntheticHouses(n: number, seed: number): { x: Float32Array; area: Int32Array; price: Float32Array; sells: Float32Array } {
  const rng = mulberry32(seed);
  const areaPremium = [0.8, -0.4, 0.2, 1.1, -0.9, 0.0];
  const x = new Float32Array(n * FEATURES);
  const area = new Int32Array(n);
  const price = new Float32Array(n);
  const sells = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const f = Array.from({ length: FEATURES }, () => rng() * 2 - 1);
    x.set(f, i * FEATURES);
    area[i] = Math.floor(rng() * AREAS);
    price[i] = 1.5 * f[0] + 0.5 * f[1] - 0.7 * f[2] - 0.6 * f[3] + areaPremium[area[i]] + 0.1 * (rng() - 0.5);
    // Cheap for its size sells fast.
    sells[i] = f[0] - 0.5 * price[i] + 0.3 * areaPremium[area[i]] > -0.2 ? 1 : 0;
  }
  return { x, area, price, sells };
}

export async function main(opts: { small?: boolean; log?: (line: string) => void } = {}): Promise<TwoHeadsResult> {
  const log = opts.log ?? console.log;
  tn.setSeed(3);
  // Two inputs: numeric features, and the area id embedded into 3 numbers.
  const features = tn.input({ shape: [FEATURES], name: 'features' });
  const areaId = tn.input({ shape: [1], dtype: 'int32', name: 'area' });
  const areaVec = tn.layers.flatten().apply(tn.layers.embedding({ inputDim: AREAS, outputDim: 3 }).apply(areaId)) as tn.SymbolicTensor;
  const joined = tn.layers.concatenate().apply([features, areaVec]) as tn.SymbolicTensor;
  const hidden = tn.layers.dense({ units: 32, activation: 'relu' }).apply(joined) as tn.SymbolicTensor;
  // Two heads sharing the hidden layer.
  const price = tn.layers.dense({ units: 1, name: 'price' }).apply(hidden) as tn.SymbolicTensor;
  const sells = tn.layers.dense({ units: 1, activation: 'sigmoid', name: 'sells' }).apply(hidden) as tn.SymbolicTensor;
  const model = tn.model({ inputs: [features, areaId], outputs: [price, sells] });
  model.compile({
    optimizer: tn.train.adam(0.01),
    loss: { price: 'meanSquaredError', sells: 'binaryCrossentropy' },
    lossWeights: { price: 1, sells: 0.5 },
    metrics: { sells: 'accuracy' },
  });

  const train = syntheticHouses(opts.small ? 1500 : 5000, 1);
  const n = train.area.length;
  const xs = { features: tn.tensor(train.x, [n, FEATURES]), area: tn.tensor(train.area, [n, 1], 'int32') };
  const ys = { price: tn.tensor(train.price, [n, 1]), sells: tn.tensor(train.sells, [n, 1]) };
  await model.fit(xs, ys, {
    epochs: opts.small ? 15 : 30,
    batchSize: 64,
    verbose: 0,
    callbacks: { onEpochEnd: (e, logs) => void ((e + 1) % 5 === 0 && log(`epoch ${e + 1}: loss ${logs!.loss.toFixed(4)}`)) },
  });

  const test = syntheticHouses(500, 2);
  const m = test.area.length;
  const testInputs = [tn.tensor(test.x, [m, FEATURES]), tn.tensor(test.area, [m, 1], 'int32')];
  const [pPrice, pSells] = model.predict(testInputs) as tn.Tensor[];
  const priceHat = (await pPrice.data()) as Float32Array;
  const sellsHat = (await pSells.data()) as Float32Array;
  const priceMae = priceHat.reduce((s, v, i) => s + Math.abs(v - test.price[i]), 0) / m;
  const sellsAccuracy = sellsHat.reduce((s, v, i) => s + ((v > 0.5 ? 1 : 0) === test.sells[i] ? 1 : 0), 0) / m;
  log(`held-out price MAE ${priceMae.toFixed(3)}, sells-fast accuracy ${sellsAccuracy.toFixed(3)}`);

  // Saved as tfjs saves it (model.json + weights.bin), loaded back as a tfjs program would.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-two-heads-'));
  await model.save(`file://${dir}`);
  const back = await tn.loadLayersModel(`file://${dir}/model.json`);
  const [bPrice, bSells] = back.predict(testInputs) as tn.Tensor[];
  const diffs = await Promise.all([tn.max(tn.abs(tn.sub(bPrice, pPrice))).data(), tn.max(tn.abs(tn.sub(bSells, pSells))).data()]);
  const reloadedMaxDiff = Math.max(diffs[0][0], diffs[1][0]);
  log(`reloaded from ${dir}: max prediction difference ${reloadedMaxDiff}`);
  fs.rmSync(dir, { recursive: true, force: true });
  tn.dispose([Object.values(xs), Object.values(ys), testInputs, pPrice, pSells, bPrice, bSells]);
  model.dispose();
  back.dispose();
  return { priceMae, sellsAccuracy, reloadedMaxDiff };
}

if (require.main === module) {
  const small = process.env.TENSORNODE_EXAMPLE_SMALL === '1' || process.argv.includes('--small');
  main({ small }).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
