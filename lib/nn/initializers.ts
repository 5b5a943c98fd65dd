// Weight initializers by Keras/tfjs name (glorotUniform, heNormal, ...), seeded from the global seed (setSeed).
import { ValueError } from '../errors';
import type { Device } from '../device';
import { full, rand, tensor } from '../ops';
import { nextSeed } from '../random';
import { mulberry32 } from '../data/prng';
import type { Tensor } from '../tensor';

/** Fan-in / fan-out of a weight, computed by the layer that knows its layout. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

export type InitializerIdentifier =
  | 'zeros'
  | 'ones'
  | 'randomNormal'
  | 'randomUniform'
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heNormal'
  | 'heUniform'
  | 'leCunNormal'
  | 'leCunUniform'
  | 'truncatedNormal'
  | 'orthogonal'
  | 'identity'
  | 'varianceScaling';

export interface InitializerConfig {
  className: string;
  config: Record<string, unknown>;
}

/** Makes a new float32 tensor of `shape` on `device`. */
export abstract class Initializer {
  abstract readonly className: string;
  abstract init(shape: readonly number[], fans: Fans, device: Device): Tensor;
  getConfig(): Record<string, unknown> {
    return {};
  }
  toJSON(): InitializerConfig {
    return { className: this.className, config: this.getConfig() };
  }
}

class Constant extends Initializer {
  constructor(
    readonly className: string,
    private readonly value: number,
  ) {
    super();
  }
  init(shape: readonly number[], _fans: Fans, device: Device): Tensor {
    return full(shape, this.value, { device });
  }
  override getConfig(): Record<string, unknown> {
    return this.className === 'Constant' ? { value: this.value } : {};
  }
}

/** Normal values cut at two standard deviations (redrawn beyond), as Keras' truncated normal. Drawn on the host. */
function truncatedNormal(shape: readonly number[], mean: number, std: number, seed: number, device: Device): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const rng = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; ) {
    // Box-Muller: two normals per pair of uniforms.
    const u1 = 1 - rng();
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1));
    for (const z of [r * Math.cos(2 * Math.PI * u2), r * Math.sin(2 * Math.PI * u2)]) {
      if (i < n && Math.abs(z) <= 2) out[i++] = mean + std * z;
    }
  }
  return tensor(out, shape, { device });
}

/** 32-bit seed for the host generator from the option or the global sequence. */
function seed32(seed: number | undefined): number {
  return (seed ?? nextSeed()) % 2 ** 32;
}

export interface RandomInitOptions {
  seed?: number;
}

class RandomNormal extends Initializer {
  readonly className = 'RandomNormal';
  constructor(private readonly opts: { mean?: number; stddev?: number } & RandomInitOptions = {}) {
    super();
  }
  init(shape: readonly number[], _fans: Fans, device: Device): Tensor {
    // Keras' RandomNormal is a plain normal (not truncated); mean 0, stddev 0.05.
    const mean = this.opts.mean ?? 0;
    const std = this.opts.stddev ?? 0.05;
    const rng = mulberry32(seed32(this.opts.seed));
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - rng()));
      const t = 2 * Math.PI * rng();
      out[i] = mean + std * r * Math.cos(t);
      if (i + 1 < n) out[i + 1] = mean + std * r * Math.sin(t);
    }
    return tensor(out, shape, { device });
  }
  override getConfig(): Record<string, unknown> {
    return { mean: this.opts.mean ?? 0, stddev: this.opts.stddev ?? 0.05, seed: this.opts.seed ?? null };
  }
}

class RandomUniform extends Initializer {
  readonly className = 'RandomUniform';
  constructor(private readonly opts: { minval?: number; maxval?: number } & RandomInitOptions = {}) {
    super();
  }
  init(shape: readonly number[], _fans: Fans, device: Device): Tensor {
    return rand(shape, { low: this.opts.minval ?? -0.05, high: this.opts.maxval ?? 0.05, seed: this.opts.seed ?? nextSeed(), device });
  }
  override getConfig(): Record<string, unknown> {
    return { minval: this.opts.minval ?? -0.05, maxval: this.opts.maxval ?? 0.05, seed: this.opts.seed ?? null };
  }
}

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type Distribution = 'normal' | 'truncatedNormal' | 'uniform';

export interface VarianceScalingArgs extends RandomInitOptions {
  scale?: number;
  mode?: FanMode;
  distribution?: Distribution;
}

/**
 * Variance scaling (Keras/tfjs): var = scale / fan, fan = fanIn, fanOut or their average; uniform in +-sqrt(3 var)
 * or ('normal', 'truncatedNormal') a normal truncated at 2 std with std = sqrt(var) / 0.87962566 (the truncated
 * normal's std correction). The named presets (glorotUniform, heNormal, ...) are settings of it.
 */
