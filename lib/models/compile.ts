// compile() settings resolved per model output: the loss, its weight, the metrics and their log keys (tfjs naming:
// 'loss', 'acc' for one output; '<output>_loss', '<output>_acc' beside the total 'loss' for several).
import { ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { canonicalLossName, isLossName, losses, perSampleLosses, type LossName } from '../nn/losses';
import { getMetric, type MetricIdentifier, type MetricSpec } from '../nn/metrics';
import type { Optimizer } from '../optim';

export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;
export type LossIdentifier = LossName | string | LossFunction | { name: LossName; fromLogits?: boolean };

/** One value per output as a list (in `outputNames` order) or a dict keyed by output name; a single value applies to all. */
export type PerOutput<T> = T | T[] | Record<string, T>;

export interface ModelCompileArgs {
  optimizer: string | Optimizer | { className: string; config: Record<string, unknown> };
  loss: PerOutput<LossIdentifier>;
  /** Metrics for every output (a list), or per output (a list of lists, or a dict of output name -> metrics). */
  metrics?: MetricIdentifier | MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;
  /** Weight of each output's loss in the total (default 1 each). */
  lossWeights?: number[] | Record<string, number>;
}

export interface CompiledLoss {
  name: LossName | null;
  fromLogits: boolean;
  /** Per-sample losses [N] (built-in losses) ... */
  perSample: ((yTrue: Tensor, yPred: Tensor, args: { fromLogits?: boolean }) => Tensor) | null;
  /** ... or a user function returning the batch's scalar loss. */
  scalar: LossFunction | null;
}

export interface CompiledMetric {
  spec: MetricSpec;
  /** Which output it measures. */
  output: number;
  /** Its key in the logs (without 'val_'). */
  key: string;
}

export interface CompiledOutputs {
  losses: CompiledLoss[];
  lossWeights: number[];
  metrics: CompiledMetric[];
  /** Log keys of the loss values: 'loss', then '<output>_loss' per output when there are several. */
  lossKeys: string[];
  /** What model.json keeps of the settings (custom functions become null). */
  config: Record<string, unknown>;
}

const lossFunctionNames = new Map<unknown, LossName>(Object.entries(losses).map(([k, f]) => [f, k as LossName]));

function resolveLoss(where: string, id: LossIdentifier): CompiledLoss {
  if (typeof id === 'string') {
    const name = canonicalLossName(id);
    return { name, fromLogits: false, perSample: perSampleLosses[name], scalar: null };
  }
  if (typeof id === 'function') {
    const name = lossFunctionNames.get(id);
    if (name) return { name, fromLogits: false, perSample: perSampleLosses[name], scalar: null };
    return { name: null, fromLogits: false, perSample: null, scalar: id };
  }
  if (id && typeof id === 'object' && isLossName(id.name)) {
    const name = canonicalLossName(id.name);
    return { name, fromLogits: id.fromLogits ?? false, perSample: perSampleLosses[name], scalar: null };
  }
  throw new ValueError(`${where}: unknown loss ${JSON.stringify(id)}`);
}

const isDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { stats?: unknown }).stats !== 'function' && !('name' in v && isLossName((v as { name: unknown }).name));

/** Spreads a per-output setting to one value per output, checking list lengths and dict keys. */
function perOutput<T>(where: string, what: string, v: PerOutput<T>, names: string[], isSingle: (v: unknown) => boolean, missing?: T): T[] {
  if (Array.isArray(v) && !isSingle(v)) {
    if (v.length !== names.length) throw new ValueError(`${where}: '${what}' has ${v.length} entries but the model has ${names.length} output(s) (${names.join(', ')})`);
    return v as T[];
  }
  if (isDict(v) && !isSingle(v)) {
    for (const k of Object.keys(v)) if (!names.includes(k)) throw new ValueError(`${where}: '${what}' names '${k}', which is not an output (outputs: ${names.join(', ')})`);
    return names.map((n) => {
      if (!(n in v)) {
        if (missing !== undefined) return missing;
        throw new ValueError(`${where}: '${what}' has no entry for output '${n}'`);
      }
      return (v as Record<string, T>)[n];
    });
  }
  return names.map(() => v as T);
}

export function compileOutputs(where: string, args: ModelCompileArgs, outputNames: string[]): CompiledOutputs {
  const multi = outputNames.length > 1;
  const lossIds = perOutput<LossIdentifier>(where, 'loss', args.loss, outputNames, () => false);
  const lossList = lossIds.map((id) => resolveLoss(where, id));
  let lossWeights = outputNames.map(() => 1);
  if (args.lossWeights !== undefined) {
    lossWeights = perOutput<number>(where, 'lossWeights', args.lossWeights as PerOutput<number>, outputNames, () => false);
    for (const w of lossWeights) if (typeof w !== 'number' || !Number.isFinite(w)) throw new ValueError(`${where}: 'lossWeights' must be finite numbers, got ${JSON.stringify(args.lossWeights)}`);
  }
  // A flat list of metrics (or one metric) applies to every output; a list of lists or a dict is per output.
  const m = args.metrics;
  let perOut: MetricIdentifier[][];
  if (m === undefined) perOut = outputNames.map(() => []);
  else if (Array.isArray(m) && m.some(Array.isArray)) perOut = perOutput<MetricIdentifier[]>(where, 'metrics', m as MetricIdentifier[][], outputNames, () => false);
  else if (isDict(m)) perOut = perOutput<MetricIdentifier | MetricIdentifier[]>(where, 'metrics', m as Record<string, MetricIdentifier | MetricIdentifier[]>, outputNames, () => false, []).map((x) => (Array.isArray(x) ? x : [x]));
  else perOut = outputNames.map(() => (Array.isArray(m) ? (m as MetricIdentifier[]) : [m as MetricIdentifier]));
  const metrics: CompiledMetric[] = [];
  perOut.forEach((ids, output) => {
    for (const id of ids) {
      const base = getMetric(id, lossList[output].name ?? undefined);
      const spec = typeof id === 'string' ? { ...base, name: id === 'accuracy' ? 'acc' : id } : base;
      metrics.push({ spec, output, key: multi ? `${outputNames[output]}_${spec.name}` : spec.name });
    }
  });
  const keys = metrics.map((x) => x.key);
  if (new Set(keys).size !== keys.length) throw new ValueError(`${where}: duplicate metric names ${keys.join(', ')}`);
  const lossConfig = (l: CompiledLoss): unknown => (l.name ? (l.fromLogits ? { name: l.name, fromLogits: true } : l.name) : null);
  const metricConfig = (ids: MetricIdentifier[]): (string | null)[] => ids.map((id) => (typeof id === 'string' ? id : null));
  return {
    losses: lossList,
    lossWeights,
    metrics,
    lossKeys: ['loss', ...(multi ? outputNames.map((n) => `${n}_loss`) : [])],
    config: {
      loss: multi ? Object.fromEntries(outputNames.map((n, i) => [n, lossConfig(lossList[i])])) : lossConfig(lossList[0]),
      metrics: multi ? Object.fromEntries(outputNames.map((n, i) => [n, metricConfig(perOut[i])])) : metricConfig(perOut[0]),
      ...(args.lossWeights !== undefined ? { lossWeights: multi ? Object.fromEntries(outputNames.map((n, i) => [n, lossWeights[i]])) : lossWeights } : {}),
    },
  };
}
