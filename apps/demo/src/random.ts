/**
 * A small seeded generator (mulberry32): the demo needs repeatable runs,
 * not cryptographic quality.
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A repeatable draw in [0, 1) for one key under one seed. */
export function drawFor(seed: number, key: number): number {
  return createRandom(seed ^ Math.imul(key, 0x9e3779b1))();
}
