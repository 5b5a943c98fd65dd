// Memory: reference-counted storages, tidy() scopes (and tfjs's startScope/endScope), keep(), live-tensor accounting and the GC backstop.
import { ValueError } from './errors';
import { native, type NativeStorage } from './native';
import type { Tensor } from './tensor';

/** A native storage shared by a tensor and its views; freed when the last user releases it. */
export class StorageRef {
  private refs = 1;
  /** Bumped each time a kernel writes into this storage in place (assign, optimizer updates): lets derived caches notice. */
  version = 0;
  /** @internal This device's counters (looked up once, not per tensor). */
  readonly stats: DeviceStats;
  constructor(
    readonly handle: NativeStorage,
    readonly nbytes: number,
    readonly device: string,
  ) {
    const st = (this.stats = stats(device));
    st.numBytes += nbytes;
    st.numDataBuffers++;
  }
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) {
      const st = this.stats;
      st.numBytes -= this.nbytes;
      st.numDataBuffers--;
      native.dispose(this.handle);
    }
  }
}

interface DeviceStats {
  numTensors: number;
  numBytes: number;
  /** Native storages alive (a tensor and its views share one). */
  numDataBuffers: number;
}

export interface MemoryInfo extends DeviceStats {
  /** tfjs's flag for approximate counts: false, the counts here are exact. */
  unreliable: boolean;
  devices: Record<string, DeviceStats>;
  /**
   * Bytes that only queued work still holds (their tensors were disposed before the stream ran the kernels that
   * use them), summed over devices; counted per process, since every environment shares the device streams.
   */
  numBytesInQueue: number;
}

const perDevice = new Map<string, DeviceStats>();
function stats(device: string): DeviceStats {
  let s = perDevice.get(device);
  if (!s) perDevice.set(device, (s = { numTensors: 0, numBytes: 0, numDataBuffers: 0 }));
  return s;
}

/** Live tensors, storages and bytes, in total and per device (tfjs's memory() fields plus `devices`). */
export function memory(): MemoryInfo {
  const devices: Record<string, DeviceStats> = {};
  let numTensors = 0;
  let numBytes = 0;
  let numBytesInQueue = 0;
  let numDataBuffers = 0;
  for (const [d, s] of perDevice) {
    devices[d] = { ...s };
    numTensors += s.numTensors;
    numBytes += s.numBytes;
    numDataBuffers += s.numDataBuffers;
    numBytesInQueue += native.queueStats(d).queueOnlyBytes;
  }
  return { numTensors, numDataBuffers, numBytes, unreliable: false, devices, numBytesInQueue };
}

/**
 * A tensor's hold on its storage: `live` until dispose() or the GC backstop releases it (whichever comes first). The
 * same object is the backstop's held value, so a tensor costs one bookkeeping object besides itself.
 */
export interface Holding {
  readonly ref: StorageRef;
  live: boolean;
}

// The GC backstop: a tensor collected without dispose() still gives its storage back.
const finalizer = new FinalizationRegistry<Holding>((held) => {
  if (held.live) {
    held.live = false;
    held.ref.stats.numTensors--;
    held.ref.release();
  }
});

/**
 * The open scopes (tidy, op scopes, startScope) as one stack: `tracked` lists the tensors made while any scope is open,
 * in order, and scope i owns tracked[scopeStarts[i]...] up to the next scope's start. An array, not a Set per scope:
 * an op's scope costs two numbers and the tensor it returns simply stays where it is when the scope closes (it now
 * belongs to the enclosing one). Disposed and kept tensors stay listed until their scope closes and are skipped then;
 * the list is compacted as it grows (compactTracked), so a loop that disposes what it makes stays bounded.
 */
let tracked: Tensor[] = [];
const scopeStarts: number[] = [];
let compactAt = 4096;

/** Called by the Tensor constructor: counts it, registers the backstop and adds it to the innermost scope. */
export function trackTensor(t: Tensor, held: Holding): void {
  held.ref.stats.numTensors++;
  registerLater(t, held);
  if (scopeStarts.length > 0) {
    tracked.push(t);
    if (tracked.length >= compactAt) compactTracked();
  }
}

/**
 * Backstop registration is deferred to the end of the current job (a microtask), and made only for the tensors still
 * alive then: most tensors are intermediates disposed in the same synchronous run (tidy, op scopes), and registering
 * each cost as much as the rest of a small op's bookkeeping, plus a finalizer call per tensor later. Until the
 * flush, the pending list holds the tensor, so one dropped before it is collected (and its storage freed) at a later
 * GC instead. A long synchronous run flushes every kFlushAt tensors, so the list stays bounded.
 */
const pendingTensors: Tensor[] = [];
const pendingHeld: Holding[] = [];
let flushQueued = false;
const kFlushAt = 4096;

function registerLater(t: Tensor, held: Holding): void {
  pendingTensors.push(t);
  pendingHeld.push(held);
  if (pendingTensors.length >= kFlushAt) registerPending();
  else if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(registerPending);
  }
}

