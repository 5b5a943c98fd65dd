// Optimizer: per-parameter state in a class, gradient clipping, learning-rate schedules, saveable state; the update
// itself is one native *_update kernel launch per parameter, in place on the parameter and its state.
import { ValueError } from '../errors';
import { noGrad } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { dispose, keep, tidy } from '../memory';
import { variableGrads } from '../autograd/gradients';
import { Variable, variableNamed } from '../variable';
import type { Attrs } from '../native';
import { add, clip, maximum, mul, sqrt, square, sum, toDevice, zeros, div, full } from '../ops';
import type { Tensor } from '../tensor';
import { LearningRateSchedule } from './schedules';
import { Serializable } from '../serializable';

/** Something that holds a parameter tensor: a Tensor itself or a layer's weight ({name, value}). */
export type ParamRef = Tensor | { readonly name: string; readonly value: Tensor };

export interface OptimizerArgs {
  /** A number or a schedule (default depends on the optimizer). `lr` is accepted as an alias. */
  learningRate?: number | LearningRateSchedule;
  lr?: number | LearningRateSchedule;
  /** Clip each gradient to [-clipValue, clipValue]. */
  clipValue?: number;
  /** Rescale each gradient whose L2 norm exceeds clipNorm (per tensor, Keras' clipnorm). */
  clipNorm?: number;
  /** Rescale all gradients together when their joint L2 norm exceeds it (PyTorch's clip_grad_norm_). */
  globalClipNorm?: number;
}

/** Saved optimizer state: the step count and every slot tensor by `<param name>/<slot>`. */
export interface OptimizerState {
  iterations: number;
  /** Per-parameter update counts by parameter name (the native kernels' 1-based `step`). */
  steps: Record<string, number>;
  slots: Record<string, Tensor>;
}

interface ParamState {
  step: number;
  slots: Record<string, Tensor>;
}

const isTensor = (p: ParamRef): p is Tensor => (p as Tensor).isTensor === true;

/** Base of every optimizer; a Serializable as tfjs's Optimizer is. */
export abstract class Optimizer extends Serializable {
  abstract readonly className: string;
  /** Updates applied so far (drives the schedule). */
  iterations = 0;
  learningRate: number | LearningRateSchedule;
  clipValue?: number;
  clipNorm?: number;
  globalClipNorm?: number;
  private readonly state = new Map<string, ParamState>();
  private readonly tensorNames = new WeakMap<Tensor, string>();
  private unnamed = 0;

  constructor(args: OptimizerArgs, defaultLr: number) {
    super();
    const lr = args.learningRate ?? args.lr ?? defaultLr;
    if (!(lr instanceof LearningRateSchedule) && !(typeof lr === 'number' && lr >= 0 && Number.isFinite(lr))) {
      throw new ValueError(`${this.constructor.name}: 'learningRate' must be a finite number >= 0 or a schedule, got ${typeof lr === 'number' ? String(lr) : JSON.stringify(lr)}`);
    }
    this.learningRate = lr;
    for (const k of ['clipValue', 'clipNorm', 'globalClipNorm'] as const) {
      const v = args[k];
      if (v !== undefined && !(typeof v === 'number' && v > 0)) throw new ValueError(`optimizer: '${k}' must be a number > 0, got ${JSON.stringify(v)}`);
      this[k] = v;
    }
  }

  /** tfjs's Serializable.getClassName: the class's static className (tfjs's classes have one), else className. */
  override getClassName(): string {
    const own = (this.constructor as { className?: unknown }).className;
    return typeof own === 'string' ? own : this.className;
  }

  /**
   * tfjs's computeGradients(f, varList?): the scalar f() and its gradients by variable name, with respect to
   * varList (default: every trainable Variable), without applying them. The caller disposes both.
   */
  computeGradients(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
    return variableGrads(f, varList);
  }

  /** The rate the next update uses. */
  get currentLearningRate(): number {
    return typeof this.learningRate === 'number' ? this.learningRate : this.learningRate.at(this.iterations);
  }

  /**
   * The kernel's state outputs after the parameter, in order: a slot name (kept per parameter, zeros at the start)
   * or null for an output this configuration never touches (a one-element placeholder is passed).
   */
  protected abstract slotLayout(): (string | null)[];
  /** The value a slot starts at (zeros unless an optimizer says otherwise, e.g. Adagrad's initial accumulator). */
  protected slotInitialValue(_slot: string): number {
    return 0;
  }
  private placeholders = new Map<string, Tensor>();

  private slotNames(): string[] {
    return this.slotLayout().filter((n): n is string => n !== null);
  }

  private placeholder(device: string): Tensor {
    let t = this.placeholders.get(device);
    if (!t) this.placeholders.set(device, (t = keep(zeros([1], { device }))));
    return t;
  }
  /** The native kernel and its attrs for one update. */
  protected abstract kernel(lr: number, step: number): { name: string; attrs: Attrs };

