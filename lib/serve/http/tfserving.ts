// TensorFlow Serving REST API: model status, signature metadata, and :predict in row ("instances") or columnar ("inputs") form.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { flattenNested, fmtShape as fmt, type HostTensor } from '../inputs';
import { ModelNotFoundError } from '../errors';
import type { Served } from '../repository';
import type { TensorSpec } from '../servable';
import { BadRequestError } from './errors';
import { hostData, infer, isObject, nest, route, type ServerContext } from './context';

const TF_DTYPE: Record<string, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32' };

/** Flattens one value of `spec` given as `rows` rows (or a bare sample when rows is 1 and `single`), checking its shape. */
function column(spec: TensorSpec, value: unknown, where: string): HostTensor {
  let parsed: { flat: number[]; shape: number[] };
  try {
    parsed = Array.isArray(value) ? flattenNested(value as number[], where) : { flat: [value as number], shape: [] };
  } catch (e) {
    throw new BadRequestError((e as Error).message);
  }
  const sample = spec.shape.slice(1);
  const shape = parsed.shape;
  const ok = shape.length === spec.shape.length && shape[0] >= 1 && sample.every((d, i) => d === null || d === shape[i + 1]);
  if (!ok) throw new BadRequestError(`${where}: expected shape ${fmt(spec.shape)}, got ${fmt(shape)}`);
  return { data: hostData(spec.dtype, parsed.flat, where), shape };
}

/** Row format: `instances` is a list with one entry per row (the value itself for one input, or {input: value}). */
function fromInstances(served: Served, instances: unknown): Record<string, HostTensor> {
  const specs = served.predictor.signature.inputs;
  if (!Array.isArray(instances) || instances.length === 0) throw new BadRequestError("'instances' must be a non-empty list with one entry per row");
  const named = isObject(instances[0]);
  const out: Record<string, HostTensor> = {};
  for (const spec of specs) {
    const values = instances.map((inst, i) => {
      if (named !== isObject(inst)) throw new BadRequestError(`instances[${i}]: every instance must be ${named ? 'an object of named inputs' : 'a value'} like the first`);
      if (!named) {
        if (specs.length > 1) throw new BadRequestError(`model '${served.name}' has ${specs.length} inputs: give each instance as {${specs.map((s) => `"${s.name}": ...`).join(', ')}}`);
        return inst;
      }
      const rec = inst as Record<string, unknown>;
      const unknown = Object.keys(rec).find((k) => !specs.some((s) => s.name === k));
      if (unknown) throw new BadRequestError(`instances[${i}]: unknown input '${unknown}' (model '${served.name}' takes ${specs.map((s) => s.name).join(', ')})`);
      if (rec[spec.name] === undefined) throw new BadRequestError(`instances[${i}]: missing input '${spec.name}'`);
      return rec[spec.name];
    });
    out[spec.name] = column(spec, values, `input '${spec.name}'`);
  }
  return out;
}

/** Columnar format: `inputs` is the value of the only input (all rows), or {input: value}. */
function fromColumns(served: Served, inputs: unknown): Record<string, HostTensor> {
  const specs = served.predictor.signature.inputs;
  const named = isObject(inputs);
  if (!named && specs.length > 1) throw new BadRequestError(`model '${served.name}' has ${specs.length} inputs: give 'inputs' as {${specs.map((s) => `"${s.name}": ...`).join(', ')}}`);
  const rec = named ? (inputs as Record<string, unknown>) : { [specs[0].name]: inputs };
  const unknown = Object.keys(rec).find((k) => !specs.some((s) => s.name === k));
  if (unknown) throw new BadRequestError(`unknown input '${unknown}' (model '${served.name}' takes ${specs.map((s) => s.name).join(', ')})`);
  const out: Record<string, HostTensor> = {};
  for (const spec of specs) {
    if (rec[spec.name] === undefined) throw new BadRequestError(`missing input '${spec.name}'`);
    out[spec.name] = column(spec, rec[spec.name], `input '${spec.name}'`);
  }
  return out;
}

type Params = { name: string; version?: string };
type PredictBody = { signature_name?: unknown; instances?: unknown; inputs?: unknown };

