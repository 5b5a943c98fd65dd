// Jest test order: jest's default order, except that GPU out-of-memory files (test/gpu/*oom*) run last, after every
// other file, because filling the GPU would starve whatever runs beside or after them.
const Sequencer = require('@jest/test-sequencer').default;

const isOom = (t) => /[\\/]test[\\/]gpu[\\/][^\\/]*oom[^\\/]*$/.test(t.path);

class OomLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted.filter((t) => !isOom(t)), ...sorted.filter(isOom)];
  }
}

module.exports = OomLastSequencer;
