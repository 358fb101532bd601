import { describe, expect, it } from 'vitest';
import {
  findLimitBreach,
  PUBSUB_ATTRIBUTE_KEY_LIMIT_BYTES,
  PUBSUB_ATTRIBUTE_VALUE_LIMIT_BYTES,
  PUBSUB_MAX_ATTRIBUTES,
  PUBSUB_ORDERING_KEY_LIMIT_BYTES,
} from './message-limits.ts';

/** `count` attributes named a0, a1, ... with short values. */
function attributes(count: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, index) => [`a${index}`, 'v']),
  );
}

describe('findLimitBreach', () => {
  it('accepts every limit exactly, counted in UTF-8 bytes', () => {
    const key = 'k'.repeat(PUBSUB_ATTRIBUTE_KEY_LIMIT_BYTES);
    const value = 'é'.repeat(PUBSUB_ATTRIBUTE_VALUE_LIMIT_BYTES / 2);
    const full = {
      ...attributes(PUBSUB_MAX_ATTRIBUTES - 1),
      [key]: value,
    };
    // 341 three-byte characters and one more byte: 1,024 bytes.
    const orderingKey = `${'日'.repeat(341)}x`;

    expect(Buffer.byteLength(orderingKey)).toBe(
      PUBSUB_ORDERING_KEY_LIMIT_BYTES,
    );
    expect(findLimitBreach(full, orderingKey)).toBeUndefined();
  });

  it('names the attribute count over 100', () => {
    expect(findLimitBreach(attributes(101), undefined)).toBe(
      'the message has 101 attributes (metadata plus the function name ' +
        "and call id), over Pub/Sub's limit of 100",
    );
  });

  it('names an attribute key over 256 bytes', () => {
    const key = 'é'.repeat(129);

    expect(findLimitBreach({ [key]: 'v' }, undefined)).toMatch(
      /^attribute key "é{40}\.\.\." is 258 bytes, over Pub\/Sub's limit of 256 bytes per key$/,
    );
  });

  it('names an attribute value over 1024 bytes', () => {
    const breach = findLimitBreach({ tenant: 'v'.repeat(1025) }, undefined);

    expect(breach).toBe(
      'attribute "tenant" has a value of 1025 bytes, over ' +
        "Pub/Sub's limit of 1024 bytes per value",
    );
  });

  it('names an ordering key over 1024 bytes', () => {
    const breach = findLimitBreach({}, '🙂'.repeat(257));

    expect(breach).toBe(
      "orderingKey is 1028 bytes, over Pub/Sub's limit of 1024 bytes " +
        'per ordering key',
    );
  });
});
