// The global seed: ops that take an optional seed (rand, randn, dropout, shuffles) draw one from here when none is given.

let state = BigInt(Date.now()) ^ BigInt(Math.floor(Math.random() * 2 ** 32));

/** Makes every later unseeded random op repeatable (like torch.manual_seed). */
export function setSeed(seed: number): void {
  state = BigInt(Math.floor(seed));
}

/** The next seed of the global sequence (splitmix64 steps, kept below 2^53 so it survives a JS number). */
export function nextSeed(): number {
  state = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  z ^= z >> 31n;
  return Number(z & 0x1fffffffffffffn);
}
