/** A seeded source of random numbers (mulberry32), so a run can be repeated. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One of `items`. */
  pick<T>(items: readonly T[]): T;
  /** `length` random bytes. */
  bytes(length: number): Buffer;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/** Creates a {@link Random} from a 32-bit seed. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) =>
    min + Math.floor(next() * (max - min + 1));

  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    bytes(length) {
      const buffer = Buffer.allocUnsafe(length + 3);
      for (let index = 0; index < length; index += 4) {
        buffer.writeUInt32LE(Math.floor(next() * 4294967296), index);
      }
      return buffer.subarray(0, length);
    },
    chance: (p) => next() < p,
  };
}