  private nameOf(p: ParamRef): string {
    if (!isTensor(p) || p instanceof Variable) return p.name;
    let n = this.tensorNames.get(p);
    if (!n) this.tensorNames.set(p, (n = `param_${this.unnamed++}`));
    return n;
  }

  private stateFor(name: string, param: Tensor): ParamState {
    let s = this.state.get(name);
    if (!s) {
      s = { step: 0, slots: {} };
      this.state.set(name, s);
    }
    for (const slot of this.slotNames()) {
      const t = s.slots[slot];
      if (!t) s.slots[slot] = keep(full(param.shape, this.slotInitialValue(slot), { device: param.device }));
      else if (t.device !== param.device) {
        // The model moved (model.to): the moments follow the parameter.
        s.slots[slot] = keep(toDevice(t, param.device));
        t.dispose();
      }
    }
    return s;
  }

  /** Applies the gradients in `.grad` of each parameter (parameters without a gradient are skipped). */
  step(params: Iterable<ParamRef>): void {
    const pairs: { param: ParamRef; grad: Tensor }[] = [];
    for (const p of params) {
      const t = isTensor(p) ? p : p.value;
      if (t.grad) pairs.push({ param: p, grad: t.grad });
    }
    this.applyGradients(pairs);
  }

  /**
   * Applies explicit gradients; the gradients stay the caller's. Accepts tfjs's forms, a map of variable name ->
   * gradient (what variableGrads returns; null entries are skipped) or a list of {name, tensor}, and tensornode's,
   * a list of {param, grad} or a Map param -> grad (params: tensors or layer weights).
   */
  applyGradients(
    grads: { param: ParamRef; grad: Tensor }[] | Map<ParamRef, Tensor> | { name: string; tensor: Tensor | null }[] | Record<string, Tensor | null>,
  ): void {
    const pairs = this.gradientPairs(grads);
    const lr = this.currentLearningRate;
    noGrad(() =>
      tidy(() => {
        const clipped = this.clip(pairs.map((p) => p.grad));
        pairs.forEach(({ param }, i) => {
          const t = isTensor(param) ? param : param.value;
          const g = clipped[i];
          if (g.shape.join() !== t.shape.join()) {
            throw new ValueError(`${this.className}: gradient of shape [${g.shape}] for parameter '${this.nameOf(param)}' of shape [${t.shape}]`);
          }
          const s = this.stateFor(this.nameOf(param), t);
          s.step++;
          const { name, attrs } = this.kernel(lr, s.step);
          const slotTensors = this.slotLayout().map((n) => ({ into: n === null ? this.placeholder(t.device) : s.slots[n] }));
          runKernel(name, [g.device === t.device ? g : toDevice(g, t.device)], [{ into: t }, ...slotTensors], attrs);
        });
      }),
    );
    this.iterations++;
  }

  /** Gradient clipping by value, per-tensor norm and global norm (in that order); no host sync. */
  private clip(grads: Tensor[]): Tensor[] {
    let out = grads;
    const cv = this.clipValue;
    if (cv !== undefined) out = out.map((g) => clip(g, -cv, cv));
    const cn = this.clipNorm;
    // g * cn / max(|g|, cn): unchanged below the threshold, rescaled to norm cn above it.
    if (cn !== undefined) out = out.map((g) => mul(g, div(cn, maximum(sqrt(sum(square(g))), cn))));
    const gn = this.globalClipNorm;
    if (gn !== undefined && out.length > 0) {
      let total = full([], 0, { device: out[0].device });
      for (const g of out) total = add(total, sum(square(g)));
      const factor = div(gn, maximum(sqrt(total), gn));
      out = out.map((g) => mul(g, factor));
    }
    return out;
  }

  /** Sets every parameter's `.grad` to null (disposing it). */
  zeroGrad(params: Iterable<ParamRef>): void {
    for (const p of params) {
      const t = isTensor(p) ? p : p.value;
      t.grad?.dispose();
      t.grad = null;
    }
  }

  /** The {param, grad} pairs of any form applyGradients accepts (names resolve to live Variables). */
  private gradientPairs(grads: unknown): { param: ParamRef; grad: Tensor }[] {
    const what = `${this.className}.applyGradients`;
    const byName = (name: string): ParamRef => {
      const v = variableNamed(name);
      if (!v) throw new ValueError(`${what}: no variable or layer weight named '${name}' (a disposed one has none)`);
      return v;
    };
    const checkGrad = (g: unknown, where: string): Tensor => {
      if (!g || (g as Tensor).isTensor !== true) throw new ValueError(`${what}: the gradient for ${where} must be a Tensor, got ${g === null ? 'null' : typeof g}`);
      return g as Tensor;
    };
    if (grads instanceof Map) return [...grads].map(([param, grad]) => ({ param, grad: checkGrad(grad, 'a Map entry') }));
    if (Array.isArray(grads)) {
      return grads.flatMap((e, i) => {
        if (e && typeof e === 'object' && 'param' in e) return [{ param: e.param as ParamRef, grad: checkGrad(e.grad, `entry ${i}`) }];
        if (e && typeof e === 'object' && typeof e.name === 'string') {
          return e.tensor === null || e.tensor === undefined ? [] : [{ param: byName(e.name), grad: checkGrad(e.tensor, `'${e.name}'`) }];
        }
        throw new ValueError(`${what}: entry ${i} must be {name, tensor} or {param, grad}`);
      });
    }
    if (grads && typeof grads === 'object') {
      return Object.entries(grads as Record<string, unknown>)
        .filter(([, g]) => g !== null && g !== undefined)
        .map(([name, g]) => ({ param: byName(name), grad: checkGrad(g, `'${name}'`) }));
    }
    throw new ValueError(`${what}: expected a map of variable name -> gradient, a list of {name, tensor}, a list of {param, grad} or a Map`);
  }

