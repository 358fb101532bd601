/**
 * Pub/Sub refuses a publish request above 10 MB; the transport checks a
 * message against it before sending. Counted in bytes, as the service does.
 */
export const PUBSUB_REQUEST_LIMIT_BYTES = 10_000_000;

/**
 * The bytes one message adds to a publish request: its data, every
 * attribute key and value in UTF-8, and its ordering key.
 */
export function publishRequestBytes(
  data: Uint8Array,
  attributes: Readonly<Record<string, string>>,
  orderingKey = '',
): number {
  let bytes = data.byteLength + Buffer.byteLength(orderingKey, 'utf8');
  for (const [key, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  return bytes;
}

/**
 * False when the message is surely under the limit: a UTF-16 unit takes
 * at most 3 bytes of UTF-8. Counting without encoding keeps the exact
 * count (which allocates) for messages near the limit.
 */
export function mayExceedLimit(
  data: Uint8Array,
  attributes: Readonly<Record<string, string>>,
  orderingKey = '',
): boolean {
  let units = orderingKey.length;
  for (const key in attributes) {
    units += key.length + (attributes[key]?.length ?? 0);
  }
  return data.byteLength + 3 * units > PUBSUB_REQUEST_LIMIT_BYTES;
}
