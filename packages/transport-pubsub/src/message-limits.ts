// Pub/Sub's per-message resource limits (cloud.google.com/pubsub/quotas,
// "Resource limits"). The emulator enforces none of them, so the transport
// checks them itself: a local test then fails where production would.

/** Most attributes one message may carry, ours included. */
export const PUBSUB_MAX_ATTRIBUTES = 100;

/** Longest attribute key, in UTF-8 bytes. */
export const PUBSUB_ATTRIBUTE_KEY_LIMIT_BYTES = 256;

/** Longest attribute value, in UTF-8 bytes. */
export const PUBSUB_ATTRIBUTE_VALUE_LIMIT_BYTES = 1024;

/** Longest ordering key, in UTF-8 bytes. */
export const PUBSUB_ORDERING_KEY_LIMIT_BYTES = 1024;

/**
 * Names the first per-message limit the attributes or ordering key break,
 * or returns `undefined` when they keep to all of them.
 */
export function findLimitBreach(
  attributes: Readonly<Record<string, string>>,
  orderingKey: string | undefined,
): string | undefined {
  let count = 0;
  for (const key in attributes) {
    count += 1;
    const keyBytes = bytesOver(key, PUBSUB_ATTRIBUTE_KEY_LIMIT_BYTES);
    if (keyBytes !== undefined) {
      return (
        `attribute key "${shorten(key)}" is ${keyBytes} bytes, over ` +
        `Pub/Sub's limit of ${PUBSUB_ATTRIBUTE_KEY_LIMIT_BYTES} bytes per key`
      );
    }
    const valueBytes = bytesOver(
      attributes[key] ?? '',
      PUBSUB_ATTRIBUTE_VALUE_LIMIT_BYTES,
    );
    if (valueBytes !== undefined) {
      return (
        `attribute "${shorten(key)}" has a value of ${valueBytes} bytes, ` +
        `over Pub/Sub's limit of ${PUBSUB_ATTRIBUTE_VALUE_LIMIT_BYTES} bytes per value`
      );
    }
  }

  if (count > PUBSUB_MAX_ATTRIBUTES) {
    return (
      `the message has ${count} attributes (metadata plus the function ` +
      `name and call id), over Pub/Sub's limit of ${PUBSUB_MAX_ATTRIBUTES}`
    );
  }
  const keyBytes = bytesOver(
    orderingKey ?? '',
    PUBSUB_ORDERING_KEY_LIMIT_BYTES,
  );
  if (keyBytes !== undefined) {
    return (
      `orderingKey is ${keyBytes} bytes, over Pub/Sub's limit of ` +
      `${PUBSUB_ORDERING_KEY_LIMIT_BYTES} bytes per ordering key`
    );
  }
  return undefined;
}

/**
 * The UTF-8 size of `text` when it is over `limit`. A UTF-16 unit takes
 * at most 3 bytes, so short text is passed without encoding it.
 */
function bytesOver(text: string, limit: number): number | undefined {
  if (text.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > limit ? bytes : undefined;
}

function shorten(key: string): string {
  return key.length <= 40 ? key : `${key.slice(0, 40)}...`;
}
