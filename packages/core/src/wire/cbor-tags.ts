/**
 * CBOR tags of the `cbor` codec. Numbers 40000-40099 are this project's
 * own (unregistered, first-come range); registered user classes use
 * 40100-49999. Typed arrays use the RFC 8746 tags cbor-x writes.
 */

/** `[id, value]`: a value referenced again later by {@link REFERENCE_TAG}. */
export const SHARED_TAG = 40000;
/** `id`: the value a {@link SHARED_TAG} introduced (cycles included). */
export const REFERENCE_TAG = 40001;
/** Epoch milliseconds as a number; NaN for an invalid date. */
export const DATE_TAG = 40002;
/** `[key0, value0, key1, value1, ...]` in insertion order. */
export const MAP_TAG = 40003;
/** `[value0, value1, ...]` in insertion order. */
export const SET_TAG = 40004;
/** `0`, standing for `-0` (cbor-x writes `-0` as the integer 0). */
export const NEGATIVE_ZERO_TAG = 40005;
/** A map of string keys, for an object created with a null prototype. */
export const NULL_PROTOTYPE_TAG = 40006;
/** A byte string, for an `ArrayBuffer`. */
export const ARRAY_BUFFER_TAG = 40007;
/** RFC 8746 tag for a little-endian `Float16Array`. */
export const FLOAT16_ARRAY_TAG = 84;

/** The smallest tag a user class may register. */
export const USER_TAG_MIN = 40100;
/** The largest tag a user class may register. */
export const USER_TAG_MAX = 49999;

/** Deeper values are refused: the encoders and decoders recurse. */
export const MAX_DEPTH = 1000;
