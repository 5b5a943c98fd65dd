// tf.registerCallbackConstructor: callback classes fit() and fitDataset() instantiate by themselves whenever the
// run's `verbose` is at least the level they were registered at (how tfjs-node adds its progress bar).
import { ValueError } from '../errors';
import type { Callback } from './callback';
import type { CallbackHooks } from './callback';

export type CallbackConstructor = new () => Callback | CallbackHooks;

const byLevel = new Map<number, CallbackConstructor[]>();

export function registerCallbackConstructor(verbosityLevel: number, callbackConstructor: CallbackConstructor): void {
  if (!(Number.isInteger(verbosityLevel) && verbosityLevel >= 0)) {
    throw new ValueError(`registerCallbackConstructor: 'verbosityLevel' must be an integer >= 0, got ${verbosityLevel}`);
  }
  if (typeof callbackConstructor !== 'function') throw new ValueError(`registerCallbackConstructor: expected a callback class, got ${typeof callbackConstructor}`);
  for (const list of byLevel.values()) {
    if (list.includes(callbackConstructor)) throw new ValueError('registerCallbackConstructor: duplicate callback constructor');
  }
  if (!byLevel.has(verbosityLevel)) byLevel.set(verbosityLevel, []);
  byLevel.get(verbosityLevel)!.push(callbackConstructor);
}

/** @internal New instances of every constructor registered at a level <= `verbose` (levels ascending). */
export function createRegisteredCallbacks(verbose: number): (Callback | CallbackHooks)[] {
  return [...byLevel.keys()]
    .sort((a, b) => a - b)
    .filter((level) => verbose >= level)
    .flatMap((level) => byLevel.get(level)!.map((C) => new C()));
}

/** @internal Forgets every registration (tests). */
export function clearRegisteredCallbacks(): void {
  byLevel.clear();
}
