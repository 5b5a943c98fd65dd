// `tensornode serve <repo>`: serves a model repository over HTTP (KServe v2 + TF Serving REST) until SIGTERM/SIGINT, then drains.
import { startServer, type RunningServer } from '../serve/http/server';
import { chooseDevice } from './device_choice';
import { CliError, type CliIO } from './io';

export interface ServeCommandOptions {
  port: number;
  host: string;
  maxBatchSize: number;
  maxQueueDelayMs: number;
  preferredBatchSizes?: number[];
  padBatches?: boolean;
  maxQueueSize: number;
  instances: number;
  device?: string;
  pollSeconds: number;
  modelVersion: string[];
  drainSeconds: number;
  bodyLimitMb: number;
  deadlineMs: number;
  logLevel: string;
  logRequests?: boolean;
  warmup: boolean;
}

/** `name=version` pins (repeatable option). */
export function parsePins(pins: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pins) {
    const m = /^([^=]+)=(\d+)$/.exec(p);
    if (!m) throw new CliError(`--model-version ${p}: expected NAME=VERSION, e.g. mnist-cnn=2`);
    out[m[1]] = String(Number(m[2]));
  }
  return out;
}

/** Starts the server; resolves once a signal (or `stop`) has drained it. */
export async function serveCommand(repo: string, opts: ServeCommandOptions, io: CliIO, stop?: Promise<void>): Promise<RunningServer> {
  const device = chooseDevice(opts.device);
  const server = await startServer({
    repository: repo,
    host: opts.host,
    port: opts.port,
    predictor: {
      maxBatchSize: opts.maxBatchSize,
      maxQueueDelayMs: opts.maxQueueDelayMs,
      preferredBatchSizes: opts.preferredBatchSizes,
      padBatches: opts.padBatches ?? false,
      maxQueueSize: opts.maxQueueSize,
      instances: opts.instances,
      devices: [device],
      warmup: opts.warmup,
    },
    pollSeconds: opts.pollSeconds,
    pinned: parsePins(opts.modelVersion),
    bodyLimit: Math.round(opts.bodyLimitMb * 1024 * 1024),
    deadlineMs: opts.deadlineMs,
    logLevel: opts.logLevel,
    logStream: io.stdout,
    logRequests: opts.logRequests,
  });
  const signalled = new Promise<void>((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      server.app.log.info({ signal: sig }, 'shutdown requested');
      resolve();
    };
    process.once('SIGTERM', on);
    process.once('SIGINT', on);
    void stop?.then(resolve);
  });
  await signalled;
  await server.close(opts.drainSeconds * 1000);
  return server;
}
