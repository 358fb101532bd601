import type { ClassRegistry } from './tagged-class.ts';

/** How the `cbor` codec treats an object, decided by its exact prototype. */
export type Kind =
  | 'object'
  | 'array'
  | 'nullPrototype'
  | 'bytes'
  | 'date'
  | 'map'
  | 'set'
  | 'arrayBuffer'
  | 'float16'
  | 'class';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Typed arrays (and Buffer) cbor-x writes exactly by itself. */
const NATIVE_BYTES = [
  Buffer,
  Uint8Array,
  Uint8ClampedArray,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

const KINDS = new Map<object | null, Kind>([
  [Object.prototype, 'object'],
  [Array.prototype, 'array'],
  [null, 'nullPrototype'],
  [Date.prototype, 'date'],
  [Map.prototype, 'map'],
  [Set.prototype, 'set'],
  [ArrayBuffer.prototype, 'arrayBuffer'],
  ...NATIVE_BYTES.map((type): [object, Kind] => [type.prototype, 'bytes']),
]);
/** `Float16Array` exists from Node.js 24 (V8 13.6) on. */
export const Float16: typeof Float16Array | undefined = (
  globalThis as { Float16Array?: typeof Float16Array }
).Float16Array;

// RFC 8746 tags name a byte order; this code only writes little-endian.
if (Float16 !== undefined && LITTLE_ENDIAN) {
  KINDS.set(Float16.prototype, 'float16');
}

/** The kind of `value`, or undefined when the codec cannot carry it. */
export function kindOf(
  value: object,
  registry: ClassRegistry,
): Kind | undefined {
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype) return 'object';
  if (prototype === Array.prototype) return 'array';
  const kind = KINDS.get(prototype);
  if (kind !== undefined) return kind;
  return prototype !== null && registry.byPrototype.has(prototype)
    ? 'class'
    : undefined;
}

/**
 * cbor-x writes a date as tag 1 with float seconds and reads it back with
 * `Math.round(seconds * 1000)`. Below 2^42 seconds (year 141,000) the two
 * roundings cannot add up to half a millisecond, so that is exact.
 */
const NATIVE_DATE_LIMIT = 2 ** 42 * 1000;

/** True when cbor-x's own tag 1 carries `date` exactly. */
export function isNativeDate(date: Date): boolean {
  const time = date.getTime();
  return Number.isNaN(time) || Math.abs(time) < NATIVE_DATE_LIMIT;
}
