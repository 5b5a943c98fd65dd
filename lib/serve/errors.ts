// Typed errors of the serving layer: each maps to one HTTP status in lib/serve/http.
import { TensornodeError } from '../errors';

/** The queue is full: the request was refused at once, before it used any memory (HTTP 429). */
export class OverloadedError extends TensornodeError {
  constructor(
    message: string,
    /** A hint for clients: seconds until the queue has likely drained (HTTP Retry-After). */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
/** The request's deadline passed while it was still queued: it was dropped before compute (HTTP 504). */
export class DeadlineExceededError extends TensornodeError {}
/** The caller aborted the request (AbortSignal, e.g. the client disconnected) while it was queued. */
export class AbortedError extends TensornodeError {}
/** The predictor is closed or closing and takes no new requests (HTTP 503). */
export class UnavailableError extends TensornodeError {}
/** No model (or no such version of it) is served under this name (HTTP 404). */
export class ModelNotFoundError extends TensornodeError {}
