// Merge layers (tfjs names): add, subtract, multiply, average, maximum, minimum, concatenate and dot, each taking a
// list of tensors. Elementwise merges follow tfjs/Keras: a lower-rank input gains axes right after the batch axis
// (not in front, as plain broadcasting would), then the ops broadcast; their gradients come from the ops.
import { ValueError } from '../../errors';
import { add, concat, div, expandDims, matmul, maximum, minimum, mul, reshape, sqrt, square, sub, sum, transpose } from '../../ops';
import type { Tensor } from '../../tensor';
import { Layer, type LayerArgs, type Shape } from './layer';

const shapeText = (s: Shape): string => `[${s.map((d) => (d === null ? 'null' : d)).join(',')}]`;

/**
 * The output shape of an elementwise merge, as tfjs/Keras compute it: one batch size (or null when unknown), and the
 * other dims broadcast aligned from the right. A ValueError names the layer when they cannot.
 */
function mergedShape(what: string, shapes: Shape[]): Shape {
  const batches = [...new Set(shapes.map((s) => s[0]).filter((d) => d !== null && d !== undefined))];
  if (batches.length > 1) throw new ValueError(`${what}: inputs of shapes ${shapes.map(shapeText).join(', ')} have different batch sizes`);
  return [batches.length === 1 ? (batches[0] as number) : null, ...broadcast(what, shapes.map((s) => s.slice(1)), shapes)];
}

/** Broadcast of known/unknown dims (null: unknown), or a ValueError naming the layer and the full input shapes. */
function broadcast(what: string, shapes: Shape[], shown: Shape[] = shapes): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    let d: number | null = 1;
    for (const s of shapes) {
      const k = s.length - rank + i;
      const v = k < 0 ? 1 : s[k];
      if (v === 1) continue;
      if (d === 1) d = v;
      else if (v !== null && d !== null && v !== d) throw new ValueError(`${what}: inputs of shapes ${shown.map(shapeText).join(', ')} do not broadcast`);
      else if (v === null) d = d ?? null;
    }
    out.push(d);
  }
  return out;
}

abstract class Merge extends Layer {
  protected abstract readonly what: string;
  /** Exactly this many inputs (subtract: 2), or at least 2. */
  protected readonly arity: number | null = null;

  protected inputsOf(x: Tensor | Tensor[] | Shape | Shape[]): void {
    const list = Array.isArray(x) && (x.length === 0 || Array.isArray(x[0]) || (x[0] as { isTensor?: unknown })?.isTensor === true);
    const n = list ? (x as unknown[]).length : 1;
    if (this.arity !== null ? n !== this.arity : n < 2) {
      throw new ValueError(`${this.what} '${this.name}': needs a list of ${this.arity ?? 'at least 2'} inputs, got ${list ? `a list of ${n}` : 'one tensor'}`);
    }
  }
  override build(inputShape: Shape | Shape[]): void {
    this.inputsOf(inputShape);
    super.build(inputShape);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    this.inputsOf(inputShape);
    return mergedShape(`${this.what} '${this.name}'`, inputShape as Shape[]);
  }
  protected call(x: Tensor | Tensor[]): Tensor {
    this.inputsOf(x);
    const xs = x as Tensor[];
    if (!this.expandsLowerRanks) return this.merge(xs);
    const batches = new Set(xs.map((t) => t.shape[0]));
    if (xs.some((t) => t.rank === 0) || batches.size > 1) {
      throw new ValueError(`${this.what} '${this.name}': inputs of shapes ${xs.map((t) => `[${t.shape}]`).join(', ')} need one batch size`);
    }
    // tfjs/Keras insert the missing axes at 1, so [b, n] meets [b, m, n] as [b, 1, n] ([b, n] would broadcast as
    // [1, b, n] and mix samples whenever b happens to equal m).
    const rank = Math.max(...xs.map((t) => t.rank));
    return this.merge(xs.map((t) => {
      let y = t;
      for (let k = t.rank; k < rank; k++) y = expandDims(y, 1);
      return y;
    }));
  }
  /** Elementwise merges align lower-rank inputs after the batch axis; concatenate and dot have their own rules. */
  protected readonly expandsLowerRanks: boolean = true;
  protected abstract merge(xs: Tensor[]): Tensor;
}

const reduceWith = (f: (a: Tensor, b: Tensor) => Tensor) => (xs: Tensor[]): Tensor => xs.slice(1).reduce((a, b) => f(a, b), xs[0]);

export class Add extends Merge {
  override readonly className = 'Add';
  protected readonly what = 'add';
  constructor(args: LayerArgs = {}) {
    super(args, 'Add');
  }
  protected merge = reduceWith(add);
}

export class Subtract extends Merge {
  override readonly className = 'Subtract';
  protected readonly what = 'subtract';
  protected override readonly arity = 2;
  constructor(args: LayerArgs = {}) {
    super(args, 'Subtract');
  }
  protected merge(xs: Tensor[]): Tensor {
    return sub(xs[0], xs[1]);
  }
}

export class Multiply extends Merge {
  override readonly className = 'Multiply';
  protected readonly what = 'multiply';
  constructor(args: LayerArgs = {}) {
    super(args, 'Multiply');
  }
  protected merge = reduceWith(mul);
}

export class Average extends Merge {
  override readonly className = 'Average';
  protected readonly what = 'average';
  constructor(args: LayerArgs = {}) {
    super(args, 'Average');
  }
  protected merge(xs: Tensor[]): Tensor {
    return mul(reduceWith(add)(xs), 1 / xs.length);
  }
}

export class Maximum extends Merge {
  override readonly className = 'Maximum';
  protected readonly what = 'maximum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Maximum');
  }
  protected merge = reduceWith(maximum);
}