class VarianceScaling extends Initializer {
  private readonly scale: number;
  private readonly mode: FanMode;
  private readonly distribution: Distribution;
  private readonly seed?: number;
  constructor(
    readonly className: string,
    args: VarianceScalingArgs,
  ) {
    super();
    this.scale = args.scale ?? 1;
    this.mode = args.mode ?? 'fanIn';
    this.distribution = args.distribution ?? 'normal';
    this.seed = args.seed;
    if (!(typeof this.scale === 'number' && this.scale > 0)) throw new ValueError(`varianceScaling: 'scale' must be a positive number, got ${JSON.stringify(args.scale)}`);
    if (!['fanIn', 'fanOut', 'fanAvg'].includes(this.mode)) throw new ValueError(`varianceScaling: 'mode' must be fanIn, fanOut or fanAvg, got ${JSON.stringify(args.mode)}`);
    if (!['normal', 'truncatedNormal', 'uniform'].includes(this.distribution)) {
      throw new ValueError(`varianceScaling: 'distribution' must be normal, truncatedNormal or uniform, got ${JSON.stringify(args.distribution)}`);
    }
  }
  init(shape: readonly number[], fans: Fans, device: Device): Tensor {
    const fan = this.mode === 'fanIn' ? fans.fanIn : this.mode === 'fanOut' ? fans.fanOut : (fans.fanIn + fans.fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return rand(shape, { low: -limit, high: limit, seed: this.seed ?? nextSeed(), device });
    }
    return truncatedNormal(shape, 0, Math.sqrt(variance) / 0.87962566103423978, seed32(this.seed), device);
  }
  override getConfig(): Record<string, unknown> {
    if (this.className !== 'VarianceScaling') return { seed: this.seed ?? null };
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

class TruncatedNormal extends Initializer {
  readonly className = 'TruncatedNormal';
  constructor(private readonly opts: { mean?: number; stddev?: number } & RandomInitOptions = {}) {
    super();
  }
  init(shape: readonly number[], _fans: Fans, device: Device): Tensor {
    return truncatedNormal(shape, this.opts.mean ?? 0, this.opts.stddev ?? 0.05, seed32(this.opts.seed), device);
  }
  override getConfig(): Record<string, unknown> {
    return { mean: this.opts.mean ?? 0, stddev: this.opts.stddev ?? 0.05, seed: this.opts.seed ?? null };
  }
}

/** gain * I for a square 2-D weight (tfjs' identity initializer). */
class Identity extends Initializer {
  readonly className = 'Identity';
  constructor(private readonly gain = 1) {
    super();
  }
  init(shape: readonly number[], _fans: Fans, device: Device): Tensor {
    if (shape.length !== 2 || shape[0] !== shape[1]) throw new ValueError(`identity initializer: needs a square 2-D weight, got [${shape}]`);
    const out = new Float32Array(shape[0] * shape[0]);
    for (let i = 0; i < shape[0]; i++) out[i * shape[0] + i] = this.gain;
    return tensor(out, shape, { device });
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

/**
 * A (semi-)orthogonal matrix times `gain` (Saxe et al.), for the weight flattened to [prod(shape[:-1]), shape[-1]]:
 * Gram-Schmidt on a normal random matrix's shorter side, on the host (weights are created once).
 */
class Orthogonal extends Initializer {
  readonly className = 'Orthogonal';
  constructor(private readonly opts: { gain?: number } & RandomInitOptions = {}) {
    super();
  }
  init(shape: readonly number[], _fans: Fans, device: Device): Tensor {
    if (shape.length < 2) throw new ValueError(`orthogonal initializer: needs a weight of rank >= 2, got [${shape}]`);
    const cols = shape[shape.length - 1];
    const rows = shape.reduce((a, b) => a * b, 1) / cols;
    // Orthonormal vectors of length `len`, `count` of them (count <= len), as rows of q.
    const len = Math.max(rows, cols);
    const count = Math.min(rows, cols);
    const rng = mulberry32(seed32(this.opts.seed));
    const q = new Float64Array(count * len);
    for (let i = 0; i < count; i++) {
      const v = q.subarray(i * len, (i + 1) * len);
      for (let k = 0; k < len; k++) v[k] = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      for (let j = 0; j < i; j++) {
        const u = q.subarray(j * len, (j + 1) * len);
        let d = 0;
        for (let k = 0; k < len; k++) d += u[k] * v[k];
        for (let k = 0; k < len; k++) v[k] -= d * u[k];
      }
      let n = 0;
      for (let k = 0; k < len; k++) n += v[k] * v[k];
      n = Math.sqrt(n) || 1;
      for (let k = 0; k < len; k++) v[k] /= n;
    }
    const gain = this.opts.gain ?? 1;
    const out = new Float32Array(rows * cols);
    // rows >= cols: the columns are the orthonormal vectors; otherwise the rows are.
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[c * len + r] : q[r * len + c]);
    return tensor(out, shape, { device });
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.opts.gain ?? 1, seed: this.opts.seed ?? null };
  }
}

/** Factories (the `initializers` namespace, as tf.initializers). */
export const initializers = {
  zeros: (): Initializer => new Constant('Zeros', 0),
  ones: (): Initializer => new Constant('Ones', 1),
  constant: (opts: { value: number }): Initializer => new Constant('Constant', opts.value),
  randomNormal: (opts: { mean?: number; stddev?: number; seed?: number } = {}): Initializer => new RandomNormal(opts),
  randomUniform: (opts: { minval?: number; maxval?: number; seed?: number } = {}): Initializer => new RandomUniform(opts),
  glorotUniform: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('GlorotUniform', { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: opts.seed }),
  glorotNormal: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('GlorotNormal', { scale: 1, mode: 'fanAvg', distribution: 'normal', seed: opts.seed }),
  heNormal: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('HeNormal', { scale: 2, mode: 'fanIn', distribution: 'normal', seed: opts.seed }),
  heUniform: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('HeUniform', { scale: 2, mode: 'fanIn', distribution: 'uniform', seed: opts.seed }),
  leCunNormal: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('LeCunNormal', { scale: 1, mode: 'fanIn', distribution: 'normal', seed: opts.seed }),
  leCunUniform: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('LeCunUniform', { scale: 1, mode: 'fanIn', distribution: 'uniform', seed: opts.seed }),
  varianceScaling: (opts: VarianceScalingArgs = {}): Initializer => new VarianceScaling('VarianceScaling', opts),
  truncatedNormal: (opts: { mean?: number; stddev?: number; seed?: number } = {}): Initializer => new TruncatedNormal(opts),
  orthogonal: (opts: { gain?: number; seed?: number } = {}): Initializer => new Orthogonal(opts),
  identity: (opts: { gain?: number } = {}): Initializer => new Identity(opts.gain ?? 1),
};

const byClassName: Record<string, (config: Record<string, unknown>) => Initializer> = {
  Zeros: () => initializers.zeros(),
  Ones: () => initializers.ones(),
  Constant: (c) => initializers.constant(c as { value: number }),
  RandomNormal: (c) => initializers.randomNormal(withoutNullSeed(c)),
  RandomUniform: (c) => initializers.randomUniform(withoutNullSeed(c)),
  GlorotUniform: (c) => initializers.glorotUniform(withoutNullSeed(c)),
  GlorotNormal: (c) => initializers.glorotNormal(withoutNullSeed(c)),
  HeNormal: (c) => initializers.heNormal(withoutNullSeed(c)),
  HeUniform: (c) => initializers.heUniform(withoutNullSeed(c)),
  LeCunNormal: (c) => initializers.leCunNormal(withoutNullSeed(c)),
  LeCunUniform: (c) => initializers.leCunUniform(withoutNullSeed(c)),
  VarianceScaling: (c) => initializers.varianceScaling(withoutNullSeed(c)),
  TruncatedNormal: (c) => initializers.truncatedNormal(withoutNullSeed(c)),
  Orthogonal: (c) => initializers.orthogonal(withoutNullSeed(c)),
  Identity: (c) => initializers.identity(c as { gain?: number }),
};

function withoutNullSeed<T>(c: Record<string, unknown>): T {
  const out = { ...c };
  if (out.seed === null) delete out.seed;
  return out as T;
}

/** An initializer from a name, a serialized config or an instance. */
export function getInitializer(id: InitializerIdentifier | Initializer | InitializerConfig, where: string): Initializer {
  if (id instanceof Initializer) return id;
  if (typeof id === 'string' && Object.prototype.hasOwnProperty.call(initializers, id) && (id as string) !== 'constant') {
    return (initializers[id] as () => Initializer)();
  }
  if (id && typeof id === 'object' && typeof id.className === 'string' && byClassName[id.className]) {
    return byClassName[id.className](id.config ?? {});
  }
  throw new ValueError(`${where}: unknown initializer ${JSON.stringify(id)} (expected one of ${Object.keys(initializers).filter((k) => k !== 'constant').join(', ')})`);
}
