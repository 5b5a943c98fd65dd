// Child script: worker A keeps making a bad oneHot while worker B does 200 valid reads; prints both outcomes as JSON.
const { Worker } = require('worker_threads');
const lib = JSON.stringify(process.env.TN_LIB);
const bad = `
const { parentPort } = require('worker_threads');
const tn = require(${lib});
(async () => {
  const idx = tn.tensor([0, 9], [2], { dtype: 'int32' });
  let own = null;
  for (let i = 0; i < 200; i++) {
    const y = tn.oneHot(idx, 3);
    try { await y.data(); } catch (e) { own = own || e.name + ': ' + e.message; }
    y.dispose();
  }
  let synced = 'ok';
  tn.oneHot(idx, 3);
  try { tn.synchronize('cpu'); } catch (e) { synced = e.name; }
  parentPort.postMessage({ own, synced });
})();`;
const good = `
const { parentPort } = require('worker_threads');
const tn = require(${lib});
(async () => {
  let failures = 0, wrong = 0;
  for (let i = 0; i < 200; i++) {
    const y = tn.add(tn.full([4], i), 1);
    try { const v = await y.data(); if (v[3] !== i + 1) wrong++; } catch (e) { failures++; }
  }
  let synced = 'ok';
  try { tn.synchronize('cpu'); } catch (e) { synced = e.name; }
  parentPort.postMessage({ failures, wrong, synced });
})();`;
const run = (src) => new Promise((resolve, reject) => {
  const w = new Worker(src, { eval: true });
  w.once('message', resolve);
  w.once('error', reject);
});
Promise.all([run(bad), run(good)]).then(([a, b]) => process.stdout.write(JSON.stringify({ a, b }) + '\n'));