export class Minimum extends Merge {
  override readonly className = 'Minimum';
  protected readonly what = 'minimum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Minimum');
  }
  protected merge = reduceWith(minimum);
}

export interface ConcatenateLayerArgs extends LayerArgs {
  /** The axis to join along (default -1, the last). */
  axis?: number;
}

export class Concatenate extends Merge {
  override readonly className = 'Concatenate';
  protected readonly what = 'concatenate';
  protected override readonly expandsLowerRanks = false;
  readonly axis: number;
  constructor(args: ConcatenateLayerArgs = {}) {
    super(args, 'Concatenate');
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`concatenate: 'axis' must be an integer, got ${JSON.stringify(args.axis)}`);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    this.inputsOf(inputShape);
    const shapes = inputShape as Shape[];
    const rank = shapes[0].length;
    const ax = this.axis < 0 ? this.axis + rank : this.axis;
    if (ax < 1 || ax >= rank) throw new ValueError(`concatenate '${this.name}': axis ${this.axis} is out of range for inputs of rank ${rank} (the batch axis cannot be joined)`);
    for (const s of shapes) {
      if (s.length !== rank || s.some((d, i) => i !== ax && i > 0 && d !== null && shapes[0][i] !== null && d !== shapes[0][i])) {
        throw new ValueError(`concatenate '${this.name}': inputs ${shapes.map(shapeText).join(', ')} must match except along axis ${this.axis}`);
      }
    }
    const out = [...shapes[0]];
    out[ax] = shapes.some((s) => s[ax] === null) ? null : shapes.reduce((n, s) => n + (s[ax] as number), 0);
    return out;
  }
  protected merge(xs: Tensor[]): Tensor {
    const ax = this.axis < 0 ? this.axis + xs[0].rank : this.axis;
    return concat(xs, ax);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export interface DotLayerArgs extends LayerArgs {
  /** The axis of each input to contract (batch axis 0 excluded); one number for both. */
  axes: number | [number, number];
  /** L2-normalize both inputs along their axes first, giving cosine similarity (default false). */
  normalize?: boolean;
}

/** Batched dot products of two inputs along the given axes: [b, m..] . [b, n..] -> [b, m.. without axis, n.. without axis]. */
export class Dot extends Merge {
  override readonly className = 'Dot';
  protected readonly what = 'dot';
  protected override readonly arity = 2;
  protected override readonly expandsLowerRanks = false;
  readonly axes: number | [number, number];
  readonly normalize: boolean;
  constructor(args: DotLayerArgs) {
    super(args, 'Dot');
    const ok = (a: unknown): boolean => Number.isInteger(a) && a !== 0;
    if (!(ok(args?.axes) || (Array.isArray(args?.axes) && args.axes.length === 2 && args.axes.every(ok)))) {
      throw new ValueError(`dot: 'axes' must be a non-zero integer or two of them, got ${JSON.stringify(args?.axes)}`);
    }
    this.axes = Array.isArray(args.axes) ? [args.axes[0], args.axes[1]] : args.axes;
    this.normalize = args.normalize ?? false;
  }
  private resolveAxes(ranks: [number, number]): [number, number] {
    const pair = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return pair.map((a, i) => {
      const r = a < 0 ? a + ranks[i] : a;
      if (r < 1 || r >= ranks[i]) throw new ValueError(`dot '${this.name}': axis ${a} is out of range for an input of rank ${ranks[i]}`);
      return r;
    }) as [number, number];
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    this.inputsOf(inputShape);
    const [a, b] = inputShape as Shape[];
    const [ax, bx] = this.resolveAxes([a.length, b.length]);
    if (a[ax] !== null && b[bx] !== null && a[ax] !== b[bx]) throw new ValueError(`dot '${this.name}': axis sizes differ: ${shapeText(a)} axis ${ax} vs ${shapeText(b)} axis ${bx}`);
    const out = [a[0], ...a.filter((_, i) => i > 0 && i !== ax), ...b.filter((_, i) => i > 0 && i !== bx)];
    return out.length === 1 ? [a[0], 1] : out;
  }
  protected merge(xs: Tensor[]): Tensor {
    let [a, b] = xs;
    const [ax, bx] = this.resolveAxes([a.rank, b.rank]);
    if (a.shape[ax] !== b.shape[bx]) throw new ValueError(`dot '${this.name}': axis sizes differ: [${a.shape}] axis ${ax} vs [${b.shape}] axis ${bx}`);
    if (this.normalize) {
      const l2 = (t: Tensor, axis: number): Tensor => div(t, sqrt(maximum(sum(square(t), axis, true), 1e-12)));
      a = l2(a, ax);
      b = l2(b, bx);
    }
    // a -> [batch, rest of a, k], b -> [batch, k, rest of b], one batched matmul.
    const n = a.shape[0];
    const aRest = a.shape.filter((_, i) => i > 0 && i !== ax);
    const bRest = b.shape.filter((_, i) => i > 0 && i !== bx);
    const prod = (s: number[]): number => s.reduce((p, d) => p * d, 1);
    const at = transpose(a, [0, ...[...Array(a.rank).keys()].filter((i) => i > 0 && i !== ax), ax]);
    const bt = transpose(b, [0, bx, ...[...Array(b.rank).keys()].filter((i) => i > 0 && i !== bx)]);
    const y = matmul(reshape(at, [n, prod(aRest), a.shape[ax]]), reshape(bt, [n, b.shape[bx], prod(bRest)]));
    const outShape = [n, ...aRest, ...bRest];
    return reshape(y, outShape.length === 1 ? [n, 1] : outShape);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? [...this.axes] : this.axes, normalize: this.normalize };
  }
}

