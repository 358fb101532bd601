// Inputs signed with the worker's current key, so they get past the
// signature check: envelopes damaged after signing, prototype-pollution
// bait in arguments, function names, codec names and metadata, and
// arguments that inflate past the limit. `canary` is never their target.
import {
  type Answer,
  asPush,
  type FuzzInput,
  TASK_HEADERS,
} from './fuzz-input.ts';
import {
  type FuzzMaterial,
  PLACEHOLDER_9,
  PLACEHOLDER_11,
} from './fuzz-material.ts';
import { mutate } from './mutate.ts';
import {
  bytesField,
  readFields,
  textField,
  type WireField,
  writeFields,
} from './protobuf.ts';
import type { Random } from './random.ts';

const ENVELOPE = { functionName: 3, args: 4, codec: 5, metadata: 12 };

/** Names that live on `Object.prototype` or reach it. */
const POLLUTING_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  '__lookupSetter__',
  'isPrototypeOf',
];

/**
 * Swapped in for the two placeholder keys of the probe's argument
 * `{ zzzzzzzzz: { yyyyyyyyyyy: { polluted: 1 } } }` (9 and 11 characters).
 */
const BAIT_KEYS: readonly (readonly [string, string])[] = [
  ['__proto__', 'yyyyyyyyyyy'],
  ['__proto__', 'constructor'],
  ['prototype', 'constructor'],
  ['zzzzzzzzz', 'constructor'],
];

/** Seals `envelope` into a frame signed with the current key. */
export function sign(material: FuzzMaterial, envelope: Uint8Array): Uint8Array {
  const { ring, current } = material.keys;
  return writeFields([
    bytesField(1, envelope),
    textField(2, current.id),
    bytesField(3, ring.sign(envelope)),
  ]);
}

function delivered(
  category: string,
  frame: Uint8Array,
  expected: readonly Answer[],
  random: Random,
): FuzzInput {
  const shape = random.chance(0.5)
    ? asPush(frame)
    : { headers: TASK_HEADERS, body: frame };
  return { category, ...shape, expected };
}

/** A `fuzzSink` envelope damaged, then signed correctly. */
export function signedDamagedInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const envelope = mutate(random.pick(material.sinkEnvelopes), random);
  // Anything but running `canary` or crashing is fine here.
  const expected: Answer[] = [
    [200, 'malformed'],
    [200, 'too-large'],
    [200, 'expired'],
    [200, 'completed'],
    [500, 'unknown-function'],
  ];
  return delivered(
    'signed damaged envelope',
    sign(material, envelope),
    expected,
    random,
  );
}

/** The probe's argument with `__proto__` / `constructor` keys, signed. */
export function pollutedArgumentsInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const { envelope } = random.pick(material.probeEnvelopes);
  const [outer, inner] = random.pick(BAIT_KEYS);
  const fields = readFields(envelope).map((field) =>
    field.field === ENVELOPE.args
      ? bytesField(field.field, replaceKeys(field.value, outer, inner))
      : field,
  );
  const expected: Answer[] = [
    [200, 'completed'],
    [200, 'malformed'],
  ];
  return delivered(
    'pollution in arguments',
    sign(material, writeFields(fields)),
    expected,
    random,
  );
}

/** A probe envelope naming a function that lives on Object.prototype. */
export function pollutedNameInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const { envelope } = random.pick(material.probeEnvelopes);
  const name = random.pick(POLLUTING_NAMES);
  const frame = sign(
    material,
    replaceField(envelope, ENVELOPE.functionName, name),
  );
  return delivered(
    'pollution in function name',
    frame,
    [[500, 'unknown-function']],
    random,
  );
}

/** A probe envelope whose codec is named `__proto__` or the like. */
export function pollutedCodecInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const { envelope } = random.pick(material.probeEnvelopes);
  const codec = random.pick(POLLUTING_NAMES);
  const frame = sign(material, replaceField(envelope, ENVELOPE.codec, codec));
  return delivered(
    'pollution in codec name',
    frame,
    [[200, 'malformed']],
    random,
  );
}

/** A probe envelope with metadata keys `__proto__`, `constructor`, ... */
export function pollutedMetadataInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const { envelope } = random.pick(material.probeEnvelopes);
  const entries: WireField[] = [];
  for (let count = random.int(1, 3); count > 0; count -= 1) {
    const entry = writeFields([
      textField(1, random.pick(POLLUTING_NAMES)),
      textField(2, random.chance(0.5) ? 'polluted' : '{"polluted":1}'),
    ]);
    entries.push(bytesField(ENVELOPE.metadata, entry));
  }
  const frame = sign(
    material,
    writeFields([...readFields(envelope), ...entries]),
  );
  const expected: Answer[] = [
    [200, 'completed'],
    [200, 'malformed'],
  ];
  return delivered('pollution in metadata', frame, expected, random);
}

/** A signed probe call whose arguments inflate past the worker's limit. */
export function tooLargeInput(
  material: FuzzMaterial,
  random: Random,
): FuzzInput {
  const frame = random.pick(material.tooLargeFrames);
  return delivered(
    'inflates past the limit',
    frame,
    [[200, 'too-large']],
    random,
  );
}

function replaceField(
  envelope: Uint8Array,
  field: number,
  text: string,
): Uint8Array {
  const fields = readFields(envelope).map((entry) =>
    entry.field === field ? textField(field, text) : entry,
  );
  return writeFields(fields);
}

// The placeholders have the lengths of the keys they stand for, so the
// codecs' length prefixes stay right.
function replaceKeys(
  args: bigint | Uint8Array,
  outer: string,
  inner: string,
): Uint8Array {
  if (typeof args === 'bigint') throw new Error('arguments are bytes');
  const text = Buffer.from(args).toString('latin1');
  const swapped = text
    .replace(PLACEHOLDER_9, outer)
    .replace(PLACEHOLDER_11, inner);
  return Buffer.from(swapped, 'latin1');
}
