// Defaults of `tensornode serve`'s options, apart from the command so the CLI starts without loading the HTTP stack.
export const SERVE_DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  maxBatchSize: 32,
  maxQueueDelayMs: 2,
  maxQueueSize: 1024,
  instances: 1,
  pollSeconds: 5,
  drainSeconds: 30,
  bodyLimitMb: 16,
  deadlineMs: 0,
  logLevel: 'info',
};
