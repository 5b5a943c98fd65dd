// MNIST CNN epoch time: the Keras-style CNN on 8,000 bundled digits (or a full IDX set such as Fashion-MNIST with
// --data DIR), seconds/epoch and test accuracy; --compare adds PyTorch and Keras.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import * as tn from '../lib';
import { loadMnistDir, type MnistData } from '../lib/data/idx';
import { loadBundledDigits } from '../lib/data/mnist_package';
import { appendResultsMarkdown, machineInfo, machineMarkdown, markdownTable, median, nowMs, printColumns, round, writeResultsJson } from './common';
import { parsePeers, runPeer, type PeerResult } from './compare';

interface Options {
  epochs: string;
  batchSize: string;
  train: string;
  test: string;
  seed: string;
  threads?: string;
  compare?: boolean;
  peers: string;
  skipOurs?: boolean;
  data?: string;
  save: boolean;
}

/** What each framework reports: wall seconds of every epoch, and the test set's loss/accuracy after the last one. */
export interface EpochResult {
  framework: string;
  version: string;
  threads: number;
  epochSeconds: number[];
  testLoss: number;
  testAccuracy: number;
  note?: string;
}

/** Seconds per epoch as reported: the median of the epochs after the first (the first also pays warm-up / tracing). */
export function steadyEpochSeconds(r: EpochResult): number {
  return r.epochSeconds.length > 1 ? median(r.epochSeconds.slice(1)) : r.epochSeconds[0];
}

/** Writes the split as raw little-endian arrays (+ meta.json) so the Python scripts train on exactly the same rows. */
function exportDigits(dir: string, d: MnistData): void {
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, a: Float32Array | Int32Array) => fs.writeFileSync(path.join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  write('train_x.f32', d.trainImages.data);
  write('train_y.i32', d.trainLabels.data);
  write('test_x.f32', d.testImages.data);
  write('test_y.i32', d.testLabels.data);
  const meta = { train: d.trainLabels.shape[0], test: d.testLabels.shape[0], imageShape: [28, 28, 1], layout: 'NHWC float32 in [0,1]; labels int32' };
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta));
}

