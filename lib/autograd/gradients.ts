// tfjs's functional gradients: grad, grads, valueAndGrad, valueAndGrads, variableGrads and customGrad, computed on the
// same tape as backward() (gradients are returned, never accumulated into .grad).
import { DTypeError, ShapeError, ValueError } from '../errors';
import { tidy } from '../memory';
import { onesLike } from '../ops/creation';
import { Tensor } from '../tensor';
import { Variable, registeredWeights, trainableVariables, type WeightRef } from '../variable';
import { backward, noGrad, recordOp, withGrad } from './tape';

type GradSaveFunc = (save: Tensor[]) => void;

function checkFunction(op: string, f: unknown): void {
  if (typeof f !== 'function') throw new ValueError(`${op}: 'f' must be a function, got ${f === null ? 'null' : typeof f}`);
}

function checkInput(op: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: '${arg}' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (x.dtype !== 'float32') throw new DTypeError(`${op}: '${arg}' must be float32 to be differentiated, got ${x.dtype}`);
  return x;
}

/**
 * Runs f on leaves that share the inputs' values and returns f's value with d(sum(value * dy))/d(input) for each
 * input (dy defaults to ones). `allowMissing` returns null where no path leads from an input to the value.
 */
function gradientsOf(op: string, f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dy: Tensor | undefined | null, allowMissing: boolean): { value: Tensor; grads: (Tensor | null)[] } {
  if (dy !== undefined && dy !== null && !(dy instanceof Tensor)) throw new ValueError(`${op}: 'dy' must be a Tensor, got ${typeof dy}`);
  return tidy(() => {
    const leaves = xs.map((x) => {
      const leaf = x.detach();
      leaf.requiresGrad = true;
      return leaf;
    });
    const { value, grads } = differentiate(op, () => f(...leaves), leaves, dy ?? undefined);
    if (!allowMissing) {
      const i = grads.findIndex((g) => g === null);
      if (i >= 0) {
        throw new ValueError(
          `${op}: cannot compute the gradient of y = f(x) with respect to input ${i}: no operation inside f leads from it to y ` +
            '(make sure f computes y from its arguments)',
        );
      }
    }
    return { value, grads };
  });
}

/** y = f() recorded on the tape, then its gradients with respect to `targets` (null where none flows). */
function differentiate(op: string, f: () => Tensor, targets: Tensor[], dy?: Tensor): { value: Tensor; grads: (Tensor | null)[] } {
  const y = withGrad(f);
  if (!(y instanceof Tensor)) throw new ValueError(`${op}: f must return a Tensor, got ${y === null ? 'null' : typeof y}`);
  if (dy !== undefined && dy.shape.join() !== y.shape.join()) {
    throw new ShapeError(`${op}: 'dy' has shape [${dy.shape}], but f returned shape [${y.shape}] (they must match)`);
  }
  const found = new Map<Tensor, Tensor | null>(targets.map((t) => [t, null]));
  if (y.requiresGrad) backward(y, dy ?? (y.size === 1 ? undefined : onesLike(y)), { targets: found });
  return { value: y.detach(), grads: targets.map((t) => found.get(t) ?? null) };
}

/** tfjs's grad(f): a function (x, dy?) -> df/dx for f of one tensor. */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  checkFunction('grad', f);
  return (x, dy) => {
    const { value, grads } = gradientsOf('grad', f, [checkInput('grad', 'x', x)], dy, false);
    value.dispose();
    return grads[0]!;
  };
}

/** tfjs's grads(f): a function (args, dy?) -> [df/dargs[0], ...] for f of several tensors. */
export function grads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => Tensor[] {
  checkFunction('grads', f);
  return (args, dy) => {
    if (!Array.isArray(args) || args.length === 0) throw new ValueError(`grads: 'args' must be a non-empty array of Tensors`);
    const { value, grads: gs } = gradientsOf('grads', f, args.map((a, i) => checkInput('grads', `args[${i}]`, a)), dy, false);
    value.dispose();
    return gs as Tensor[];
  };
}

/** tfjs's valueAndGrad(f): a function (x, dy?) -> {value: f(x), grad: df/dx}. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  checkFunction('valueAndGrad', f);
  return (x, dy) => {
    const { value, grads: gs } = gradientsOf('valueAndGrad', f, [checkInput('valueAndGrad', 'x', x)], dy, false);
    return { value, grad: gs[0]! };
  };
}

/** tfjs's valueAndGrads(f): a function (args, dy?) -> {value: f(...args), grads}. */
export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  checkFunction('valueAndGrads', f);
  return (args, dy) => {
    if (!Array.isArray(args) || args.length === 0) throw new ValueError(`valueAndGrads: 'args' must be a non-empty array of Tensors`);
    const { value, grads: gs } = gradientsOf('valueAndGrads', f, args.map((a, i) => checkInput('valueAndGrads', `args[${i}]`, a)), dy, false);
    return { value, grads: gs as Tensor[] };
  };
}

