import {
  CALL_ID_ATTRIBUTE,
  type Delivery,
  FUNCTION_ATTRIBUTE,
} from '@cloud-functions-dispatch/core';
import {
  malformedRequest,
  type ReceivedFrame,
  readAttempt,
} from './received-frame.ts';

/**
 * A Pub/Sub push body as the service sends it, and the data of a
 * `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent. Both
 * spellings of each field occur (the emulator sends both); unknown fields
 * are ignored.
 */
export interface PubSubPushBody {
  message?: {
    /** The frame, base64. */
    data?: string;
    attributes?: Record<string, string>;
    messageId?: string;
    message_id?: string;
    publishTime?: string;
    publish_time?: string;
    orderingKey?: string;
    deliveryAttempt?: number;
  };
  subscription?: string;
  /** Present when the subscription has a dead-letter policy. */
  deliveryAttempt?: number;
}

/**
 * Takes the frame out of a Pub/Sub push body or CloudEvent data. Throws
 * `MALFORMED_FRAME` when there is no message or no data in it.
 */
export function readPubSubMessage(
  body: unknown,
  source: string,
): ReceivedFrame {
  if (!isObject(body)) {
    throw malformedRequest(source, 'the body is not a JSON object');
  }

  const message = body.message;
  if (!isObject(message)) {
    throw malformedRequest(source, 'the body has no "message" object');
  }

  const messageId = readMessageId(message);
  const frame = decodeData(message.data, source, messageId);

  // Pub/Sub counts attempts only on subscriptions with a dead-letter
  // policy; without one every delivery reads as the first.
  const attempt =
    readAttempt(body.deliveryAttempt) ??
    readAttempt(message.deliveryAttempt) ??
    1;

  const attributes = isObject(message.attributes) ? message.attributes : {};
  const delivery: Delivery = {
    attempt,
    source,
    claimedCallId: textOrUndefined(attributes[CALL_ID_ATTRIBUTE]),
    claimedFunctionName: textOrUndefined(attributes[FUNCTION_ATTRIBUTE]),
  };
  if (messageId) delivery.messageId = messageId;
  return { frame, delivery };
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function readMessageId(message: Record<string, unknown>): string | undefined {
  const id = message.messageId ?? message.message_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function decodeData(
  data: unknown,
  source: string,
  messageId: string | undefined,
): Uint8Array {
  const named = messageId ? `message ${messageId}` : 'the message';
  if (typeof data !== 'string' || data === '') {
    throw malformedRequest(source, `${named} has no data`);
  }

  const frame = Buffer.from(data, 'base64');
  if (frame.length === 0) {
    throw malformedRequest(source, `${named} has data that is not base64`);
  }
  return frame;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
