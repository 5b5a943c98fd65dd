// The public ops, re-exported from one place (each group lives in its own file).
export * from './creation';
export * from './elementwise';
export * from './reshape';
export * from './conv';
export * from './matmul';
export * from './reduce';
export * from './softmax';
export * from './layout';
export * from './dropout';
export * from './losses';
export * from './rnn';
export * from './math';
export * from './logical';
export * from './gather';
export * from './stack';
export * from './scan';
export * from './stats';