function registerPending(): void {
  flushQueued = false;
  // No unregister token: dispose() only flips `live` (unregistering costs more than the callback's no-op later).
  for (let i = 0; i < pendingTensors.length; i++) if (pendingHeld[i].live) finalizer.register(pendingTensors[i], pendingHeld[i]);
  pendingTensors.length = 0;
  pendingHeld.length = 0;
}

/** Called by Tensor.dispose() (its entry in a scope, if any, is skipped when the scope closes). */
export function untrackTensor(held: Holding): void {
  held.live = false;
  held.ref.stats.numTensors--;
  held.ref.release();
}

/** Takes a tensor out of every open scope so it survives them (parameters, optimizer state, results). */
export function keep<T extends Tensor>(t: T): T {
  t.keptFromScopes = true;
  return t;
}

/** Whether a listed tensor still belongs to its scope: not disposed since, and not kept. */
function inScope(t: Tensor): boolean {
  return !t.isDisposed && !t.keptFromScopes;
}

/** @internal For tests: how many entries the open scopes list (made tensors, including disposed ones not yet dropped). */
export function trackedEntries(): number {
  return tracked.length;
}

/** Drops disposed and kept tensors from `tracked`, moving each scope's start with its tensors. */
function compactTracked(): void {
  const out: Tensor[] = [];
  let scope = 0;
  for (let i = 0; i < tracked.length; i++) {
    while (scope < scopeStarts.length && scopeStarts[scope] === i) scopeStarts[scope++] = out.length;
    const t = tracked[i];
    if (inScope(t)) out.push(t);
  }
  while (scope < scopeStarts.length) scopeStarts[scope++] = out.length;
  tracked = out;
  compactAt = Math.max(4096, 2 * out.length);
}

/** Every tensor in value: a tensor, or nested arrays, Maps, Sets and plain objects of any depth (cycles are fine). */
function collectTensors(value: unknown, out: Set<Tensor>, seen = new Set<object>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  if ((value as { isTensor?: boolean }).isTensor === true) {
    out.add(value as Tensor);
    return;
  }
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value) || value instanceof Set) for (const v of value) collectTensors(v, out, seen);
  else if (value instanceof Map) for (const v of value.values()) collectTensors(v, out, seen);
  else if (proto === Object.prototype || proto === null) for (const v of Object.values(value)) collectTensors(v, out, seen);
}

/**
 * Runs fn and disposes every tensor it created, except those it returns (a tensor, or tensors inside
 * arrays / plain objects), which move to the enclosing scope. fn must be synchronous.
 *
 * A tensor that a live autograd graph still needs (an intermediate of a returned loss, say) is not disposed
 * here: it passes to that graph, which disposes it after backward() or when the graph's output is disposed.
 */
export function tidy<T>(fn: () => T): T;
/** tfjs's tidy(name, fn): the name labels the scope (it only appears in error messages here). */
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
  const named = typeof nameOrFn === 'string';
  const fn = named ? maybeFn : nameOrFn;
  if (typeof fn !== 'function') {
    throw new ValueError(named ? `tidy('${nameOrFn}'): the second argument must be a function, got ${typeof fn}` : `tidy: expected a function (or a name and a function), got ${typeof nameOrFn}`);
  }
  // An async body would run on outside the scope after its first await: refuse it before it runs.
  if (fn.constructor?.name === 'AsyncFunction') {
    throw new ValueError(`tidy${named ? `('${nameOrFn}')` : ''}: the function must be synchronous (it is async); await outside tidy`);
  }
  return runInScope(fn, (start) => {
    // A plain function that returned a promise: what it made so far is disposed, not leaked.
    closeScope(start, new Set());
    throw new ValueError(`tidy${named ? `('${nameOrFn}')` : ''}: the function must be synchronous (it returned a Promise); await outside tidy`);
  });
}

/** The tensors of the scope that starts at tracked[start]: what it made, minus those disposed or kept since. */
function scopeTensors(start: number): Tensor[] {
  const out: Tensor[] = [];
  for (let i = start; i < tracked.length; i++) {
    const t = tracked[i];
    if (inScope(t)) out.push(t);
  }
  return out;
}

/**
 * Runs fn in a new scope: what it returns survives (into the enclosing scope), the rest is disposed or handed to
 * the graphs that need it. A promise result goes to `onPromise` with the scope's start, which decides what to do with it.
 */
