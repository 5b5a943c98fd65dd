// Child script: peak RSS growth of one `await data()` (argv[2] 'async') or `dataSync()` ('sync') of a 256 MiB
// tensor, in units of the tensor's size (VmHWM reset through /proc/self/clear_refs).
const fs = require('fs');
const tn = require(process.env.TN_LIB);
const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
(async () => {
  const n = 64 * 1024 * 1024;
  const t = tn.full([n], 1.5);
  tn.synchronize('cpu');
  fs.writeFileSync('/proc/self/clear_refs', '5');
  const base = kib('VmRSS');
  const v = process.argv[2] === 'sync' ? t.dataSync() : await t.data();
  const peak = kib('VmHWM');
  if (v[n - 1] !== 1.5) throw new Error('wrong value');
  process.stdout.write(JSON.stringify({ ratio: ((peak - base) * 1024) / (n * 4) }) + '\n');
})();
