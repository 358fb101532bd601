// Inputs no caller signed: random bytes, damaged frames of `canary`,
// frames signed with a removed key. Each must be acknowledged as refused
// (200, malformed or bad-signature) and run nothing.
import { asPush, type FuzzInput, REFUSED, TASK_HEADERS } from './fuzz-input.ts';
import type { FuzzMaterial } from './fuzz-material.ts';
import { forge, truncate } from './mutate.ts';
import type { Random } from './random.ts';

const RETRY_COUNTS = ['0', '3', '-1', 'abc', '1e9', '99999999999999999999'];

/** Delivers `frame` as a Cloud Tasks request or inside a push body. */
function delivered(
  category: string,
  frame: Uint8Array,
  random: Random,
): FuzzInput {
  if (random.chance(0.3)) {
    return { category, ...asPush(frame), expected: REFUSED };
  }
  const headers = {
    ...TASK_HEADERS,
    'x-cloudtasks-taskretrycount': random.pick(RETRY_COUNTS),
  };
  return { category, headers, body: frame, expected: REFUSED };
}

/** Random bytes, 1 byte to 4 KiB. */
export function randomBytesInput(random: Random): FuzzInput {
  const size = random.chance(0.5) ? random.int(1, 64) : random.int(1, 4096);
  return delivered('random bytes', random.bytes(size), random);
}

/** A valid canary frame cut short. */
export function truncatedInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const frame = random.pick(material.canaryFrames);
  const cut = truncate(frame, random);
  // An empty body is its own category; keep at least a byte here.
  const body = cut.length === 0 ? frame.subarray(0, 1) : cut;
  return delivered('truncated frame', body, random);
}

/** A valid canary frame with a bit or byte of its signed content changed. */
export function damagedInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const body = forge(random.pick(material.canaryFrames), random);
  return delivered('bit-flipped frame', body, random);
}

/** A well-formed canary frame signed with a key the worker removed. */
export function removedKeyInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const frame = random.pick(material.removedKeyFrames);
  return delivered('signed with a removed key', frame, random);
}

/** 10 to 12 MB of random bytes: more than Pub/Sub or Cloud Tasks allow. */
export function oversizedInput(random: Random): FuzzInput {
  const body = random.bytes(random.int(10_000_000, 12_000_000));
  return {
    category: 'oversized body',
    headers: TASK_HEADERS,
    body,
    expected: REFUSED,
  };
}
