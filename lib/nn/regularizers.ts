// Weight regularizers (Keras): l1 * sum|w| + l2 * sum(w^2), added to the training loss by the model.
import { ValueError } from '../errors';
import { abs, add, mul, square, sum } from '../ops';
import type { Tensor } from '../tensor';

export interface RegularizerConfig {
  className: string;
  config: Record<string, unknown>;
}

export class Regularizer {
  readonly className = 'L1L2';
  constructor(
    readonly l1: number,
    readonly l2: number,
  ) {
    for (const [k, v] of [['l1', l1], ['l2', l2]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValueError(`regularizer: '${k}' must be a finite number >= 0, got ${v}`);
    }
  }
  /** The penalty for weight `w` as a scalar tensor (differentiable). */
  apply(w: Tensor): Tensor {
    let total: Tensor | null = null;
    if (this.l1 > 0) total = mul(sum(abs(w)), this.l1);
    if (this.l2 > 0) {
      const t = mul(sum(square(w)), this.l2);
      total = total ? add(total, t) : t;
    }
    return total ?? mul(sum(w), 0);
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
  toJSON(): RegularizerConfig {
    return { className: this.className, config: this.getConfig() };
  }
}

/** The `regularizers` namespace, as tf.regularizers (Keras defaults 0.01). */
export const regularizers = {
  l1: (opts: { l1?: number } = {}): Regularizer => new Regularizer(opts.l1 ?? 0.01, 0),
  l2: (opts: { l2?: number } = {}): Regularizer => new Regularizer(0, opts.l2 ?? 0.01),
  l1l2: (opts: { l1?: number; l2?: number } = {}): Regularizer => new Regularizer(opts.l1 ?? 0.01, opts.l2 ?? 0.01),
};

export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2';

export function getRegularizer(id: RegularizerIdentifier | Regularizer | RegularizerConfig | null | undefined, where: string): Regularizer | null {
  if (id === undefined || id === null) return null;
  if (id instanceof Regularizer) return id;
  if (typeof id === 'string' && id in regularizers) return regularizers[id]();
  if (typeof id === 'object' && id.className === 'L1L2') {
    return new Regularizer(Number(id.config.l1 ?? 0), Number(id.config.l2 ?? 0));
  }
  throw new ValueError(`${where}: unknown regularizer ${JSON.stringify(id)} (expected 'l1', 'l2', 'l1l2' or regularizers.l1({...}))`);
}
