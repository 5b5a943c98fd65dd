// tfjs's randomWidth preprocessing layer: every call resizes the images' width by a random factor in
// [1 + lower, 1 + upper] (bilinear or nearest), keeping the height. As tfjs 4.x it acts in inference too (its call
// never reads `training`), and a seed makes the sequence of factors repeat (seed, seed + 1, ... per call).
import { ValueError } from '../../errors';
import { mulberry32 } from '../../data/prng';
import { image } from '../../ops';
import { seedValue } from '../../ops/random_ops';
import type { Tensor } from '../../tensor';
import { Layer, type LayerArgs, type Shape } from './layer';

export interface RandomWidthLayerArgs extends LayerArgs {
  /** f: factors in [1 - f, 1 + f]; [lower, upper]: factors in [1 + lower, 1 + upper]. Bounds must be >= -1. */
  factor: number | [number, number];
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: 'bilinear' | 'nearest';
  /** Makes the factors repeat (not tfjs's numbers: tensornode has its own generator). */
  seed?: number;
}

function checkImages(what: string, shape: readonly (number | null)[]): void {
  if (shape.length !== 3 && shape.length !== 4) throw new ValueError(`${what}: expected images [batch, height, width, channels] or [height, width, channels], got shape [${shape.map((d) => d ?? 'null')}]`);
}

export class RandomWidth extends Layer {
  override readonly className = 'RandomWidth';
  readonly factor: number | [number, number];
  readonly widthLower: number;
  readonly widthUpper: number;
  readonly interpolation: 'bilinear' | 'nearest';
  /** The seed of the next call (undefined: drawn from the global seed). */
  private nextSeed: number | undefined;
  private readonly seed: number | undefined;

  constructor(args: RandomWidthLayerArgs) {
    super(args, 'RandomWidth');
    const what = 'randomWidth';
    const f = args?.factor;
    if (Array.isArray(f) && f.length === 2 && f.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      [this.widthLower, this.widthUpper] = f;
    } else if (typeof f === 'number' && Number.isFinite(f) && f > 0) {
      [this.widthLower, this.widthUpper] = [-f, f];
    } else {
      throw new ValueError(`${what}: 'factor' must be a positive number or [lower, upper], got ${JSON.stringify(f)}`);
    }
    if (this.widthLower < -1 || this.widthUpper < -1) throw new ValueError(`${what}: 'factor' bounds must be at least -1, got ${JSON.stringify(f)}`);
    if (this.widthUpper < this.widthLower) throw new ValueError(`${what}: 'factor' upper bound ${this.widthUpper} is below its lower bound ${this.widthLower}`);
    this.factor = Array.isArray(f) ? [f[0], f[1]] : f;
    const i = args.interpolation ?? 'bilinear';
    if (i !== 'bilinear' && i !== 'nearest') throw new ValueError(`${what}: 'interpolation' must be 'bilinear' or 'nearest', got ${JSON.stringify(i)}`);
    this.interpolation = i;
    if (args.seed !== undefined && args.seed !== null && !(Number.isSafeInteger(args.seed) && args.seed >= 0)) {
      throw new ValueError(`${what}: 'seed' must be a non-negative integer, got ${JSON.stringify(args.seed)}`);
    }
    this.seed = args.seed ?? undefined;
    this.nextSeed = this.seed;
  }

  /** The width factor of the next call, in [1 + lower, 1 + upper]. */
  private drawFactor(): number {
    const seed = this.nextSeed;
    if (seed !== undefined) this.nextSeed = seed + 1;
    const u = mulberry32(seedValue('randomWidth', seed))();
    return 1 + this.widthLower + u * (this.widthUpper - this.widthLower);
  }

  protected call(x: Tensor): Tensor {
    checkImages(`randomWidth '${this.name}'`, x.shape);
    const h = x.shape[x.rank - 3];
    const w = x.shape[x.rank - 2];
    // The new width is a plain number read on the host, as tfjs reads its drawn factor synchronously.
    const width = Math.round(this.drawFactor() * w);
    if (width < 1) throw new ValueError(`randomWidth '${this.name}': the drawn factor leaves no columns of the ${w} (factor ${JSON.stringify(this.factor)})`);
    const resize = this.interpolation === 'bilinear' ? image.resizeBilinear : image.resizeNearestNeighbor;
    return resize(x, [h, width]);
  }

  /** The width is only known per call: null there (tfjs returns [height, -1, channels] of its last call). */
  override computeOutputShape(s: Shape): Shape {
    checkImages(`randomWidth '${this.name}'`, s);
    const out = [...s];
    out[s.length - 2] = null;
    return out;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), factor: Array.isArray(this.factor) ? [...this.factor] : this.factor, interpolation: this.interpolation };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
