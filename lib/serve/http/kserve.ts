// KServe v2 / Open Inference Protocol over HTTP/JSON: health, server and model metadata, model readiness, infer.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { packageVersion } from '../../cli/info';
import type { HostTensor } from '../inputs';
import type { Served } from '../repository';
import type { TensorSpec } from '../servable';
import { flattenNested, fmtShape as fmt } from '../inputs';
import { BadRequestError } from './errors';
import { hostData, infer, isObject, KSERVE_DATATYPE, route, type ServerContext } from './context';

type ModelParams = { name: string; version?: string };
type InferBody = {
  id?: unknown;
  parameters?: unknown;
  inputs?: unknown;
  outputs?: unknown;
};

const tensorMeta = (s: TensorSpec) => ({ name: s.name, datatype: KSERVE_DATATYPE[s.dtype], shape: s.shape.map((d) => d ?? -1) });

/** One `$request_input` checked against the model's spec: datatype, shape (batch dim included), element count. */
function readInput(spec: TensorSpec, input: Record<string, unknown>): HostTensor {
  const where = `input '${spec.name}'`;
  const want = KSERVE_DATATYPE[spec.dtype];
  if (input.datatype !== want) throw new BadRequestError(`${where}: expected datatype ${want}, got ${JSON.stringify(input.datatype)}`);
  const shape = input.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new BadRequestError(`${where}: 'shape' must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  const ok = shape.length === spec.shape.length && shape[0] >= 1 && spec.shape.every((d, i) => d === null || d === shape[i]);
  if (!ok) throw new BadRequestError(`${where}: expected shape ${fmt(spec.shape)}, got ${fmt(shape)}`);
  if (isObject(input.parameters) && input.parameters.binary_data_size !== undefined) throw new BadRequestError(`${where}: the binary tensor data extension is not supported; send 'data' as JSON`);
  if (!Array.isArray(input.data)) throw new BadRequestError(`${where}: 'data' must be an array (flat or nested, row-major)`);
  let flat: unknown[];
  try {
    flat = flattenNested(input.data as number[], where).flat;
  } catch (e) {
    throw new BadRequestError((e as Error).message);
  }
  const count = shape.reduce((a: number, b: number) => a * b, 1);
  if (flat.length !== count) throw new BadRequestError(`${where}: shape ${fmt(shape)} needs ${count} values, got ${flat.length}`);
  return { data: hostData(spec.dtype, flat, where), shape };
}

function readRequest(served: Served, body: InferBody): { inputs: Record<string, HostTensor>; outputs: TensorSpec[] } {
  if (!isObject(body)) throw new BadRequestError('expected an inference request object {"inputs": [...]}');
  const sig = served.predictor.signature;
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) throw new BadRequestError("'inputs' must be a non-empty array of {name, shape, datatype, data}");
  const inputs: Record<string, HostTensor> = {};
  for (const raw of body.inputs) {
    if (!isObject(raw) || typeof raw.name !== 'string') throw new BadRequestError("each of 'inputs' must be an object with a string 'name'");
    const spec = sig.inputs.find((s) => s.name === raw.name);
    if (!spec) throw new BadRequestError(`unexpected input '${raw.name}' (model '${served.name}' takes ${sig.inputs.map((s) => s.name).join(', ')})`);
    if (inputs[raw.name]) throw new BadRequestError(`input '${raw.name}' given twice`);
    inputs[raw.name] = readInput(spec, raw);
  }
  const missing = sig.inputs.find((s) => !inputs[s.name]);
  if (missing) throw new BadRequestError(`missing input '${missing.name}' (model '${served.name}' takes ${sig.inputs.map((s) => s.name).join(', ')})`);
  let outputs = sig.outputs;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw new BadRequestError("'outputs' must be an array of {name}");
    outputs = body.outputs.map((o) => {
      const spec = isObject(o) && typeof o.name === 'string' ? sig.outputs.find((s) => s.name === o.name) : undefined;
      if (!spec) throw new BadRequestError(`unknown output ${JSON.stringify(isObject(o) ? o.name : o)} (model '${served.name}' has ${sig.outputs.map((s) => s.name).join(', ')})`);
      return spec;
    });
  }
  return { inputs, outputs };
}

export function kserveRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = <P>(fn: (req: FastifyRequest<{ Params: P; Body: InferBody }>) => Promise<unknown>) => route(ctx, 'kserve_v2', fn);
  // Health: the status code is the answer (200 true, 4xx false) and the body is empty.
  app.get('/v2/health/live', async (_req, reply) => reply.code(200).send());
  app.get('/v2/health/ready', async (_req, reply) => reply.code(!ctx.draining && ctx.repository.ready() ? 200 : 400).send());
  app.get('/v2', r(async () => ({ name: 'tensornode', version: packageVersion(), extensions: [] })));

  const metadata = r<ModelParams>(async (req) => {
    const s = ctx.repository.get(req.params.name, req.params.version);
    const sig = s.predictor.signature;
    return { name: s.name, versions: [s.version], platform: s.platform, inputs: sig.inputs.map(tensorMeta), outputs: sig.outputs.map(tensorMeta) };
  });
  app.get('/v2/models/:name', metadata);
  app.get('/v2/models/:name/versions/:version', metadata);

  const ready = async (req: FastifyRequest<{ Params: ModelParams }>, reply: import('fastify').FastifyReply) => {
    let ok = false;
    try {
      ok = !ctx.draining && ctx.repository.get(req.params.name, req.params.version).predictor.accepting;
    } catch {
      return reply.code(404).send();
    }
    return reply.code(ok ? 200 : 400).send();
  };
  app.get('/v2/models/:name/ready', ready);
  app.get('/v2/models/:name/versions/:version/ready', ready);

  const inferRoute = route<FastifyRequest<{ Params: ModelParams; Body: InferBody }>>(ctx, 'kserve_v2', async (req, reply) => {
    const served = ctx.repository.get(req.params.name, req.params.version);
    const { inputs, outputs } = readRequest(served, req.body);
    const result = await infer(ctx, served, inputs, 'kserve_v2', req, reply);
    const body: Record<string, unknown> = { model_name: served.name, model_version: served.version };
    if (req.body.id !== undefined) body.id = req.body.id;
    body.outputs = outputs.map((spec) => {
      const t = result.outputs[spec.name];
      return { name: spec.name, datatype: KSERVE_DATATYPE[spec.dtype], shape: t.shape, data: Array.from(t.data) };
    });
    return body;
  });
  app.post('/v2/models/:name/infer', inferRoute);
  app.post('/v2/models/:name/versions/:version/infer', inferRoute);
}
