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
