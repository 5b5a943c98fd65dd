// HTTP status and {"error": ...} body for every failure: typed serving and tensor errors, fastify's own (413, 400, 415).
import type { FastifyReply } from 'fastify';
import { DTypeError, ShapeError, ValueError } from '../../errors';
import { AbortedError, DeadlineExceededError, ModelNotFoundError, OverloadedError, UnavailableError } from '../errors';

/** A request the protocol layer rejects itself (malformed body, unknown output): HTTP 400 unless given. */
export class BadRequestError extends ValueError {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/** The HTTP status for an error thrown while serving a request. */
export function statusOf(e: unknown): number {
  if (e instanceof BadRequestError) return e.statusCode;
  if (e instanceof OverloadedError) return 429;
  if (e instanceof DeadlineExceededError) return 504;
  if (e instanceof ModelNotFoundError) return 404;
  if (e instanceof UnavailableError) return 503;
  if (e instanceof AbortedError) return 499; // the client went away; nobody reads this answer
  if (e instanceof ShapeError || e instanceof DTypeError || e instanceof ValueError) return 400;
  const code = (e as { statusCode?: unknown })?.statusCode; // fastify's: 413 body too large, 400 bad JSON, 415 ...
  return typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
}

/** Sends `{"error": message}` with the error's status (and Retry-After on 429). Returns the status. */
export function sendError(reply: FastifyReply, e: unknown): number {
  const status = statusOf(e);
  if (e instanceof OverloadedError) reply.header('retry-after', String(e.retryAfterSeconds));
  const message = status === 500 ? `internal error: ${(e as Error)?.message ?? String(e)}` : ((e as Error)?.message ?? String(e));
  void reply.code(status).send({ error: message });
  return status;
}