function runInScope<T>(fn: (...args: any[]) => T, onPromise: (start: number) => void, handToGraph = false, thisArg?: unknown, args?: readonly unknown[]): T {
  scopeStarts.push(tracked.length);
  let result: T;
  try {
    result = args === undefined ? fn() : fn.apply(thisArg, args as unknown[]);
  } catch (e) {
    closeScope(scopeStarts.pop()!, new Set());
    throw e;
  }
  // Read back, not remembered from the push: compacting the list (compactTracked) moves scope starts.
  const start = scopeStarts.pop()!;
  if (result instanceof Promise) {
    onPromise(start);
    return result;
  }
  // The common case of an op (it made only the tensor it returns, or nothing): its entry joins the enclosing scope.
  const made = tracked.length - start;
  if (made === 0 || (made === 1 && tracked[start] === (result as unknown))) {
    if (scopeStarts.length === 0) tracked.length = 0;
    return result;
  }
  const survivors = new Set<Tensor>();
  collectTensors(result, survivors);
  if (handToGraph) handToGraphs(start, survivors);
  closeScope(start, survivors);
  return result;
}

/**
 * Runs one public op in its own scope, as tfjs's op() does: the tensors it makes and does not return (converted
 * scalars, casts, intermediates of composed ops) are released when it returns (or throws), not when the garbage
 * collector gets to them; what autograd still needs stays with the graph. An op that returns a promise keeps
 * everything (its continuation may still read it).
 */
export function opScope<T>(fn: () => T): T {
  return runInScope(fn, keepAllOnPromise, true);
}

/** opScope for `fn.apply(thisArg, args)`, without a closure per call (lib/ops/op_scope.ts wraps every public op so). */
export function opScopeApply<T>(fn: (...args: any[]) => T, thisArg: unknown, args: readonly unknown[]): T {
  return runInScope(fn, keepAllOnPromise, true, thisArg, args);
}

function keepAllOnPromise(start: number): void {
  closeScope(start, 'all');
}

/**
 * When the op recorded gradients, its backward rules may read tensors the op made besides their recorded inputs
 * (index tensors, masks, constants captured by the rule): the graph nodes of its outputs take them, so they live
 * until the graph is released instead of being disposed with the scope. Without a graph, nothing is kept.
 */
function handToGraphs(start: number, survivors: Set<Tensor>): void {
  const nodes = [...survivors].map((t) => t.gradFn).filter((n) => n !== null && n.backward !== null);
  if (nodes.length === 0) return;
  for (const t of scopeTensors(start)) {
    if (survivors.has(t)) continue;
    for (const node of nodes) {
      node!.owned.push(t);
      t.graphRefs++;
    }
    t.graphOwned = true;
  }
}

/**
 * Closes the scope that starts at tracked[start] (already popped from scopeStarts): moves the survivors ('all': every
 * tensor) to the enclosing scope and disposes the rest, handing what a graph still reads to it.
 */
function closeScope(start: number, survivors: Set<Tensor> | 'all'): void {
  const toParent = scopeStarts.length > 0;
  const doomed: Tensor[] = [];
  let kept = start;
  for (let i = start; i < tracked.length; i++) {
    const t = tracked[i];
    if (!inScope(t)) continue;
    if (survivors === 'all' || survivors.has(t)) {
      if (toParent) tracked[kept++] = t;
    } else {
      t.graphOwned = true;
      doomed.push(t);
    }
  }
  tracked.length = kept;
  // Disposing a tensor releases the node that made it, which may free graph-owned inputs in turn.
  for (const t of doomed) if (!t.isDisposed && t.graphRefs === 0) t.dispose();
}

/** The scopes opened by startScope(), innermost last, each with its name and its depth on the scope stack. */
const manualScopes: { name: string; depth: number }[] = [];

/**
 * tfjs's engine().startScope(name?): opens a scope without a closure; tensors made until the matching endScope()
 * belong to it (the same stack tidy() uses, so tidies and ops nest inside it).
 */
export function startScope(name?: string): void {
  if (name !== undefined && typeof name !== 'string') throw new ValueError(`startScope: 'name' must be a string, got ${typeof name}`);
  scopeStarts.push(tracked.length);
  manualScopes.push({ name: name ?? 'unnamed scope', depth: scopeStarts.length });
}

/**
 * tfjs's engine().endScope(result?): closes the innermost startScope() scope, disposing every tensor made in it except
 * those in `result` (a tensor or a container of tensors) and kept ones; the survivors move to the enclosing scope.
 */
export function endScope(result?: unknown): void {
  const open = manualScopes[manualScopes.length - 1];
  if (!open) throw new ValueError('endScope: there is no open scope (call startScope() first)');
  if (scopeStarts.length !== open.depth) {
    throw new ValueError(`endScope: scope '${open.name}' is not the innermost scope (a tidy or op scope inside it is still open)`);
  }
  manualScopes.pop();
  const start = scopeStarts.pop()!;
  const survivors = new Set<Tensor>();
  collectTensors(result, survivors);
  closeScope(start, survivors);
}

/** Disposes a tensor, or every tensor in nested arrays, Maps, Sets and plain objects (tfjs's dispose). */
export function dispose(value: unknown): void {
  const found = new Set<Tensor>();
  collectTensors(value, found);
  for (const t of found) if (!t.isDisposed) t.dispose();
}
