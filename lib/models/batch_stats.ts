// Per-batch loss and metric statistics of fit()/evaluate(): read back from the device, then summed over an epoch
// (losses weighted by batch size, metrics from their summed parts, so epoch values are exact).
import { ValueError } from '../errors';
import { dispose } from '../memory';
import type { Tensor } from '../tensor';
import type { Logs } from '../callbacks/types';
import type { CompiledMetric } from './compile';

export interface BatchTensors {
  /** The total loss, then each output's loss when there are several (the order of `lossKeys`). */
  losses: Tensor[];
  /** Per compiled metric, its statistics (scalar tensors or plain numbers). */
  stats: (Tensor | number)[][];
}

export interface BatchValues {
  losses: number[];
  stats: number[][];
}

/**
 * Marks a pipelined batch's promise as handled: a device error (e.g. a label out of range) may reject it while
 * fit() awaits an earlier batch; it is still rethrown when fit() awaits this promise, without an unhandled rejection.
 */
export function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** Waits for a batch's losses and metric statistics, then frees them. */
export async function readStats(b: BatchTensors): Promise<BatchValues> {
  const read = (t: Tensor | number): Promise<number> | number => (typeof t === 'number' ? t : t.data().then((d) => d[0]));
  try {
    const [losses, ...stats] = await Promise.all([Promise.all(b.losses.map(read)), ...b.stats.map((parts) => Promise.all(parts.map(read)))]);
    return { losses, stats };
  } finally {
    dispose([b.losses, b.stats.flat().filter((t): t is Tensor => typeof t !== 'number')]);
  }
}

/** Sums batch statistics over an epoch into logs keyed like tfjs ('loss', 'acc', '<output>_loss', ...). */
export class Accumulator {
  private readonly lossSums: number[];
  private count = 0;
  private readonly totals: number[][];
  constructor(
    private readonly lossKeys: string[],
    private readonly metrics: CompiledMetric[],
  ) {
    this.lossSums = lossKeys.map(() => 0);
    this.totals = metrics.map(() => []);
  }
  add(v: BatchValues, size: number): void {
    v.losses.forEach((l, i) => (this.lossSums[i] += l * size));
    this.count += size;
    v.stats.forEach((parts, i) => parts.forEach((x, j) => (this.totals[i][j] = (this.totals[i][j] ?? 0) + x)));
  }
  logs(): Logs {
    const logs: Logs = {};
    const v = this.values();
    [...this.lossKeys, ...this.metrics.map((m) => m.key)].forEach((k, i) => (logs[k] = v[i]));
    return logs;
  }
  /**
   * The values by position: losses, then metrics. Positions, not keys: two outputs of one layer (a nested model's)
   * share a name, as in tfjs, and each keeps its own value here (the logs keep the last).
   */
  values(): number[] {
    const losses = this.lossSums.map((sum) => (this.count > 0 ? sum / this.count : NaN));
    return [...losses, ...this.metrics.map((m, i) => m.spec.result(this.totals[i]))];
  }
}

export function checkInt(what: string, name: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${what}: '${name}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
}
