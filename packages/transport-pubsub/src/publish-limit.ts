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
