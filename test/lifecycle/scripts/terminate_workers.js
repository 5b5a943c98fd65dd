// Child script: starts and terminates argv[3] workers, each mid-read ('read') or inside addon calls ('call').
const { Worker } = require('worker_threads');
const mode = process.argv[2];
const count = Number(process.argv[3]);
const body = `
const { parentPort } = require('worker_threads');
const tn = require(${JSON.stringify(process.env.TN_LIB)});
const a = tn.randn([128, 128], { seed: 1 });
parentPort.postMessage('ready');
if (${JSON.stringify(mode)} === 'read') {
  for (let i = 0; i < 40; i++) tn.matmul(a, a).data().then(() => {});
} else {
  for (;;) { const y = tn.add(a, 1); y.dataSync(); y.dispose(); }
}`;
(async () => {
  for (let i = 0; i < count; i++) {
    const w = new Worker(body, { eval: true });
    await new Promise((resolve) => w.once('message', resolve));
    await new Promise((resolve) => setTimeout(resolve, i % 4));
    await w.terminate();
  }
  // The main thread still computes correctly afterwards.
  const v = await require(process.env.TN_LIB).full([3], 2).data();
  process.stdout.write(`done ${Array.from(v).join(',')}\n`);
})();
