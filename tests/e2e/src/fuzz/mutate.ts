import { readFields } from './protobuf.ts';
import type { Random } from './random.ts';

/** Flips 1 to 4 random bits of a copy of `bytes`. */
export function flipBits(bytes: Uint8Array, random: Random): Uint8Array {
  const copy = Buffer.from(bytes);
  const flips = random.int(1, 4);
  for (let done = 0; done < flips && copy.length > 0; done += 1) {
    const at = random.int(0, copy.length - 1);
    copy[at] = (copy[at] as number) ^ (1 << random.int(0, 7));
  }
  return copy;
}

/** A strict prefix of `bytes` (possibly empty). */
export function truncate(bytes: Uint8Array, random: Random): Uint8Array {
  return bytes.subarray(0, random.int(0, Math.max(0, bytes.length - 1)));
}

/** `bytes` with a random run of random bytes inserted or overwritten. */
export function splice(bytes: Uint8Array, random: Random): Uint8Array {
  const at = random.int(0, bytes.length);
  const run = random.bytes(random.int(1, 16));
  const rest = random.chance(0.5)
    ? at
    : Math.min(bytes.length, at + run.length);
  return Buffer.concat([bytes.subarray(0, at), run, bytes.subarray(rest)]);
}

/** One of the mutations above, chosen at random. */
export function mutate(bytes: Uint8Array, random: Random): Uint8Array {
  const choice = random.int(0, 2);
  if (choice === 0) return flipBits(bytes, random);
  if (choice === 1) return truncate(bytes, random);
  return splice(bytes, random);
}

/**
 * A forged copy of a signed frame: bits flipped or bytes overwritten
 * inside the envelope, key id or signature, never in the tags and
 * lengths around them, so the signed content surely changed (a frame
 * whose tags changed may still carry the original content, which is a
 * replay, not a forgery).
 */
export function forge(frame: Uint8Array, random: Random): Uint8Array {
  const ranges = readFields(frame).flatMap((field) =>
    field.offset === undefined || typeof field.value === 'bigint'
      ? []
      : [[field.offset, field.value.length] as const],
  );
  const copy = Buffer.from(frame);
  const [start, length] = random.pick(ranges.filter(([, size]) => size > 0));
  const at = start + random.int(0, length - 1);
  const original = copy[at] as number;
  copy[at] = random.chance(0.6)
    ? original ^ (1 << random.int(0, 7))
    : (original + random.int(1, 255)) & 0xff;
  return copy;
}
