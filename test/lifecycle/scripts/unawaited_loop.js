// Child script: 1500 ops with 1 MiB outputs, never awaited, under TENSORNODE_QUEUE_MB=16; reports the largest queue
// seen, the bytes memory() counted as held by the queue, and the RSS growth.
const tn = require(process.env.TN_LIB);
const { native } = require(require('path').join(require('path').dirname(process.env.TN_LIB), 'native.js'));
const x = tn.rand([256 * 1024], { seed: 1 });
x.dataSync();
const rss0 = process.memoryUsage().rss;
let maxKernels = 0, maxBytes = 0, maxInQueue = 0;
for (let i = 0; i < 1500; i++) {
  tn.tidy(() => { tn.exp(tn.add(x, i)); });
  const q = native.queueStats('cpu');
  maxKernels = Math.max(maxKernels, q.kernels);
  maxBytes = Math.max(maxBytes, q.bytes);
  maxInQueue = Math.max(maxInQueue, tn.memory().numBytesInQueue);
}
const rssGrowth = process.memoryUsage().rss - rss0;
tn.synchronize('cpu');
process.stdout.write(JSON.stringify({ maxKernels, maxBytes, maxInQueue, rssGrowth, after: tn.memory().numBytesInQueue }) + '\n');
