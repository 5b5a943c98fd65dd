// Regularization layers active only in training (tfjs names): gaussianNoise (additive), gaussianDropout
// (multiplicative, mean 1) and spatialDropout1d (drops whole channels of a sequence). Identity in inference.
import { ValueError } from '../../errors';
import { add, cast, greaterEqual, mul, rand, randn } from '../../ops';
import { nextSeed } from '../../random';
import type { Tensor } from '../../tensor';
import { Layer, type CallArgs, type LayerArgs } from './layer';

/** A fixed seed still gives a new draw per call: it is combined with the call count (as Dropout does). */
class Seeds {
  private calls = 0;
  constructor(readonly seed: number | undefined) {}
  next(): number {
    return this.seed === undefined ? nextSeed() : (this.seed + 0x9e3779b1 * ++this.calls) % Number.MAX_SAFE_INTEGER;
  }
}

function rate(layer: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ValueError(`${layer}: 'rate' must be a number in [0, 1), got ${JSON.stringify(v)}`);
  return v;
}

export interface GaussianNoiseLayerArgs extends LayerArgs {
  stddev: number;
  seed?: number;
}

export class GaussianNoise extends Layer {
  override readonly className = 'GaussianNoise';
  readonly stddev: number;
  private readonly seeds: Seeds;
  constructor(args: GaussianNoiseLayerArgs) {
    super(args, 'GaussianNoise');
    if (typeof args?.stddev !== 'number' || !(args.stddev >= 0)) throw new ValueError(`gaussianNoise: 'stddev' must be a number >= 0, got ${JSON.stringify(args?.stddev)}`);
    this.stddev = args.stddev;
    this.seeds = new Seeds(args.seed);
  }
  protected call(x: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.stddev === 0) return x;
    return add(x, randn(x.shape, { std: this.stddev, seed: this.seeds.next(), device: x.device }));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seeds.seed ?? null };
  }
}

export interface GaussianDropoutLayerArgs extends LayerArgs {
  rate: number;
  seed?: number;
}

/** x * noise, noise ~ N(1, rate / (1 - rate)): the variance of dropout at `rate`, without zeros. */
export class GaussianDropout extends Layer {
  override readonly className = 'GaussianDropout';
  readonly rate: number;
  private readonly seeds: Seeds;
  constructor(args: GaussianDropoutLayerArgs) {
    super(args, 'GaussianDropout');
    this.rate = rate('gaussianDropout', args?.rate);
    this.seeds = new Seeds(args.seed);
  }
  protected call(x: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.rate === 0) return x;
    return mul(x, randn(x.shape, { mean: 1, std: Math.sqrt(this.rate / (1 - this.rate)), seed: this.seeds.next(), device: x.device }));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seeds.seed ?? null };
  }
}

export interface SpatialDropout1DLayerArgs extends LayerArgs {
  rate: number;
  seed?: number;
}

/** On [batch, steps, channels]: drops whole channels (the same ones at every step), scaling the rest by 1/(1-rate). */
export class SpatialDropout1D extends Layer {
  override readonly className = 'SpatialDropout1D';
  readonly rate: number;
  private readonly seeds: Seeds;
  constructor(args: SpatialDropout1DLayerArgs) {
    super(args, 'SpatialDropout1D');
    this.rate = rate('spatialDropout1d', args?.rate);
    this.seeds = new Seeds(args.seed);
  }
  protected call(x: Tensor, args: CallArgs): Tensor {
    if (x.rank !== 3) throw new ValueError(`spatialDropout1d '${this.name}': expects inputs [batch, steps, channels], got [${x.shape}]`);
    if (!args.training || this.rate === 0) return x;
    const keep = greaterEqual(rand([x.shape[0], 1, x.shape[2]], { seed: this.seeds.next(), device: x.device }), this.rate);
    return mul(x, mul(keep, 1 / (1 - this.rate)));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seeds.seed ?? null };
  }
}

export interface AlphaDropoutLayerArgs extends LayerArgs {
  rate: number;
  /** Shape of the keep/drop mask (broadcast over the input); default the input's shape. */
  noiseShape?: number[];
  seed?: number;
}

/** SELU's scale and alpha (the fixed point alphaDropout keeps the mean and variance at). */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Dropout for self-normalizing (selu) networks: dropped units are set to selu's negative saturation -alpha*scale, then
 * an affine map a*x + b restores the mean and variance (Keras alphaDropout; see call for tfjs). Identity in inference.
 */
export class AlphaDropout extends Layer {
  override readonly className = 'AlphaDropout';
  readonly rate: number;
  readonly noiseShape: number[] | null;
  private readonly seeds: Seeds;
  constructor(args: AlphaDropoutLayerArgs) {
    super(args, 'AlphaDropout');
    this.rate = rate('alphaDropout', args?.rate);
    const ns = args.noiseShape;
    if (ns !== undefined && !(Array.isArray(ns) && ns.every((d) => Number.isInteger(d) && d > 0))) {
      throw new ValueError(`alphaDropout: 'noiseShape' must be a list of positive integers, got ${JSON.stringify(ns)}`);
    }
    this.noiseShape = ns ? [...ns] : null;
    this.seeds = new Seeds(args.seed);
  }
  protected call(x: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.rate === 0) return x;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const kept = cast(greaterEqual(rand(this.noiseShape ?? x.shape, { seed: this.seeds.next(), device: x.device }), this.rate), 'float32');
    const a = ((1 - this.rate) * (1 + this.rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * this.rate;
    // x*kept + alphaP*(1 - kept), then a*(.) + b. (Keras' formula; tfjs 4.x multiplies (kept - 1) by alphaP, which
    // flips the dropped value's sign and breaks the mean/variance the layer exists to keep.)
    return add(mul(add(mul(x, kept), mul(add(mul(kept, -1), 1), alphaP)), a), b);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, ...(this.noiseShape ? { noiseShape: [...this.noiseShape] } : {}), seed: this.seeds.seed ?? null };
  }
}
