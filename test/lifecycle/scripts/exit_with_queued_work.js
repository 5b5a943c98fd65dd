// Child script: queues GEMMs, then leaves in the way argv[2] names (exit, throw, sigint, return) with them queued.
const tn = require(process.env.TN_LIB);
const mode = process.argv[2];
const a = tn.randn([384, 384], { seed: 1 });
for (let i = 0; i < 300; i++) tn.matmul(a, a).dispose();
if (mode === 'exit') process.exit(0);
if (mode === 'throw') throw new Error('uncaught on purpose');
if (mode === 'sigint') {
  process.on('SIGINT', () => process.exit(130));
  process.kill(process.pid, 'SIGINT');
  setTimeout(() => {}, 20000);
}
// 'return': the script simply ends with the kernels still queued.
