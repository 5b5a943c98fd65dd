// Memory over time (issue 9): live tensors, tensor bytes and RSS sampled while long loops run (custom loops clearing
// gradients two ways, fit over many epochs, loadModel/dispose, batch-1 predicts). A leak shows as growth per step.
//
//   npx tsc -p tsconfig.json && node dist/bench/memory_over_time.js [--scale 0.1] [--no-save]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import * as tn from '../lib';
import { appendResultsMarkdown, machineInfo, machineMarkdown, markdownTable, round as roundOpt, writeResultsJson } from './common';

const round = (x: number, digits: number): number => roundOpt(x, digits) ?? x;

interface Sample {
  step: number;
  liveTensors: number;
  tensorBytes: number;
  rssMB: number;
}

interface ScenarioResult {
  name: string;
  steps: number;
  samples: Sample[];
  /** Live tensors after warm-up: max - min over the samples (0 = flat). */
  liveTensorSpread: number;
  /** RSS at the first sample after warm-up. */
  rssMBAfterWarmup: number;
  /** RSS growth per 10,000 steps after warm-up (the first 30% of the samples), from the first and last samples after it. */
  rssMBPer10k: number;
  seconds: number;
}

function sample(step: number): Sample {
  const m = tn.memory();
  return { step, liveTensors: m.numTensors, tensorBytes: m.numBytes, rssMB: round(process.memoryUsage().rss / 2 ** 20, 1) };
}

/** Runs `step` `steps` times, sampling every `every` steps (after awaiting the stream, so queued work is counted). */
async function run(name: string, steps: number, every: number, step: (i: number) => Promise<void> | void): Promise<ScenarioResult> {
  const samples: Sample[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    await step(i);
    if (i % every === 0 || i === steps) {
      await tn.ones([1]).data().then(() => undefined); // drains the stream before sampling
      global.gc?.();
      samples.push(sample(i));
      process.stdout.write(`\r${name}: ${i}/${steps}  live ${samples.at(-1)!.liveTensors}  rss ${samples.at(-1)!.rssMB} MB   `);
    }
  }
  process.stdout.write('\n');
  // Warm-up: the first 30% of the samples (allocator pools, block caches and the JIT fill up there); growth is
  // measured over the rest.
  const warm = Math.min(samples.length - 1, Math.ceil(samples.length * 0.3));
  const after = samples.slice(warm);
  const live = after.map((s) => s.liveTensors);
  const first = after[0];
  const last = after[after.length - 1];
  const rssMBPer10k = last.step > first.step ? ((last.rssMB - first.rssMB) / (last.step - first.step)) * 10000 : 0;
  return {
    name,
    steps,
    samples,
    liveTensorSpread: Math.max(...live) - Math.min(...live),
    rssMBAfterWarmup: first.rssMB,
    rssMBPer10k: round(rssMBPer10k, 2),
    seconds: round((performance.now() - t0) / 1000, 1),
  };
}

function mlp(): tn.LayersModel {
  return tn.sequential({
    layers: [tn.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), tn.layers.dense({ units: 10, activation: 'softmax' })],
  });
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--scale <f>', 'multiplies every step count (0.1 for a quick run)', '1')
    .option('--no-save', 'print only')
    .parse()
    .opts<{ scale: string; save: boolean }>();
  const scale = Number(opts.scale);
  const n = (base: number) => Math.max(2, Math.round(base * scale));
  const machine = machineInfo();
  tn.setSeed(0);
  const x = tn.randn([32, 784], { seed: 1 });
  const labels = tn.tensor(Array.from({ length: 32 }, (_, i) => i % 10), [32], 'int32');
  const results: ScenarioResult[] = [];

  // 1-2. A custom loop: forward, backward, SGD update by hand; the gradient cleared by `w.grad = null` or zeroGrad.
  for (const clear of ['grad = null', 'zeroGrad'] as const) {
    const w = tn.randn([784, 10], { seed: 2, requiresGrad: true });
    const opt = new tn.optim.SGD({ learningRate: 0.01 });
    results.push(
      await run(`custom loop, ${clear}`, n(20000), n(2000), () => {
        const loss = tn.tidy(() => tn.softmaxCrossEntropy(tn.matmul(x, w), labels));
        loss.backward();
        opt.applyGradients([{ param: w, grad: w.grad! }]);
        if (clear === 'zeroGrad') opt.zeroGrad([w]);
        else w.grad = null;
        loss.dispose();
      }),
    );
    w.dispose();
  }

  // 3. fit, one epoch per step.
  {
    const model = mlp();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const xs = tn.randn([256, 784], { seed: 3 });
    const ys = tn.tensor(Array.from({ length: 256 }, (_, i) => i % 10), [256], 'int32');
    results.push(await run('fit, epochs', n(200), n(20), async () => void (await model.fit(xs, ys, { epochs: 1, batchSize: 32, verbose: 0 }))));
    model.dispose();
    tn.dispose([xs, ys]);
  }

  // 4. loadModel / dispose.
  {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-mem-'));
    const model = mlp();
    await model.save(dir);
    model.dispose();
    results.push(await run('loadModel + dispose', n(1000), n(100), async () => (await tn.loadModel(dir)).dispose()));
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // 5. batch-1 predicts.
  {
    const model = mlp();
    const one = tn.randn([1, 784], { seed: 4 });
    results.push(await run('predict, batch 1', n(100000), n(10000), async () => {
      const y = model.predict(one) as tn.Tensor;
      await y.data();
      y.dispose();
    }));
    model.dispose();
    one.dispose();
  }
  tn.dispose([x, labels]);

  const header = ['scenario', 'steps', 'live tensors (spread after warm-up)', 'RSS MB per 10k steps after warm-up', 'RSS MB first / after warm-up / last', 'seconds'];
  const lines = results.map((r) => [
    r.name,
    String(r.steps),
    String(r.liveTensorSpread),
    String(r.rssMBPer10k),
    `${r.samples[0].rssMB} / ${r.rssMBAfterWarmup} / ${r.samples[r.samples.length - 1].rssMB}`,
    String(r.seconds),
  ]);
  console.log(markdownTable(header, lines));
  if (!opts.save) return;
  const file = writeResultsJson('memory-over-time', { machine, scale, results, loadAvgAtEnd: os.loadavg() });
  appendResultsMarkdown(
    [
      `## Memory over time (${machine.date.slice(0, 10)})`,
      '',
      machineMarkdown(machine, [
        `load average at end ${os.loadavg().map((v) => round(v, 2)).join(' / ')}; scale ${scale}; node --expose-gc: ${global.gc ? 'yes' : 'no'}`,
        `Command: \`node --expose-gc dist/bench/memory_over_time.js${scale !== 1 ? ` --scale ${scale}` : ''}\`; every sample in ${path.basename(file)}`,
      ]),
      '',
      markdownTable(header, lines),
    ].join('\n'),
  );
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});
