// Just enough protobuf to take a frame apart and put a changed one back
// together: the fuzz test signs envelopes it crafted itself.

/** One field of a message as it sits on the wire. */
export interface WireField {
  readonly field: number;
  /** 0 varint, 2 length-delimited (the only two dispatch.v1 uses). */
  readonly wireType: 0 | 2;
  /** The varint, or the bytes of a length-delimited field. */
  readonly value: bigint | Uint8Array;
  /** Where the bytes of a length-delimited field start in the message. */
  readonly offset?: number;
}

/** Splits a message into its fields, in order. Throws on anything odd. */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };

  while (offset < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) {
      fields.push({ field, wireType, value: varint() });
    } else if (wireType === 2) {
      const length = Number(varint());
      const value = bytes.subarray(offset, offset + length);
      fields.push({ field, wireType, value, offset });
      offset += length;
    } else {
      throw new Error(`wire type ${wireType} is not used by dispatch.v1`);
    }
  }
  return fields;
}

/** Encodes fields back into a message. */
export function writeFields(fields: readonly WireField[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const { field, wireType, value } of fields) {
    chunks.push(encodeVarint(BigInt((field << 3) | wireType)));
    if (typeof value === 'bigint') {
      chunks.push(encodeVarint(value));
    } else {
      chunks.push(encodeVarint(BigInt(value.length)), value);
    }
  }
  return Buffer.concat(chunks);
}

/** A length-delimited field holding UTF-8 text. */
export function textField(field: number, text: string): WireField {
  return { field, wireType: 2, value: Buffer.from(text, 'utf8') };
}

/** A length-delimited field holding bytes. */
export function bytesField(field: number, value: Uint8Array): WireField {
  return { field, wireType: 2, value };
}

/** A varint field. */
export function varintField(field: number, value: bigint): WireField {
  return { field, wireType: 0, value };
}

function encodeVarint(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return Uint8Array.from(bytes);
}
