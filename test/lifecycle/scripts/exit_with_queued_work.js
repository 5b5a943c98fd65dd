// Child script: queues GEMMs and a read, then leaves in the way argv[2] names (exit, throw, sigint, return) with them queued.
// argv[3] is the device (default cpu): on cuda:0 the GEMMs are queued on the CUDA stream and a read is pending too.
const tn = require(process.env.TN_LIB);
const mode = process.argv[2];
const device = process.argv[3] || 'cpu';
const a = tn.randn([384, 384], { seed: 1, device });
for (let i = 0; i < 300; i++) tn.matmul(a, a).dispose();
const pendingRead = tn.matmul(a, a).data(); // never awaited: its completion must not outlive the environment
pendingRead.catch(() => {});
if (mode === 'exit') process.exit(0);
if (mode === 'throw') throw new Error('uncaught on purpose');
if (mode === 'sigint') {
  process.on('SIGINT', () => process.exit(130));
  process.kill(process.pid, 'SIGINT');
  setTimeout(() => {}, 20000);
}
// 'return': the script simply ends with the kernels still queued.
