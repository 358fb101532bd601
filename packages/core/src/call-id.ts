import { randomFillSync } from 'node:crypto';

// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, version 7, 12 bits of
// counter (rand_a), variant 10, 62 random bits (rand_b). Written here
// because every dispatched call needs one: random bytes come from a pool
// refilled a few thousand bytes at a time, and ids made within the same
// millisecond count up, so they stay in order within a process.

const POOL_BYTES = 4096;
// Two seed the counter, eight fill rand_b (two bits of it are the variant).
const RANDOM_BYTES = 10;
const COUNTER_LIMIT = 0xfff;

const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;
let lastMs = -1;
let counter = 0;

const HEX = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/** A new time-ordered call id (UUIDv7), later than any made before here. */
export function createCallId(): string {
  if (poolOffset + RANDOM_BYTES > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const random = poolOffset;
  poolOffset += RANDOM_BYTES;

  let ms = Date.now();
  if (ms > lastMs) {
    // A fresh millisecond starts its counter at a random value below
    // half, leaving room to count up.
    counter = (pool[random] ?? 0) | (((pool[random + 1] ?? 0) & 0x07) << 8);
  } else {
    ms = lastMs;
    counter += 1;
    if (counter > COUNTER_LIMIT) {
      ms += 1;
      counter = 0;
    }
  }
  lastMs = ms;
  return format(ms, counter, random);
}

function format(ms: number, sequence: number, random: number): string {
  const byte = (offset: number) => HEX[pool[random + offset] ?? 0] as string;
  const variant = HEX[0x80 | ((pool[random + 2] ?? 0) & 0x3f)] as string;
  return (
    hex32(Math.floor(ms / 2 ** 16)) +
    '-' +
    hex16(ms % 2 ** 16) +
    '-' +
    hex16(0x7000 | sequence) +
    '-' +
    variant +
    byte(3) +
    '-' +
    byte(4) +
    byte(5) +
    byte(6) +
    byte(7) +
    byte(8) +
    byte(9)
  );
}

function hex32(value: number): string {
  return hex16(Math.floor(value / 2 ** 16)) + hex16(value % 2 ** 16);
}

function hex16(value: number): string {
  return (HEX[value >> 8] as string) + (HEX[value & 0xff] as string);
}