  /**
   * tfjs's minimize(f, returnCost = false, varList?): computes the scalar f() and its gradients with respect to
   * varList (default: every trainable Variable; see variableGrads), applies them, and returns the cost when
   * returnCost (the caller disposes it), else null. No `.grad` field is touched.
   *
   * The earlier form minimize(f, params, returnCost?) (a list of tensors or layer weights second) still works: it
   * backpropagates into their `.grad`, steps, and clears them.
   */
  minimize(f: () => Tensor, returnCost?: boolean, varList?: Variable[]): Tensor | null;
  minimize(f: () => Tensor, params: ParamRef[], returnCost?: boolean): Tensor | null;
  minimize(f: () => Tensor, second?: boolean | ParamRef[], third?: boolean | Variable[]): Tensor | null {
    if (Array.isArray(second)) return this.minimizeParams(f, second, third === true);
    if (second !== undefined && second !== null && typeof second !== 'boolean') {
      throw new ValueError(`${this.className}.minimize: 'returnCost' must be a boolean, got ${typeof second}`);
    }
    if (third !== undefined && third !== null && !Array.isArray(third)) {
      throw new ValueError(`${this.className}.minimize: 'varList' must be an array of Variables, got ${typeof third}`);
    }
    const { value, grads } = variableGrads(f, (third as Variable[] | null | undefined) ?? undefined);
    try {
      this.applyGradients(grads);
    } finally {
      dispose(grads);
    }
    if (second) return value;
    value.dispose();
    return null;
  }

  /** minimize(f, params, returnCost): backward into the params' .grad, one step, then their gradients cleared. */
  private minimizeParams(f: () => Tensor, params: ParamRef[], returnCost: boolean): Tensor | null {
    this.zeroGrad(params);
    const loss = tidy(() => {
      const l = f();
      l.backward();
      return l.detach();
    });
    this.step(params);
    this.zeroGrad(params);
    if (returnCost) return loss;
    loss.dispose();
    return null;
  }

  /** The step count and a copy-free view of every slot (the tensors stay owned by the optimizer). */
  getState(): OptimizerState {
    const slots: Record<string, Tensor> = {};
    const steps: Record<string, number> = {};
    for (const [name, s] of this.state) {
      steps[name] = s.step;
      for (const [k, t] of Object.entries(s.slots)) slots[`${name}/${k}`] = t;
    }
    return { iterations: this.iterations, steps, slots };
  }

  /** Restores a state from getState() (slot values are copied; the given tensors stay the caller's). */
  setState(st: OptimizerState): void {
    this.disposeState();
    this.iterations = st.iterations;
    for (const [key, t] of Object.entries(st.slots)) {
      const cut = key.lastIndexOf('/');
      const name = key.slice(0, cut);
      const slot = key.slice(cut + 1);
      let s = this.state.get(name);
      if (!s) this.state.set(name, (s = { step: st.steps[name] ?? st.iterations, slots: {} }));
      s.slots[slot] = keep(noGrad(() => runKernel('copy', [t], [{ shape: t.shape, dtype: t.dtype }])[0]));
    }
    for (const [name, step] of Object.entries(st.steps)) {
      if (!this.state.has(name)) this.state.set(name, { step, slots: {} });
    }
  }

  /** Hyper-parameters that recreate this optimizer (without state). */
  getConfig(): Record<string, unknown> {
    const lr = this.learningRate;
    const config: Record<string, unknown> = { learningRate: typeof lr === 'number' ? lr : lr.toJSON() };
    for (const k of ['clipValue', 'clipNorm', 'globalClipNorm'] as const) if (this[k] !== undefined) config[k] = this[k];
    return config;
  }

  toJSON(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: this.getConfig() };
  }

  private disposeState(): void {
    for (const s of this.state.values()) for (const t of Object.values(s.slots)) t.dispose();
    this.state.clear();
    for (const t of this.placeholders.values()) t.dispose();
    this.placeholders.clear();
  }

  /** Frees the state tensors. */
  dispose(): void {
    this.disposeState();
  }
}
