import {
  CALL_ID_ATTRIBUTE,
  type DeadLetter,
  FUNCTION_ATTRIBUTE,
  isDispatchError,
} from '@cloud-functions-dispatch/core';
import { afterEach, describe, expect, test } from 'vitest';
import {
  DEAD_LETTER_ATTEMPT_ATTRIBUTE,
  DEAD_LETTER_ERROR_ATTRIBUTE,
  DEAD_LETTER_REASON_ATTRIBUTE,
  deadLetterAttributes,
} from './dead-letter-attributes.ts';
import {
  createPubSubDeadLetterHandler,
  type PubSubDeadLetterHandler,
} from './dead-letter-handler.ts';
import { PUBSUB_REQUEST_LIMIT_BYTES } from './publish-limit.ts';

const LETTER: DeadLetter = {
  reason: 'permanent',
  callId: '0190a7c4-0000-7000-8000-000000000001',
  functionName: 'sendMail',
  attempt: 3,
  frame: new Uint8Array([1, 2, 3]),
  error: new TypeError('no such address'),
};

describe('deadLetterAttributes', () => {
  test('names the function, call id, reason, attempt and error', () => {
    expect(deadLetterAttributes(LETTER)).toEqual({
      [FUNCTION_ATTRIBUTE]: 'sendMail',
      [CALL_ID_ATTRIBUTE]: LETTER.callId,
      [DEAD_LETTER_REASON_ATTRIBUTE]: 'permanent',
      [DEAD_LETTER_ATTEMPT_ATTRIBUTE]: '3',
      [DEAD_LETTER_ERROR_ATTRIBUTE]: 'TypeError: no such address',
    });
  });

  test('leaves out what a frame that could not be opened lacks', () => {
    const malformed: DeadLetter = {
      reason: 'malformed',
      attempt: 1,
      frame: new Uint8Array([9]),
    };
    expect(deadLetterAttributes(malformed)).toEqual({
      [DEAD_LETTER_REASON_ATTRIBUTE]: 'malformed',
      [DEAD_LETTER_ATTEMPT_ATTRIBUTE]: '1',
    });
  });

  test('cuts a long error to 1,024 bytes of UTF-8 on a character boundary', () => {
    const error = new Error('ü'.repeat(600) + '😀'.repeat(100));
    const value = deadLetterAttributes({ ...LETTER, error })[
      DEAD_LETTER_ERROR_ATTRIBUTE
    ];

    expect(Buffer.byteLength(value ?? '', 'utf8')).toBeLessThanOrEqual(1024);
    expect(value).toMatch(/^Error: ü+…$/);
  });
});

describe('createPubSubDeadLetterHandler without a network', () => {
  let created: PubSubDeadLetterHandler | undefined;

  afterEach(async () => {
    await created?.close();
  });

  function createHandler(): PubSubDeadLetterHandler {
    created = createPubSubDeadLetterHandler({
      topic: 'dispatch-dead',
      projectId: 'offline',
      emulatorHost: '127.0.0.1:9',
    });
    return created;
  }

  test('resolves with PAYLOAD_TOO_LARGE for a frame over the request limit', async () => {
    const handler = createHandler();
    const frame = new Uint8Array(PUBSUB_REQUEST_LIMIT_BYTES);

    const result = await handler.publish({ ...LETTER, frame });

    expect(result.published).toBe(false);
    const error = result.published ? undefined : result.error;
    expect(isDispatchError(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect(error?.message).toContain(LETTER.callId);
    expect(error?.message).toContain('dispatch-dead');
  });

  test('resolves with CLOSED after close()', async () => {
    const handler = createHandler();
    await handler.close();

    const result = await handler.publish(LETTER);
    const hooked = await handler(LETTER);

    expect(result.published).toBe(false);
    expect(result.published || isDispatchError(result.error, 'CLOSED')).toBe(
      true,
    );
    expect(hooked).toBeUndefined();
  });
});