async function trainTensornode(d: MnistData, epochs: number, batchSize: number): Promise<EpochResult> {
  const x = tn.tensor(d.trainImages.data, d.trainImages.shape);
  const labels = tn.tensor(d.trainLabels.data, d.trainLabels.shape, { dtype: 'int32' });
  const y = tn.oneHot(labels, 10);
  const xTest = tn.tensor(d.testImages.data, d.testImages.shape);
  const testLabels = tn.tensor(d.testLabels.data, d.testLabels.shape, { dtype: 'int32' });
  const yTest = tn.oneHot(testLabels, 10);
  // The model of the issue's snippet (Keras' classic MNIST CNN).
  const model = tn.sequential({
    layers: [
      tn.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tn.layers.maxPooling2d({ poolSize: 2 }),
      tn.layers.flatten(),
      tn.layers.dense({ units: 64, activation: 'relu' }),
      tn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const epochSeconds: number[] = [];
  let t0 = 0;
  await model.fit(x, y, {
    epochs,
    batchSize,
    verbose: 0,
    callbacks: {
      onEpochBegin: () => {
        t0 = nowMs();
      },
      // fit resolves every batch's loss before this hook, so the epoch's compute is all inside the interval.
      onEpochEnd: (epoch, logs) => {
        const s = (nowMs() - t0) / 1000;
        epochSeconds.push(s);
        console.error(`[tensornode] epoch ${epoch + 1}: ${s.toFixed(2)} s, loss ${Number(logs?.loss).toFixed(4)}, acc ${Number(logs?.acc ?? logs?.accuracy).toFixed(4)}`);
      },
    },
  });
  const [testLoss, testAccuracy] = await Promise.all((model.evaluate(xTest, yTest, { batchSize: 256 }) as tn.Tensor[]).map(async (s) => (await s.data())[0]));
  for (const t of [x, labels, y, xTest, testLabels, yTest]) t.dispose();
  const info = tn.backendInfo().cpu;
  const note = `Sequential.fit, BLAS ${info.blas}, conv/pool engine ${info.engine}`;
  return { framework: 'tensornode', version: '0.1.0', threads: info.threads, epochSeconds, testLoss, testAccuracy, note };
}

async function main(): Promise<void> {
  const opts = new Command()
    .name('mnist_epoch')
    .description('Seconds per epoch of the Keras-style MNIST CNN (bundled digits), optionally beside PyTorch and Keras on the same rows')
    .option('--epochs <n>', 'epochs', '5')
    .option('--batch-size <n>', 'batch size', '64')
    .option('--train <n>', 'training digits', '8000')
    .option('--test <n>', 'test digits', '2000')
    .option('--seed <n>', 'split and initialisation seed', '0')
    .option('--threads <n>', 'threads for every framework (default: tensornode backend default)')
    .option('--compare', 'also train with bench/python/mnist_epoch_{torch,keras}.py')
    .option('--peers <list>', 'peers for --compare; name@threads overrides their thread count (e.g. torch,tf,torch@1)', 'torch,tf')
    .option('--skip-ours', 'only run the peers (with --compare)')
    .option('--data <dir>', 'train on the full IDX set in DIR instead (e.g. /usr/share/datasets/fashion-mnist: 60,000 / 10,000)')
    .option('--no-save', 'do not write bench/results/')
    .parse()
    .opts<Options>();
  parsePeers(opts.peers, 1); // validate before training
  const epochs = Number(opts.epochs);
  const batchSize = Number(opts.batchSize);
  if (opts.threads) tn.setNumThreads(Number(opts.threads));
  tn.setDefaultDevice('cpu');
  tn.setSeed(Number(opts.seed));
  const machine = machineInfo();
  const threads = machine.tensornode.cpuThreads;
  const digits: MnistData = opts.data
    ? await loadMnistDir(opts.data)
    : loadBundledDigits({ trainSize: Number(opts.train), testSize: Number(opts.test), seed: Number(opts.seed) });
  const dataset = opts.data ? `IDX set ${opts.data}` : 'bundled digits';
  console.log(`MNIST CNN epoch bench (${dataset}): ${digits.trainLabels.shape[0]} train / ${digits.testLabels.shape[0]} test images, batch ${batchSize}, ${epochs} epochs, ${threads} threads, load ${machine.loadAvgAtStart.join(' ')}`);

  const results: EpochResult[] = [];
  if (!opts.skipOurs) results.push(await trainTensornode(digits, epochs, batchSize));
  if (opts.compare) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tensornode-mnist-'));
    try {
      exportDigits(dir, digits);
      const args = ['--data', dir, '--epochs', String(epochs), '--batch-size', String(batchSize), '--seed', opts.seed];
      for (const spec of parsePeers(opts.peers, threads)) {
        const r = await runPeer(spec.peer, spec.peer === 'torch' ? 'mnist_epoch_torch.py' : 'mnist_epoch_keras.py', ['--threads', String(spec.threads), ...args]);
        if (r) results.push(r as PeerResult & EpochResult);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const ours = results.find((r) => r.framework === 'tensornode');
  const header = ['framework', 'version', 'threads', 's/epoch (median of 2..n)', 'first epoch s', 'test acc', 'test loss', 'tn speed vs'];
  const lines = results.map((r) => [
    r.framework,
    r.version,
    String(r.threads),
    steadyEpochSeconds(r).toFixed(2),
    r.epochSeconds[0].toFixed(2),
    (r.testAccuracy * 100).toFixed(2) + '%',
    r.testLoss.toFixed(4),
    ours && r !== ours ? `${(steadyEpochSeconds(r) / steadyEpochSeconds(ours)).toFixed(2)}x` : '',
  ]);
  console.log();
  printColumns(header, lines);
  console.log('(tn speed vs > 1: tensornode trains faster than that framework)');
  const loadAvgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  console.log(`load average at end: ${loadAvgAtEnd.join(' ')}`);

  if (opts.save) {
    const record = {
      kind: 'mnist-epoch',
      machine,
      loadAvgAtEnd,
      options: { dataset, epochs, batchSize, train: digits.trainLabels.shape[0], test: digits.testLabels.shape[0], seed: Number(opts.seed) },
      model: 'conv2d 32 3x3 relu > maxPool 2 > conv2d 64 3x3 relu > maxPool 2 > flatten > dense 64 relu > dense 10 softmax; adam (lr 1e-3); categorical crossentropy',
      results: results.map((r) => ({ ...r, epochSeconds: r.epochSeconds.map((s) => round(s, 3)), steadyEpochSeconds: round(steadyEpochSeconds(r), 3) })),
    };
    const file = writeResultsJson('mnist-epoch', record);
    const section = [
      `## MNIST CNN epoch time (${dataset}) ${machine.date.slice(0, 10)}: ${machine.cpuModel}`,
      '',
      machineMarkdown(machine, [`Load average at end ${loadAvgAtEnd.join(' / ')}`, `${record.options.train} train / ${record.options.test} test images (${dataset}), batch ${batchSize}, ${epochs} epochs; ${record.model}`]),
      `- JSON: \`bench/results/${file.split('/').pop()}\``,
      '',
      markdownTable(header, lines),
    ].join('\n');
    appendResultsMarkdown(section);
    console.log(`wrote ${file}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
