// Shared by the loader property tests: a fixed seed, byte-level mutations of a file, and the "typed error or a
// consistent result" check every mutated input must pass.
import * as fc from 'fast-check';
import { TensornodeError } from '../../../lib/errors';

/** One seed for every property file, so CI replays the same cases (change it locally to explore). */
export const SEED = 20261202;

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'splice'; at: number; remove: number; insert: Uint8Array };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x22, 0x7b, 0x7d, 0x2c, 0x30, 0x39) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), remove: fc.nat(16), insert: fc.uint8Array({ maxLength: 16 }) }),
);

/** 1 to 4 mutations applied in order. */
export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

/** A mutated copy of `bytes` (positions modulo the current length; even positions fall in the first `headerBytes` bytes). */
export function mutate(bytes: Uint8Array, muts: Mutation[], headerBytes = bytes.length): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (const m of muts) {
    // Half the positions land in the header region, where a change matters most.
    const pos = (at: number): number => (b.length === 0 ? 0 : at % 2 === 0 ? at % Math.max(1, Math.min(headerBytes, b.length)) : at % b.length);
    if (m.kind === 'flip' && b.length > 0) b[pos(m.at)] ^= 1 << m.bit;
    else if (m.kind === 'set' && b.length > 0) b[pos(m.at)] = m.value;
    else if (m.kind === 'truncate') b = b.subarray(0, pos(m.at));
    else if (m.kind === 'extend') b = concat(b, m.bytes);
    else if (m.kind === 'splice') {
      const at = pos(m.at);
      b = concat(concat(b.subarray(0, at), m.insert), b.subarray(Math.min(b.length, at + m.remove)));
    }
  }
  return b;
}

function concat(a: Uint8Array, c: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + c.length);
  out.set(a);
  out.set(c, a.length);
  return out;
}

/**
 * Runs `fn` on a mutated input: a result is checked by `consistent`; an error must be one of tensornode's typed errors
 * (a subclass of TensornodeError), never a TypeError, RangeError or plain Error.
 */
export async function typedOrConsistent<T>(fn: () => T | Promise<T>, consistent: (r: T) => void | Promise<void>): Promise<'ok' | 'refused'> {
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    if (!(e instanceof TensornodeError) || e.constructor === TensornodeError) {
      throw new Error(`expected a typed tensornode error, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    }
    return 'refused';
  }
  await consistent(result);
  return 'ok';
}

/** One edit of a parsed JSON document: a value replaced, a key removed, or a key added, at a path chosen by index. */
export type JsonEdit = { kind: 'replace'; at: number; value: unknown } | { kind: 'remove'; at: number } | { kind: 'add'; at: number; key: string; value: unknown };

/** Values a hostile or damaged file might hold where another was expected. */
const oddValue = fc.oneof(
  fc.constantFrom(-1, 0, 1, 2.5, 1e300, -1e300, 2.5e7, 2 ** 31, 2 ** 53, '', 'x', 'float32', 'int32', true, false, null, [], {}, [0], [null, 3], { className: 'Dense', config: {} }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);
export const jsonEditArb: fc.Arbitrary<JsonEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: oddValue }) },
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: fc.constantFrom('extra', 'units', 'name', 'trainable', '__proto__', 'dtype', 'shape'), value: oddValue }),
);
export const jsonEditsArb = fc.array(jsonEditArb, { minLength: 1, maxLength: 3 });

/** Every [container, key] of a JSON tree, depth first. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): [Record<string, unknown> | unknown[], string | number][] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push([v as Record<string, unknown>, k]), slots((v as Record<string, unknown>)[k], out);
  return out;
}

/** An edited deep copy of `json`. */
export function editJson(json: unknown, edits: JsonEdit[]): unknown {
  const copy = JSON.parse(JSON.stringify(json));
  for (const e of edits) {
    const all = slots(copy);
    if (all.length === 0) continue;
    const [box, key] = all[e.at % all.length];
    if (e.kind === 'replace') (box as Record<string | number, unknown>)[key] = e.value;
    else if (e.kind === 'remove') Array.isArray(box) ? box.splice(key as number, 1) : delete box[key as string];
    else {
      const target = (box as Record<string | number, unknown>)[key];
      if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy;
}
