// Reverse-mode autograd: ops record a node (inputs + backward rule) on their output; backward() walks them in reverse.
import { InternalError, ShapeError, ValueError } from '../errors';
import { keep } from '../memory';
import type { Tensor } from '../tensor';

/** How an op's output maps its gradient back onto its inputs: one entry per input, null where none flows. */
export type BackwardFn = (dy: Tensor) => (Tensor | null)[];

export interface GradNode {
  op: string;
  inputs: Tensor[];
  backward: BackwardFn | null;
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn without recording gradients (inference, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const before = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = before;
  }
}

/** Attaches a backward rule to `output` when recording and any input requires grad; returns `output`. */
export function recordOp(op: string, inputs: Tensor[], output: Tensor, backward: BackwardFn): Tensor {
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = { op, inputs, backward };
  }
  return output;
}

// Lazily bound: the ops autograd uses to seed and accumulate gradients.
let addFn: (a: Tensor, b: Tensor) => Tensor;
let onesLikeFn: (t: Tensor) => Tensor;
export function bindAutogradOps(fns: { add: typeof addFn; onesLike: typeof onesLikeFn }): void {
  addFn = fns.add;
  onesLikeFn = fns.onesLike;
}

/** Tensors reachable from root through grad nodes, ordered so each comes after everything that consumes it. */
function reverseTopologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t.gradFn?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i];
      if (next.requiresGrad && !visited.has(next)) {
        visited.add(next);
        stack.push([next, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

export function backward(root: Tensor, gradient: Tensor | undefined, options: { retainGraph?: boolean }): void {
  if (!root.requiresGrad) {
    throw new ValueError('backward: the tensor does not require grad (no input of its graph has requiresGrad: true)');
  }
  if (gradient === undefined && root.size !== 1) {
    throw new ValueError(`backward: a gradient argument is needed for a non-scalar tensor of shape [${root.shape}]`);
  }
  if (gradient !== undefined && gradient.shape.join() !== root.shape.join()) {
    throw new ShapeError(`backward: gradient shape [${gradient.shape}] does not match the tensor's shape [${root.shape}]`);
  }
  const order = reverseTopologicalOrder(root);
  const grads = new Map<Tensor, Tensor>();
  const previous = isGradEnabled();
  gradEnabled = false;
  try {
    grads.set(root, gradient ?? onesLikeFn(root));
    for (const t of order) {
      const g = grads.get(t);
      if (!g) continue;
      const node = t.gradFn;
      if (!node) {
        // A leaf: accumulate into .grad, which outlives any tidy scope.
        // The user's gradient is theirs to dispose: a leaf gets a view of it instead.
        const total = t.grad ? addFn(t.grad, g) : g === gradient ? g.view(g.shape) : g;
        if (total !== g && g !== gradient) g.dispose();
        if (t.grad && total !== t.grad) t.grad.dispose();
        t.grad = keep(total);
        grads.delete(t);
        continue;
      }
      if (!node.backward) {
        throw new ValueError(`backward: the graph through '${node.op}' was already freed; pass {retainGraph: true} to the first backward()`);
      }
      const inputGrads = node.backward(g);
      const seen = new Set<Tensor>();
      node.inputs.forEach((input, i) => {
        let gi = inputGrads[i];
        // Rules may pass dy (or one tensor to several inputs) straight through: give each consumer its own view
        // so that disposing one gradient never frees another's storage.
        if (gi && (gi === g || seen.has(gi) || node.inputs.includes(gi))) gi = gi.view(gi.shape);
        if (gi) seen.add(gi);
        if (!gi || !input.requiresGrad) {
          gi?.dispose();
          return;
        }
        if (gi.shape.join() !== input.shape.join()) {
          throw new InternalError(`backward of '${node.op}': gradient shape [${gi.shape}] != input shape [${input.shape}]`);
        }
        const existing = grads.get(input);
        if (existing) {
          grads.set(input, addFn(existing, gi));
          existing.dispose();
          gi.dispose();
        } else {
          grads.set(input, gi);
        }
      });
      if (g !== gradient) g.dispose();
      grads.delete(t);
      if (!options.retainGraph) node.backward = null;
    }
  } finally {
    gradEnabled = previous;
  }
}
