// `tensornode serve`'s HTTP server: fastify with the KServe v2 and TF Serving routes, /metrics, one-line JSON logs,
// a model repository behind them, and a drain on shutdown.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'net';
import { ModelRepository, type RepositoryOptions, type ServeLogger } from '../repository';
import type { PredictorOptions } from '../predictor';
import { ModelNotFoundError } from '../errors';
import { sendError } from './errors';
import { ServeMetrics } from './metrics';
import { kserveRoutes } from './kserve';
import { tfServingRoutes } from './tfserving';
import type { ServerContext } from './context';

export interface ServerOptions {
  /** The model repository directory. */
  repository: string;
  host?: string; // default 127.0.0.1
  port?: number; // default 8080; 0 picks a free port
  predictor?: Omit<PredictorOptions, 'onBatch'>;
  pollSeconds?: number;
  pinned?: Record<string, string>;
  /** Largest request body in bytes (default 16 MiB); larger ones get 413. */
  bodyLimit?: number;
  /** Deadline of every request in ms (0 = none); a request still queued then gets 504. */
  deadlineMs?: number;
  logLevel?: string; // pino level, default 'info'
  /** Where log lines go (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** Also log every request (two lines each); off by default. */
  logRequests?: boolean;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  repository: ModelRepository;
  metrics: ServeMetrics;
  /** Stops accepting, answers what is in flight (up to drainMs), unloads the models. Resolves true if all finished. */
  close(drainMs?: number): Promise<boolean>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info', ...(opts.logStream ? { stream: opts.logStream } : {}) },
    logController: new LogController({ disableRequestLogging: !opts.logRequests }),
    bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024,
    return503OnClosing: true,
  });
  const log = app.log as unknown as ServeLogger;
  let repository: ModelRepository | null = null;
  const metrics = new ServeMetrics(() =>
    (repository?.modelNames() ?? []).map((name) => {
      const s = repository!.get(name);
      return { model: name, version: s.version, depth: s.predictor.stats().queueDepth };
    }),
  );
  const repoOpts: RepositoryOptions = { predictor: opts.predictor, pollSeconds: opts.pollSeconds, pinned: opts.pinned, log, onBatchFor: (m, v) => metrics.onBatch(m, v) };
  repository = new ModelRepository(opts.repository, repoOpts);
  await repository.start();
  if (repository.modelNames().length === 0) log.warn({ repository: opts.repository }, 'no model could be loaded; serving none until one appears');

  const ctx: ServerContext = { repository, metrics, deadlineMs: opts.deadlineMs ?? 0, draining: false };
  app.setErrorHandler((e, _req, reply) => void sendError(reply, e)); // body too large (413), bad JSON (400), ...
  app.setNotFoundHandler((req, reply) => void sendError(reply, new ModelNotFoundError(`no such resource: ${req.method} ${req.url}`)));
  kserveRoutes(app, ctx);
  tfServingRoutes(app, ctx);
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));

  try {
    await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 8080 });
  } catch (e) {
    await repository.close();
    throw e;
  }
  const { address, port } = app.server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  log.info({ url, models: repository.modelNames().map((n) => `${n}@${repository!.get(n).version}`) }, 'serving');

  let closing: Promise<boolean> | null = null;
  const close = (drainMs = 30000): Promise<boolean> =>
    (closing ??= (async () => {
      ctx.draining = true;
      log.info({ drainMs }, 'draining: no new connections, answering requests in flight');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), drainMs)));
      const done = await Promise.race([app.close().then(() => true), timeout]);
      clearTimeout(timer);
      if (!done) log.warn({ drainMs }, 'drain time is up; closing with requests still in flight');
      await Promise.race([repository!.close(), new Promise((r) => setTimeout(r, done ? drainMs : 0).unref())]);
      log.info({}, 'stopped');
      return done;
    })());
  return { url, app, repository, metrics, close };
}
