// tensornode's serving layer: the batching Predictor, model formats it loads, and the model repository + HTTP server over it.
export { Predictor, type PredictorOptions, type PredictOptions, type PredictResult, type BatchInfo } from './predictor';
export { type PredictorStats, type Percentiles } from './stats';
export { type HostTensor, type InputValue, type PredictInputs } from './inputs';
export { toServable, servableSequential, type ServableModel, type ModelSignature, type TensorSpec, type ModelLike } from './servable';
export { loadServable, registerModelReader, detectFormat, type ModelReader } from './loader';
export { OverloadedError, DeadlineExceededError, AbortedError, UnavailableError, ModelNotFoundError } from './errors';
export { ModelRepository, type RepositoryOptions, type Served, type ServeLogger } from './repository';
export type { ServerOptions, RunningServer } from './http/server';

/** Starts the HTTP server of `tensornode serve` in this process (fastify and prom-client load only when called). */
export async function startServer(opts: import('./http/server').ServerOptions): Promise<import('./http/server').RunningServer> {
  return (await import('./http/server')).startServer(opts);
}
