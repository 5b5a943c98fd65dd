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
  | 'orthogonal';

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

/**
 * Variance scaling (Keras): scale / fan, fan = fanIn, fanOut or their average; uniform in +-sqrt(3 * var) or a
 * normal truncated at 2 std with std = sqrt(var) / 0.87962566 (the truncated normal's std correction).
 */
class VarianceScaling extends Initializer {
  constructor(
    readonly className: string,
    private readonly scale: number,
    private readonly mode: 'fanIn' | 'fanAvg',
    private readonly distribution: 'uniform' | 'truncatedNormal',
    private readonly seed?: number,
  ) {
    super();
  }
  init(shape: readonly number[], fans: Fans, device: Device): Tensor {
    const fan = this.mode === 'fanIn' ? fans.fanIn : (fans.fanIn + fans.fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return rand(shape, { low: -limit, high: limit, seed: this.seed ?? nextSeed(), device });
    }
    return truncatedNormal(shape, 0, Math.sqrt(variance) / 0.87962566103423978, seed32(this.seed), device);
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed ?? null };
  }
}

/**
 * A (semi-)orthogonal matrix times `gain` (Keras/tfjs Orthogonal; recurrent kernels' default): the Q of a QR
 * decomposition of a normal matrix with the signs of R's diagonal folded in, computed on the host in float64.
 * For a [rows, cols] weight with rows < cols the rows are orthonormal, otherwise the columns.
 */
class Orthogonal extends Initializer {
  readonly className = 'Orthogonal';
  constructor(
    private readonly gain: number,
    private readonly seed: number | undefined,
  ) {
    super();
  }
  init(shape: readonly number[], _fans: Fans, device: Device): Tensor {
    if (shape.length < 2) throw new ValueError(`Orthogonal: needs a weight of rank >= 2, got shape [${shape}]`);
    const cols = shape[shape.length - 1];
    const rows = shape.reduce((a, b) => a * b, 1) / cols;
    // Orthonormalize the n vectors of length m (modified Gram-Schmidt, which gives R a positive diagonal).
    const [n, m] = rows < cols ? [rows, cols] : [cols, rows];
    const rng = mulberry32(seed32(this.seed));
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const q = Array.from({ length: n }, () => Float64Array.from({ length: m }, normal));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += q[i][k] * q[j][k];
        for (let k = 0; k < m; k++) q[i][k] -= dot * q[j][k];
      }
      let norm = 0;
      for (let k = 0; k < m; k++) norm += q[i][k] * q[i][k];
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < m; k++) q[i][k] /= norm;
    }
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = this.gain * (rows < cols ? q[r][c] : q[c][r]);
    return tensor(out, shape, { device });
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

/** Factories (the `initializers` namespace, as tf.initializers). */
export const initializers = {
  zeros: (): Initializer => new Constant('Zeros', 0),
  ones: (): Initializer => new Constant('Ones', 1),
  constant: (opts: { value: number }): Initializer => new Constant('Constant', opts.value),
  randomNormal: (opts: { mean?: number; stddev?: number; seed?: number } = {}): Initializer => new RandomNormal(opts),
  randomUniform: (opts: { minval?: number; maxval?: number; seed?: number } = {}): Initializer => new RandomUniform(opts),
  glorotUniform: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('GlorotUniform', 1, 'fanAvg', 'uniform', opts.seed),
  glorotNormal: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('GlorotNormal', 1, 'fanAvg', 'truncatedNormal', opts.seed),
  heNormal: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('HeNormal', 2, 'fanIn', 'truncatedNormal', opts.seed),
  heUniform: (opts: RandomInitOptions = {}): Initializer => new VarianceScaling('HeUniform', 2, 'fanIn', 'uniform', opts.seed),
  orthogonal: (opts: { gain?: number; seed?: number } = {}): Initializer => new Orthogonal(opts.gain ?? 1, opts.seed),
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
  Orthogonal: (c) => initializers.orthogonal(withoutNullSeed(c)),
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
