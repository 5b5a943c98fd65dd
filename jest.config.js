// Jest runs the TypeScript tests directly through ts-jest (type-checked per file, isolated for speed).
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  // Generous: several suites train small models, and a loaded machine can be many times slower than an idle one.
  testTimeout: 240000,
  // GPU out-of-memory tests last (test/gpu/sequencer.js); test/gpu itself runs in band (package.json "test").
  // tfjs (the test oracle) prints an "install tfjs-node" hint on first use in each suite: filtered out.
  setupFiles: ['<rootDir>/test/helpers/quiet_tfjs.js'],
  testSequencer: '<rootDir>/test/gpu/sequencer.js',
};
