// gpu:check step: worker_threads on the GPU. Three workers and the main thread each run matmul, conv2d and a training
// step on cuda:0 at the same time (one stream and one set of library handles shared by all), check the results
// against the CPU backend, dispose everything and exit; the process must then exit by itself.
// Usage: node tools/gpu-check/workers.js   (TENSORNODE_ADDON picks the build). Last line: RESULT {json}.
// GPU_CHECK_DEVICE=cpu self-checks the script on the CPU backend.
'use strict';
const path = require('path');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

const tn = require(path.join(__dirname, '..', '..', 'dist', 'lib'));
const GPU = process.env.GPU_CHECK_DEVICE || 'cuda:0';

/** Largest |a - b| / (1 + |b|). */
function maxRelErr(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return worst;
}

/** One thread's work: the same seeded ops on the GPU and on the CPU; returns the worst error and the seconds taken. */
async function work(seed) {
  const t0 = Date.now();
  const errors = {};
  for (let round = 0; round < 5; round++) {
    const run = (device) => tn.tidy(() => {
      const a = tn.rand([256, 512], { device, seed: seed + round, low: -1, high: 1 });
      const b = tn.rand([512, 128], { device, seed: seed + round + 100, low: -1, high: 1 });
      const x = tn.rand([4, 16, 16, 8], { device, seed: seed + round + 200 });
      const w = tn.rand([3, 3, 8, 12], { device, seed: seed + round + 300, low: -0.5, high: 0.5 });
      return [tn.matmul(a, b), tn.conv2d(x, w, { padding: 'same' })];
    });
    const [gm, gc] = run(GPU);
    const [cm, cc] = run('cpu');
    errors.matmul = Math.max(errors.matmul ?? 0, maxRelErr(await gm.data(), await cm.data()));
    errors.conv2d = Math.max(errors.conv2d ?? 0, maxRelErr(await gc.data(), await cc.data()));
    tn.dispose([gm, gc, cm, cc]);
  }
  // A few training steps of a small model placed on the GPU.
  tn.setSeed(seed);
  const model = tn.sequential({
    layers: [tn.layers.dense({ units: 32, activation: 'relu', inputShape: [16] }), tn.layers.dense({ units: 1 })],
  }).to(GPU);
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const xs = tn.rand([64, 16], { device: GPU, seed: seed + 1 });
  const ys = tn.rand([64, 1], { device: GPU, seed: seed + 2 });
  // trainOnBatch gives the loss (or [loss, ...metrics]).
  const step = async () => {
    const v = await model.trainOnBatch(xs, ys);
    return Number(Array.isArray(v) ? v[0] : v);
  };
  const first = await step();
  let last = first;
  for (let i = 0; i < 20; i++) last = await step();
  tn.dispose([xs, ys]);
  model.dispose();
  tn.synchronize(GPU);
  return { errors, lossFirst: first, lossLast: last, seconds: (Date.now() - t0) / 1000, leftTensors: tn.memory().devices[GPU]?.numTensors ?? 0 };
}

if (!isMainThread) {
  work(workerData.seed).then((r) => parentPort.postMessage({ ok: true, ...r }), (e) => parentPort.postMessage({ ok: false, error: String(e.stack || e) }));
} else {
  const info = tn.backendInfo().cuda;
  if (!info.usable && GPU !== 'cpu') {
    console.log(`skipped: CUDA unusable: ${info.reason}`);
    console.log(`RESULT ${JSON.stringify({ skipped: true, reason: info.reason })}`);
    process.exit(0);
  }
  const runWorker = (seed) => new Promise((resolve) => {
    const w = new Worker(__filename, { workerData: { seed } });
    let msg = { ok: false, error: 'worker exited without a result' };
    w.on('message', (m) => { msg = m; });
    w.on('error', (e) => { msg = { ok: false, error: String(e.stack || e) }; });
    w.on('exit', (code) => resolve({ ...msg, exitCode: code }));
  });
  (async () => {
    const results = await Promise.all([work(1000).then((r) => ({ ok: true, ...r }), (e) => ({ ok: false, error: String(e.stack || e) })),
      runWorker(2000), runWorker(3000), runWorker(4000)]);
    let failed = 0;
    results.forEach((r, i) => {
      const who = i === 0 ? 'main thread' : `worker ${i}`;
      const bad = !r.ok || r.errors.matmul > 1e-4 || r.errors.conv2d > 1e-4 || !(r.lossLast < r.lossFirst) || r.leftTensors !== 0 || (i > 0 && r.exitCode !== 0);
      if (bad) failed++;
      console.log(`${bad ? 'FAIL' : 'ok  '} ${who}: ${r.ok ? `matmul err ${r.errors.matmul.toExponential(1)}, conv2d err ${r.errors.conv2d.toExponential(1)}, loss ${r.lossFirst.toFixed(4)} -> ${r.lossLast.toFixed(4)}, ${r.leftTensors} tensors left, ${r.seconds.toFixed(1)} s` : r.error}`);
    });
    console.log(`RESULT ${JSON.stringify({ threads: results.length, failed, results })}`);
    process.exitCode = failed ? 1 : 0;
  })();
}
