import { Float16 } from './cbor-kinds.ts';
import { UnsupportedValue } from './unsupported-value.ts';

/** The largest time a `Date` holds, in ms from 1970 either way. */
const MAX_TIME = 8.64e15;

/** The date of tag 40002: integral epoch milliseconds, or NaN. */
export function dateOf(content: unknown): Date {
  const valid =
    typeof content === 'number' &&
    (Number.isNaN(content) ||
      (Number.isInteger(content) && Math.abs(content) <= MAX_TIME));
  if (!valid) throw new UnsupportedValue('a date that is not a valid time');
  return new Date(content);
}

/** The `Float16Array` of RFC 8746 tag 84 (little-endian). */
export function float16ArrayOf(content: unknown): Float16Array {
  if (Float16 === undefined) {
    throw new UnsupportedValue('a Float16Array, which this Node.js lacks');
  }
  return new Float16(arrayBufferOf(content, 2));
}

/** A fresh `ArrayBuffer` of a tagged byte string. */
export function arrayBufferOf(content: unknown, elementSize = 1): ArrayBuffer {
  if (!(content instanceof Uint8Array) || content.length % elementSize) {
    throw new UnsupportedValue('a tagged byte string of the wrong shape');
  }
  const { buffer, byteOffset, byteLength } = content;
  if (buffer instanceof ArrayBuffer && buffer.byteLength === byteLength) {
    return buffer;
  }
  return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
}
