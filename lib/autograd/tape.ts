// Reverse-mode autograd: ops record a node (inputs + backward rule) on their output; backward() walks them in reverse.
import { DisposedError, InternalError, ShapeError, ValueError } from '../errors';
import { keep } from '../memory';
import type { Tensor } from '../tensor';

/** How an op's output maps its gradient back onto its inputs: one entry per input, null where none flows. */
export type BackwardFn = (dy: Tensor) => (Tensor | null)[];

export interface GradNode {
  op: string;
  inputs: Tensor[];
  /** Null once the node was released (after backward without retainGraph, or when its output was disposed). */
  backward: BackwardFn | null;
  /** Tensors the rule reads besides its inputs and output (softmax probabilities, dropout masks): the node owns them. */
  owned: Tensor[];
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn with recording set to `enabled`, restoring the previous setting after. */
function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const before = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = before;
  }
}

/** Runs fn without recording gradients (inference, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

let gradientScopes = 0;

/** Runs fn with gradients recorded, even inside noGrad (the functional gradients of autograd/gradients.ts). */
export function withGrad<T>(fn: () => T): T {
  gradientScopes++;
  try {
    return withGradMode(true, fn);
  } finally {
    gradientScopes--;
  }
}

/**
 * True while a functional gradient (grad, variableGrads, minimize) runs its function: inference paths that skip
 * recording (model.predict) record then, as tfjs's do.
 */
export function inGradientScope(): boolean {
  return gradientScopes > 0;
}

/**
 * Attaches a backward rule to `output` when recording and any input requires grad; returns `output`.
 * `owned` are tensors the rule reads besides inputs and output: the node disposes them when it is released
 * (and at once when nothing is recorded).
 *
 * A node holds a graph reference on every input and owned tensor. tidy() does not dispose a tensor that a live
 * node still references: it hands it to the graph, which disposes it when the last node using it is released.
 * That is what lets `loss = tidy(() => ...)` be followed by `loss.backward()`.
 */
export function recordOp(op: string, inputs: Tensor[], output: Tensor, backward: BackwardFn, owned: Tensor[] = []): Tensor {
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = { op, inputs, backward, owned };
    for (const t of inputs) t.graphRefs++;
    for (const t of owned) {
      t.graphRefs++;
      t.graphOwned = true;
    }
  } else {
    for (const t of owned) t.dispose();
  }
  return output;
}

/** Frees a node's rule and drops its graph references; graph-owned tensors nobody else needs are disposed. */
export function releaseNode(node: GradNode): void {
  if (!node.backward) return;
  node.backward = null;
  const held = [...node.inputs, ...node.owned];
  node.inputs = [];
  node.owned = [];
  for (const t of held) {
    t.graphRefs--;
    if (t.graphRefs === 0 && t.graphOwned && !t.isDisposed) t.dispose();
  }
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
    if (i === 0 && t.gradFn && !t.gradFn.backward) {
      throw new ValueError(`backward: the graph through '${t.gradFn.op}' was already freed; pass {retainGraph: true} to the first backward()`);
    }
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i];
      if (next.requiresGrad && next.isDisposed) {
        throw new DisposedError(
          `backward: input ${i} of '${t.gradFn!.op}' (shape [${next.shape}]) was disposed before backward(); ` +
            'keep what the graph needs alive until backward() has run (tidy does this for the tensors it returns)',
        );
      }
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

export interface BackwardOptions {
  retainGraph?: boolean;
  /**
   * Collects the gradients of these leaves into the map (the caller owns them) instead of accumulating into `.grad`;
   * the other leaves get nothing (tfjs's grad/variableGrads).
   */
  targets?: Map<Tensor, Tensor | null>;
}

export function backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  if (root.isDisposed) throw new DisposedError(`backward: the tensor of shape [${root.shape}] was disposed`);
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
  // Nodes are read up front and released only at the end: releasing one may dispose graph-owned tensors.
  const nodes = order.map((t) => t.gradFn);
  const grads = new Map<Tensor, Tensor>();
  const previous = isGradEnabled();
  gradEnabled = false;
  try {
    grads.set(root, gradient ?? onesLikeFn(root));
    for (let k = 0; k < order.length; k++) {
      const t = order[k];
      const g = grads.get(t);
      if (!g) continue;
      const node = nodes[k];
      if (!node && options.targets) {
        if (options.targets.has(t)) options.targets.set(t, g === gradient ? g.view(g.shape) : g);
        else if (g !== gradient) g.dispose();
        grads.delete(t);
        continue;
      }
      if (!node) {
        // A leaf: accumulate into .grad, which outlives any tidy scope.
        // The user's gradient is theirs to dispose: a leaf gets a view of it instead.
        const total = t.grad ? addFn(t.grad, g) : g === gradient ? g.view(g.shape) : g;
        if (total !== g && g !== gradient) g.dispose();
        t.grad = keep(total); // the setter disposes the gradient it replaces
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
    }
    if (!options.retainGraph) for (const node of nodes) if (node) releaseNode(node);
  } finally {
    gradEnabled = previous;
  }
}
