// LSTM text model step time (embedding 64 > LSTM 128 > dense softmax; batch 64, sequence 40) on CPU, optionally beside
// Keras/TensorFlow on the same token batches (--compare). Reports ms per training step and the load average.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import * as tn from '../lib';
import { appendResultsMarkdown, machineInfo, machineMarkdown, markdownTable, median, nowMs, printColumns, round, writeResultsJson } from './common';
import { parsePeers, runPeer } from './compare';
import { mulberry32 } from '../lib/data/prng';

interface Options {
  steps: string;
  epochs: string;
  vocab: string;
  threads?: string;
  compare?: boolean;
  peers: string;
  save: boolean;
}

interface StepResult {
  framework: string;
  version: string;
  threads: number;
  epochSeconds: number[];
  steps: number;
  note?: string;
}

const SEQ = 40;
const BATCH = 64;
const CLASSES = 8;

const msPerStep = (r: StepResult): number => (1000 * (r.epochSeconds.length > 1 ? median(r.epochSeconds.slice(1)) : r.epochSeconds[0])) / r.steps;

async function trainTensornode(x: Int32Array, y: Int32Array, n: number, vocab: number, epochs: number): Promise<StepResult> {
  const model = tn.sequential({
    layers: [
      tn.layers.embedding({ inputDim: vocab, outputDim: 64, inputLength: SEQ }),
      // Keras' defaults (sigmoid gates), so both sides compute the same function.
      tn.layers.lstm({ units: 128, recurrentActivation: 'sigmoid' }),
      tn.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const xs = tn.tensor(x, [n, SEQ], { dtype: 'int32' });
  const ys = tn.tensor(y, [n], { dtype: 'int32' });
  const epochSeconds: number[] = [];
  let t0 = 0;
  await model.fit(xs, ys, {
    epochs,
    batchSize: BATCH,
    shuffle: false,
    verbose: 0,
    callbacks: {
      onEpochBegin: () => {
        t0 = nowMs();
      },
      onEpochEnd: (e, logs) => {
        epochSeconds.push((nowMs() - t0) / 1000);
        console.error(`[tensornode] epoch ${e + 1}: ${epochSeconds[e].toFixed(2)} s, loss ${Number(logs?.loss).toFixed(4)}`);
      },
    },
  });
  xs.dispose();
  ys.dispose();
  model.dispose();
  const info = tn.backendInfo().cpu;
  return { framework: 'tensornode', version: '0.1.0', threads: info.threads, epochSeconds, steps: n / BATCH, note: `Sequential.fit, fused LSTM kernel, BLAS ${info.blas}` };
}

async function main(): Promise<void> {
  const opts = new Command()
    .name('lstm_text')
    .description('Training step time of an LSTM text classifier (embedding 64, LSTM 128, batch 64, sequence 40), optionally beside Keras')
    .option('--steps <n>', 'training steps per epoch', '20')
    .option('--epochs <n>', 'epochs (the first is warm-up)', '3')
    .option('--vocab <n>', 'vocabulary size', '2000')
    .option('--threads <n>', 'threads for every framework')
    .option('--compare', 'also train with bench/python/lstm_text_keras.py')
    .option('--peers <list>', 'peers for --compare (tf, or tf@threads)', 'tf')
    .option('--no-save', 'do not write bench/results/')
    .parse()
    .opts<Options>();
  const steps = Number(opts.steps);
  const epochs = Number(opts.epochs);
  const vocab = Number(opts.vocab);
  if (opts.threads) tn.setNumThreads(Number(opts.threads));
  tn.setDefaultDevice('cpu');
  tn.setSeed(0);
  const machine = machineInfo();
  const threads = machine.tensornode.cpuThreads;
  const n = steps * BATCH;
  const rng = mulberry32(1);
  const x = Int32Array.from({ length: n * SEQ }, () => Math.floor(rng() * vocab));
  const y = Int32Array.from({ length: n }, () => Math.floor(rng() * CLASSES));
  console.log(`LSTM text bench: ${steps} steps/epoch of batch ${BATCH} x ${SEQ} tokens (vocab ${vocab}), ${epochs} epochs, ${threads} threads, load ${machine.loadAvgAtStart.join(' ')}`);

  const results: StepResult[] = [await trainTensornode(x, y, n, vocab, epochs)];
  if (opts.compare) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tensornode-lstm-'));
    try {
      fs.writeFileSync(path.join(dir, 'x.i32'), Buffer.from(x.buffer));
      fs.writeFileSync(path.join(dir, 'y.i32'), Buffer.from(y.buffer));
      fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ samples: n, seq: SEQ, vocab, classes: CLASSES, batch: BATCH }));
      for (const spec of parsePeers(opts.peers, threads)) {
        if (spec.peer !== 'tf') continue;
        const r = await runPeer('tf', 'lstm_text_keras.py', ['--data', dir, '--threads', String(spec.threads), '--epochs', String(epochs)]);
        if (r) results.push(r as unknown as StepResult);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const ours = results[0];
  const header = ['framework', 'version', 'threads', 'ms/step (median epoch 2..n)', 'first epoch s', 'tn speed vs'];
  const lines = results.map((r) => [
    r.framework,
    r.version,
    String(r.threads),
    msPerStep(r).toFixed(1),
    r.epochSeconds[0].toFixed(2),
    r !== ours ? `${(msPerStep(r) / msPerStep(ours)).toFixed(2)}x` : '',
  ]);
  console.log();
  printColumns(header, lines);
  console.log('(tn speed vs > 1: tensornode trains faster than that framework)');
  const loadAvgAtEnd = os.loadavg().map((v) => Math.round(v * 100) / 100);
  console.log(`load average at end: ${loadAvgAtEnd.join(' ')} (a shared machine: other jobs ran meanwhile)`);
  if (opts.save) {
    const record = {
      kind: 'lstm-text',
      machine,
      loadAvgAtEnd,
      options: { steps, epochs, vocab, batch: BATCH, seq: SEQ, classes: CLASSES },
      model: 'embedding 64 > lstm 128 (sigmoid gates) > dense softmax; adam; sparse categorical crossentropy',
      results: results.map((r) => ({ ...r, epochSeconds: r.epochSeconds.map((s) => round(s, 3)), msPerStep: round(msPerStep(r), 2) })),
    };
    const file = writeResultsJson('lstm-text', record);
    appendResultsMarkdown(
      [
        `## LSTM text model step time ${machine.date.slice(0, 10)}: ${machine.cpuModel}`,
        '',
        machineMarkdown(machine, [`Load average at end ${loadAvgAtEnd.join(' / ')} (shared machine)`, `batch ${BATCH}, sequence ${SEQ}, vocab ${vocab}, ${steps} steps x ${epochs} epochs; ${record.model}`]),
        `- JSON: \`bench/results/${file.split('/').pop()}\``,
        '',
        markdownTable(header, lines),
      ].join('\n'),
    );
    console.log(`wrote ${file}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
