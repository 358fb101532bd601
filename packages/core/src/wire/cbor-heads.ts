import { MAX_DEPTH } from './cbor-tags.ts';

// Reads only the heads of a CBOR payload (skipping string contents) to
// tell whether what cbor-x decodes from it can be handed over as it is.
// That holds when the payload has no tag of this codec or any other that
// cbor-x would turn into something other than a plain value, no
// indefinite lengths or unusual simple values, and no nesting beyond
// MAX_DEPTH. The answer errs towards "check": anything it does not
// recognise, malformed input included, is left to the full reader.

/** Tags cbor-x turns into plain values by itself, as this codec writes them. */
const PLAIN_TAGS = new Set([
  1, // epoch date: a Date
  2, // positive bignum: a bigint
  3, // negative bignum: a bigint
  // RFC 8746 little-endian typed arrays: Uint8Array, Uint8ClampedArray,
  // Uint16Array, Uint32Array, BigUint64Array, Int8Array, Int16Array,
  // Int32Array, BigInt64Array, Float32Array, Float64Array.
  64,
  68,
  69,
  70,
  71,
  72,
  77,
  78,
  79,
  85,
  86,
]);

/** cbor-x's record definition: [id, [keys], ...values]. */
const RECORD_DEFINITION = 0xdfff;
/** Record ids start here; a record is referenced by the tag of its id. */
const FIRST_RECORD = 0xe000;
/**
 * Ids whose tag cbor-x could read as something else (0xdff9-0xdfff map
 * onto the last of 0x2000 slots) are left to the full reader.
 */
const RECORD_SLOTS = 0x1ff9;

// One reader's state, kept in locals of one function: this runs on every
// payload received, and a class with private fields was four times slower.
const open = new Int32Array(MAX_DEPTH + 1);
const records = new Uint8Array(RECORD_SLOTS);
const touchedRecords: number[] = [];

/**
 * True when the decoded value must go through the full reader: it may
 * hold tags to convert, unknown values to refuse, or nesting to bound.
 */
export function needsFullRead(bytes: Uint8Array): boolean {
  try {
    return !isPlain(bytes);
  } finally {
    for (const slot of touchedRecords) records[slot] = 0;
    touchedRecords.length = 0;
  }
}

function isPlain(bytes: Uint8Array): boolean {
  const end = bytes.length;
  let position = 0;
  let depth = 0;
  let recordIdNext = false;

  do {
    if (depth >= MAX_DEPTH || position >= end) return false;
    const initial = bytes[position++] as number;
    const major = initial >> 5;
    const info = initial & 31;
    let items = 0; // > 0: a container opens with that many items

    if (major === 7) {
      if (recordIdNext) return false;
      const skip = info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
      if (skip === 0 && (info < 20 || info > 23)) return false;
      position += skip;
      if (position > end) return false;
    } else {
      // The head's argument; indefinite lengths and reserved values fail.
      let argument = info;
      if (info >= 24) {
        if (info > 27) return false;
        const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 8;
        if (position + size > end) return false;
        argument = 0;
        for (let index = 0; index < size; index++) {
          argument = argument * 256 + (bytes[position++] as number);
        }
        // Past 2^53 no length is real and no id either.
        if (argument > Number.MAX_SAFE_INTEGER) return false;
      }

      if (recordIdNext) {
        recordIdNext = false;
        const slot = argument - FIRST_RECORD;
        if (major !== 0 || slot < 0 || slot >= RECORD_SLOTS) return false;
        records[slot] = 1;
        touchedRecords.push(slot);
      } else if (major === 2 || major === 3) {
        if (argument > end - position) return false;
        position += argument;
      } else if (major === 4) {
        items = argument;
      } else if (major === 5) {
        items = argument * 2;
      } else if (major === 6) {
        const slot = argument - FIRST_RECORD;
        const defined = slot >= 0 && slot < RECORD_SLOTS && records[slot] === 1;
        if (argument === RECORD_DEFINITION || defined) {
          // cbor-x reads a record's array head by its length bits alone,
          // whatever its type: insist on a short array, read head by head.
          const head = bytes[position];
          if (head === undefined || head >> 5 !== 4 || (head & 31) > 23) {
            return false;
          }
          items = head & 31;
          if (argument === RECORD_DEFINITION) {
            // [id, [keys], ...values]
            if (items < 2) return false;
            recordIdNext = true;
          }
          position++;
        } else if (PLAIN_TAGS.has(argument)) {
          items = 1;
        } else {
          return false;
        }
      }
    }

    // Each item takes at least a byte: more cannot be real.
    if (items > end - position) return false;
    if (items > 0) {
      open[depth++] = items;
      continue;
    }
    // One item is complete; so is every container it completes.
    while (depth > 0) {
      const left = (open[depth - 1] as number) - 1;
      open[depth - 1] = left;
      if (left > 0) break;
      depth--;
    }
  } while (depth > 0);
  return position === end;
}
