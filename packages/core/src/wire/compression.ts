import snappy from 'snappy';

// Copying into a normal Buffer is several times faster than the default
// external buffer, whose finalizer costs more than the copy.
const COPY = { copyOutputData: true };

/** Snappy's raw format starts with the uncompressed length, a varint. */
const MAX_VARINT_BYTES = 5;

/** Compresses `bytes`, or returns undefined when that does not shrink them. */
export function compressIfSmaller(bytes: Uint8Array): Buffer | undefined {
  const compressed = snappy.compressSync(bytes, COPY);
  return compressed.length < bytes.length ? compressed : undefined;
}

/**
 * The uncompressed length a snappy block declares, read without
 * inflating anything. Undefined when the header is not a valid varint.
 */
export function snappyDeclaredLength(bytes: Uint8Array): number | undefined {
  let length = 0;
  for (let index = 0; index < MAX_VARINT_BYTES; index++) {
    const byte = bytes[index];
    if (byte === undefined) return undefined;
    length += (byte & 0x7f) * 2 ** (7 * index);
    if (byte < 0x80) return length;
  }
  return undefined;
}

/** Inflates a raw snappy block (its declared length checked by the caller). */
export function inflate(bytes: Uint8Array): Buffer {
  return snappy.uncompressSync(bytes, { asBuffer: true, ...COPY }) as Buffer;
}