/**
 * tfjs's variableGrads(f, varList?): the scalar f() and its gradient for each trainable variable of varList, by name.
 * The default list is every trainable Variable and every trainable layer weight (as in tfjs, where layer weights are
 * variables). Non-trainable variables in varList map to null; variables f does not use are left out; no `.grad` field
 * is touched.
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  const op = 'variableGrads';
  checkFunction(op, f);
  if (varList !== undefined && varList !== null) {
    if (!Array.isArray(varList)) throw new ValueError(`${op}: 'varList' must be an array of Variables`);
    varList.forEach((v, i) => {
      if (!(v instanceof Variable)) throw new ValueError(`${op}: varList[${i}] must be a Variable (made with tf.variable), got ${v === null ? 'null' : typeof v}`);
    });
  }
  const all: WeightRef[] = (varList ?? [...trainableVariables(), ...registeredWeights()]).map(asRef);
  const trainable = all.filter((v) => v.trainable && !v.value.isDisposed);
  if (trainable.length === 0) {
    throw new ValueError(`${op}: expects at least one trainable variable, but none of the ${all.length} variables is trainable`);
  }
  const names = new Set<string>();
  for (const v of trainable) {
    if (names.has(v.name)) throw new ValueError(`${op}: two trainable variables are named '${v.name}' (give layers unique names, or pass varList)`);
    names.add(v.name);
  }
  return tidy(() => {
    const { value, grads: gs } = differentiate(op, f, trainable.map((v) => v.value));
    if (value.rank !== 0) throw new ShapeError(`${op}: f must return a scalar, but it returned a rank-${value.rank} tensor of shape [${value.shape}]`);
    if (gs.every((g) => g === null)) {
      throw new ValueError(
        `${op}: cannot find a connection between any variable and the result of the loss function y = f(); make sure the operations that use variables are inside f`,
      );
    }
    const named: Record<string, Tensor> = {};
    trainable.forEach((v, i) => {
      if (gs[i]) named[v.name] = gs[i]!;
    });
    for (const v of all) if (!v.trainable) (named as Record<string, Tensor | null>)[v.name] = null;
    return { value, grads: named };
  });
}

/** A Variable seen as a weight reference (its own value). */
function asRef(w: Variable | WeightRef): WeightRef {
  return w instanceof Variable ? { name: w.name, value: w, trainable: w.trainable } : w;
}

/**
 * tfjs's customGrad(f): f(...inputs, save) returns {value, gradFunc(dy, saved)}; the result computes value and, on
 * the tape, gives the inputs the gradients gradFunc returns (one per input) instead of differentiating f.
 */
export function customGrad(
  f: (...args: (Tensor | GradSaveFunc)[]) => { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[] },
): (...inputs: Tensor[]) => Tensor {
  const op = 'customGrad';
  checkFunction(op, f);
  return (...inputs) => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new ValueError(`${op}: input ${i} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
    });
    let saved: Tensor[] = [];
    const save: GradSaveFunc = (ts) => {
      if (!Array.isArray(ts) || !ts.every((t) => t instanceof Tensor)) throw new ValueError(`${op}: save() takes an array of Tensors`);
      saved = ts;
    };
    const out = noGrad(() => f(...inputs, save));
    if (!out || !(out.value instanceof Tensor)) throw new ValueError(`${op}: f must return {value: Tensor, gradFunc}, got ${out === null ? 'null' : typeof out}`);
    if (typeof out.gradFunc !== 'function') throw new ValueError(`${op}: f must return a 'gradFunc' function`);
    // The value must be a tensor of its own (the tape marks it); the saved tensors are views the node owns.
    const value = inputs.includes(out.value) ? out.value.view(out.value.shape) : out.value;
    const views = saved.map((t) => t.view(t.shape));
    return recordOp(
      op,
      inputs,
      value,
      (dy) => {
        const g = out.gradFunc(dy, views);
        const list = Array.isArray(g) ? g : [g];
        if (list.length !== inputs.length) throw new ValueError(`${op}: gradFunc returned ${list.length} gradient(s) for ${inputs.length} input(s)`);
        list.forEach((t, i) => {
          if (!(t instanceof Tensor)) throw new ValueError(`${op}: gradFunc's gradient ${i} must be a Tensor`);
          if (t.shape.join() !== inputs[i].shape.join()) throw new ShapeError(`${op}: gradFunc's gradient ${i} has shape [${t.shape}], input ${i} has [${inputs[i].shape}]`);
        });
        return list;
      },
      views,
    );
  };
}
