/**
 * Hand-written CBOR, independent of cbor-x, for payloads our encoder
 * would never produce.
 */
export type CborItem = Uint8Array;

function head(major: number, value: number): Uint8Array {
  if (value < 24) return Uint8Array.of((major << 5) | value);
  if (value < 0x100) return Uint8Array.of((major << 5) | 24, value);
  if (value < 0x10000) {
    return Uint8Array.of((major << 5) | 25, value >> 8, value & 0xff);
  }
  const bytes = new Uint8Array(5);
  bytes[0] = (major << 5) | 26;
  new DataView(bytes.buffer).setUint32(1, value);
  return bytes;
}

/** An unsigned integer. */
export const cborUint = (value: number): CborItem => head(0, value);

/** A text string. */
export function cborText(text: string): CborItem {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([head(3, bytes.length), bytes]);
}

/** A byte string. */
export function cborBytes(bytes: Uint8Array): CborItem {
  return Buffer.concat([head(2, bytes.length), bytes]);
}

/** An array of already encoded items. */
export function cborArray(...items: CborItem[]): CborItem {
  return Buffer.concat([head(4, items.length), ...items]);
}

/** A map of already encoded key and value items. */
export function cborMap(...entries: [CborItem, CborItem][]): CborItem {
  return Buffer.concat([head(5, entries.length), ...entries.flat()]);
}

/** A tagged item. */
export function cborTag(tag: number, item: CborItem): CborItem {
  return Buffer.concat([head(6, tag), item]);
}

/** `true`, `false`, `null` and `undefined`. */
export const CBOR_TRUE: CborItem = Uint8Array.of(0xf5);
export const CBOR_NULL: CborItem = Uint8Array.of(0xf6);
