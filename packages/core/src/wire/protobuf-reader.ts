/**
 * Reads protobuf fields from bytes that may be hostile: every length is
 * checked against the end, varints stop at ten bytes, and groups nest at
 * most {@link MAX_GROUP_DEPTH} deep. Throws a plain `Error`; the caller
 * turns it into `MALFORMED_FRAME`.
 */

const MAX_GROUP_DEPTH = 32;
const TWO_POW_32 = 2 ** 32;

export class ProtobufReader {
  readonly #bytes: Buffer;
  #position: number;
  readonly #end: number;
  /** The high 32 bits of the last varint read. */
  #high = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    this.#position = 0;
    this.#end = bytes.length;
  }

  /** True once every byte was read. */
  done(): boolean {
    return this.#position >= this.#end;
  }

  /** The next field's tag: `field << 3 | wireType`. */
  tag(): number {
    const tag = this.uint32();
    if (tag >>> 3 === 0) throw new Error('field number 0');
    return tag;
  }

  /** A varint, truncated to 32 bits as protobuf's `uint32` is. */
  uint32(): number {
    return this.#varint();
  }

  /**
   * A varint as protobuf's `int64`: exact within ±2^53, approximate
   * beyond (callers range-check the result).
   */
  int64(): number {
    const low = this.#varint();
    const high = this.#high;
    if (high < 0x80000000) return high * TWO_POW_32 + low;
    // Two's complement: -(~value + 1), kept in two 32-bit halves.
    const negatedLow = (~low + 1) >>> 0;
    const negatedHigh = (~high + (negatedLow === 0 ? 1 : 0)) >>> 0;
    return -(negatedHigh * TWO_POW_32 + negatedLow);
  }

  /** A length-delimited field as a view into the input (no copy). */
  bytes(): Buffer {
    const start = this.#delimited();
    return this.#bytes.subarray(start, this.#position);
  }

  /** A length-delimited field as UTF-8 text. */
  string(): string {
    const start = this.#delimited();
    return this.#bytes.toString('utf8', start, this.#position);
  }

  /** Reads a length and moves past the bytes; returns where they start. */
  #delimited(): number {
    const length = this.uint32();
    const start = this.#position;
    if (length > this.#end - start) throw new Error('length beyond the end');
    this.#position = start + length;
    return start;
  }

  /** Skips a field of `wireType` whose tag was just read. */
  skip(wireType: number, depth = 0): void {
    if (wireType === 0) this.#varint();
    else if (wireType === 1) this.#advance(8);
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.#advance(4);
    else if (wireType === 3) this.#skipGroup(depth);
    else throw new Error(`wire type ${wireType}`);
  }

  #skipGroup(depth: number): void {
    if (depth >= MAX_GROUP_DEPTH) throw new Error('groups nested too deep');
    for (;;) {
      if (this.done()) throw new Error('a group without its end');
      const tag = this.tag();
      if ((tag & 7) === 4) return;
      this.skip(tag & 7, depth + 1);
    }
  }

  #advance(count: number): void {
    if (count > this.#end - this.#position) {
      throw new Error('field beyond the end');
    }
    this.#position += count;
  }

  /** The low 32 bits of a varint of at most ten bytes (high: `#high`). */
  #varint(): number {
    let low = 0;
    let high = 0;
    for (let index = 0; index < 10; index++) {
      if (this.#position >= this.#end) throw new Error('varint beyond the end');
      const byte = this.#bytes[this.#position++] as number;
      const bits = byte & 127;
      if (index < 4) low |= bits << (7 * index);
      else if (index === 4) {
        low |= bits << 28;
        high = bits >>> 4;
      } else high |= bits << (7 * index - 32);
      if (byte < 128) {
        this.#high = high >>> 0;
        return low >>> 0;
      }
    }
    throw new Error('varint longer than ten bytes');
  }
}