/** `/v1/models/<name>[/versions/<v>]` then `:predict` (POST) or `/metadata` (GET), as TF Serving spells them. */
function parsePath(url: string): { name: string; version?: string; verb?: string } | null {
  const m = /^\/v1\/models\/([^/:?]+)(?:\/versions\/(\d+))?(?::(\w+)|\/(metadata))?(?:\?.*)?$/.exec(url);
  return m ? { name: decodeURIComponent(m[1]), version: m[2], verb: m[3] ?? m[4] } : null;
}

export function tfServingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const status = (name: string, version?: string) => {
    const s = ctx.repository.get(name, version);
    return { model_version_status: [{ version: s.version, state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] };
  };
  const metadata = (name: string, version?: string) => {
    const s = ctx.repository.get(name, version);
    const sig = s.predictor.signature;
    const tensorInfo = (t: TensorSpec) => ({
      dtype: TF_DTYPE[t.dtype],
      tensor_shape: { dim: t.shape.map((d) => ({ size: String(d ?? -1), name: '' })), unknown_rank: false },
      name: t.name,
    });
    const def = {
      inputs: Object.fromEntries(sig.inputs.map((t) => [t.name, tensorInfo(t)])),
      outputs: Object.fromEntries(sig.outputs.map((t) => [t.name, tensorInfo(t)])),
      method_name: 'tensorflow/serving/predict',
    };
    return { model_spec: { name: s.name, signature_name: '', version: s.version }, metadata: { signature_def: { signature_def: { serving_default: def } } } };
  };

  // fastify's router reads ':' as a parameter; TF Serving's ':predict' verb is parsed here instead.
  app.get('/v1/models/*', route(ctx, 'tf_serving', async (req: FastifyRequest) => {
    const p = parsePath(req.url);
    if (!p || (p.verb && p.verb !== 'metadata')) throw new ModelNotFoundError(`no such resource: GET ${req.url}`);
    return p.verb === 'metadata' ? metadata(p.name, p.version) : status(p.name, p.version);
  }));
  app.post('/v1/models/*', route(ctx, 'tf_serving', async (req: FastifyRequest<{ Body: PredictBody }>, reply: FastifyReply) => {
    const p = parsePath(req.url);
    if (!p || p.verb !== 'predict') throw new ModelNotFoundError(`no such resource: POST ${req.url} (use /v1/models/<name>[/versions/<v>]:predict)`);
    (req.params as Params).name = p.name; // for the failure metrics
    (req.params as Params).version = p.version;
    const served = ctx.repository.get(p.name, p.version);
    const body = req.body;
    if (!isObject(body)) throw new BadRequestError('expected a JSON object with "instances" or "inputs"');
    if (body.signature_name !== undefined && body.signature_name !== 'serving_default') throw new BadRequestError(`unknown signature_name ${JSON.stringify(body.signature_name)} (this model has 'serving_default')`);
    if ((body.instances === undefined) === (body.inputs === undefined)) throw new BadRequestError('give exactly one of "instances" (row format) or "inputs" (columnar format)');
    const rowFormat = body.instances !== undefined;
    const inputs = rowFormat ? fromInstances(served, body.instances) : fromColumns(served, body.inputs);
    const result = await infer(ctx, served, inputs, 'tf_serving', req, reply);
    const outs = served.predictor.signature.outputs.map((o) => ({ name: o.name, t: result.outputs[o.name] }));
    if (!rowFormat) {
      const cols = outs.map(({ t }) => nest(t.data, t.shape));
      return { outputs: outs.length === 1 ? cols[0] : Object.fromEntries(outs.map(({ name }, i) => [name, cols[i]])) };
    }
    const rows = outs[0].t.shape[0];
    const rowOf = (t: HostTensor, i: number) => {
      const per = t.data.length / rows;
      return nest(t.data.subarray(i * per, (i + 1) * per), t.shape.slice(1));
    };
    const predictions = Array.from({ length: rows }, (_, i) => (outs.length === 1 ? rowOf(outs[0].t, i) : Object.fromEntries(outs.map(({ name, t }) => [name, rowOf(t, i)]))));
    return { predictions };
  }));
}
