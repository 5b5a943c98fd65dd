// Prints the addon's source list (native/sources.txt) for binding.gyp, so node-gyp and CMake build the same files.
const fs = require('fs');
const path = require('path');
const list = fs.readFileSync(path.join(__dirname, '..', 'native', 'sources.txt'), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
process.stdout.write(list.join(' '));
