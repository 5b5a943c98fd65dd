// The public ops, re-exported from one place (each group lives in its own file).
export * from './creation';
export * from './elementwise';
export * from './reshape';
