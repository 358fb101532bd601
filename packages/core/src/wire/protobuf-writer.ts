/**
 * The few protobuf encoding primitives a frame needs, writing into one
 * buffer whose size is computed first. Sizes and bytes are those
 * protobufjs writes for the same fields (the vectors pin them).
 */

/** Length-delimited wire type. */
export const LENGTH_DELIMITED = 2;

/** The tag byte of field `field` (1-15) with wire type `wireType`. */
export function tagByte(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

/** Bytes of the varint of a non-negative safe integer. */
export function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 128; rest = Math.floor(rest / 128)) size++;
  return size;
}

/** Writes a non-negative safe integer as a varint; returns the end. */
export function writeVarint(
  buffer: Uint8Array,
  position: number,
  value: number,
): number {
  let at = position;
  let rest = value;
  while (rest >= 128) {
    buffer[at++] = (rest % 128) | 128;
    rest = Math.floor(rest / 128);
  }
  buffer[at++] = rest;
  return at;
}

/**
 * Bytes of an `int64` field's varint: negative values take ten, as two's
 * complement over 64 bits.
 */
export function int64Size(value: number): number {
  return value < 0 ? 10 : varintSize(value);
}

/** Writes an `int64` (a safe integer); returns the end. */
export function writeInt64(
  buffer: Uint8Array,
  position: number,
  value: number,
): number {
  if (value >= 0) return writeVarint(buffer, position, value);
  let at = position;
  let rest = BigInt.asUintN(64, BigInt(value));
  while (rest >= 128n) {
    buffer[at++] = Number(rest & 127n) | 128;
    rest >>= 7n;
  }
  buffer[at++] = Number(rest);
  return at;
}

/** UTF-8 byte length of `text`, without encoding it when it is ASCII. */
export function utf8Size(text: string): number {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) >= 128) return Buffer.byteLength(text, 'utf8');
  }
  return text.length;
}

/** Writes `text` of `size` UTF-8 bytes (see {@link utf8Size}). */
export function writeUtf8(
  buffer: Buffer,
  position: number,
  text: string,
  size: number,
): number {
  if (size === text.length) {
    for (let index = 0; index < size; index++) {
      buffer[position + index] = text.charCodeAt(index);
    }
  } else {
    buffer.write(text, position, size, 'utf8');
  }
  return position + size;
}

/** Bytes of a length-delimited field of `size` bytes (tag included). */
export function delimitedSize(size: number): number {
  return 1 + varintSize(size) + size;
}
