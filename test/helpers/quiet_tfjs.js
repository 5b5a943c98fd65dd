// Jest setup: drops tfjs's one-time "install tfjs-node" hint (printed when the tfjs oracle first runs in Node), which
// would otherwise repeat in every suite's log; every other warning still prints.
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('looks like you are running TensorFlow.js in Node.js')) return;
  warn(...args);
};
