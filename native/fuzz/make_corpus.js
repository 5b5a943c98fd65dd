// Writes the seed corpus of params_fuzz (native/fuzz/corpus/params): per reader, a few deterministic random inputs.
const fs = require('fs');
const path = require('path');
const dir = path.join(__dirname, 'corpus', 'params');
fs.mkdirSync(dir, { recursive: true });
let s = 12345;
const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) & 255;
for (let reader = 0; reader < 24; reader++) {
  for (let k = 0; k < 4; k++) {
    const bytes = [reader, 1 + (k % 3), 1 + (k % 2)];
    for (let i = 0; i < 40 + 8 * k; i++) bytes.push(next());
    fs.writeFileSync(path.join(dir, `r${String(reader).padStart(2, '0')}_${k}`), Buffer.from(bytes));
  }
}
