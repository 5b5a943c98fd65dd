// What the protocol routes share: the repository, metrics, request deadline, and one inference path with accounting.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { performance } from 'perf_hooks';
import type { DType } from '../../dtype';
import type { HostTensor } from '../inputs';
import type { PredictResult } from '../predictor';
import type { ModelRepository, Served } from '../repository';
import { BadRequestError, sendError } from './errors';
import type { ServeMetrics } from './metrics';

export interface ServerContext {
  repository: ModelRepository;
  metrics: ServeMetrics;
  /** Deadline of a request that sets none (ms, 0 = none); a request can lower it with the x-request-deadline-ms header. */
  deadlineMs: number;
  /** Set when shutdown begins: readiness turns false. */
  draining: boolean;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type Protocol = 'kserve_v2' | 'tf_serving';

/** Values of nested arrays (checked rectangular) in row-major order, with the shape they had. */
export function nest(data: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length === 0) return data[0];
  const build = (off: number, d: number): unknown => {
    if (d === shape.length - 1) return Array.from({ length: shape[d] }, (_, i) => data[off + i]);
    const stride = shape.slice(d + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[d] }, (_, i) => build(off + i * stride, d + 1));
  };
  return build(0, 0);
}

/** Typed host data of `dtype` from plain JSON numbers; non-numbers and non-integers for int32 are 400s naming `where`. */
export function hostData(dtype: DType, values: readonly unknown[], where: string): Float32Array | Int32Array {
  const out = dtype === 'int32' ? new Int32Array(values.length) : new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw new BadRequestError(`${where}: expected numbers, got ${v === null ? 'null' : typeof v} at element ${i}`);
    if (dtype === 'int32' && !Number.isInteger(v)) throw new BadRequestError(`${where}: expected integers for INT32, got ${v} at element ${i}`);
    out[i] = v;
  }
  return out;
}

function deadlineOf(ctx: ServerContext, request: FastifyRequest): number {
  const h = request.headers['x-request-deadline-ms'];
  if (h === undefined) return ctx.deadlineMs;
  const v = Number(h);
  if (!Number.isFinite(v) || v <= 0) throw new BadRequestError(`x-request-deadline-ms: expected a positive number of milliseconds, got '${String(h)}'`);
  return ctx.deadlineMs > 0 ? Math.min(v, ctx.deadlineMs) : v;
}

/**
 * Runs one request through the served version's Predictor: deadline, abort when the client disconnects, metrics.
 * Inputs are by model input name.
 */
export async function infer(ctx: ServerContext, served: Served, inputs: Record<string, HostTensor>, protocol: Protocol, request: FastifyRequest, reply: FastifyReply): Promise<PredictResult> {
  const started = performance.now();
  const ac = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) ac.abort();
  };
  reply.raw.once('close', onClose);
  try {
    const r = await served.predictor.predict(inputs, { signal: ac.signal, deadlineMs: deadlineOf(ctx, request) });
    const labels = { model: served.name, version: served.version };
    ctx.metrics.success.inc({ ...labels, protocol });
    ctx.metrics.inferences.inc(labels, r.outputs[served.predictor.signature.outputs[0].name].shape[0]);
    ctx.metrics.queueSeconds.observe(labels, r.queueMs / 1000);
    ctx.metrics.requestSeconds.observe({ ...labels, protocol }, (performance.now() - started) / 1000);
    return r;
  } finally {
    reply.raw.off('close', onClose);
  }
}

/** Wraps a route: any error becomes {"error": ...} with its status, counted as a failure for the model it named. */
export function route<R extends FastifyRequest>(ctx: ServerContext, protocol: Protocol, fn: (request: R, reply: FastifyReply) => Promise<unknown>) {
  return async (request: R, reply: FastifyReply): Promise<void> => {
    try {
      const body = await fn(request, reply);
      if (!reply.sent) void reply.send(body);
    } catch (e) {
      const code = sendError(reply, e);
      const params = request.params as { name?: string; version?: string };
      if (request.method === 'POST' && params?.name) ctx.metrics.failure.inc({ model: params.name, version: params.version ?? '', protocol, code: String(code) });
    }
  };
}

export const KSERVE_DATATYPE: Record<string, string> = { float32: 'FP32', int32: 'INT32' };
