// A small seeded PRNG (mulberry32) and a Fisher-Yates shuffle on it, so shuffles and splits are reproducible.

/** Returns a generator of uniform floats in [0, 1) fully determined by `seed` (any 32-bit integer). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n) from a float generator. */
export function randInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** Shuffles `a` in place (Fisher-Yates) with `rng`; returns `a`. */
export function shuffleInPlace<T extends { length: number; [i: number]: number } | unknown[]>(a: T, rng: () => number): T {
  const arr = a as unknown as { length: number; [i: number]: unknown };
  for (let i = arr.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
  }
  return a;
}

/** A permutation of 0..n-1 determined by `seed`. */
export function permutation(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffleInPlace(p, mulberry32(seed));
}
