import {
  DispatchError,
  type OutgoingMessage,
} from '@cloud-functions-dispatch/core';
import { PUBSUB_REQUEST_LIMIT_BYTES } from './publish-limit.ts';

// Every message names the operation and its target: call id, function
// and topic, so one call can be followed from caller to worker.

function callContext(message: OutgoingMessage, cause?: unknown) {
  return {
    functionName: message.functionName,
    callId: message.callId,
    ...(cause === undefined ? {} : { cause }),
  };
}

function target(message: OutgoingMessage, topic: string): string {
  return `call ${message.callId} of ${message.functionName} to topic ${topic}`;
}

/** `PAYLOAD_TOO_LARGE`: the message is over the request limit. */
export function tooLarge(
  message: OutgoingMessage,
  topic: string,
  size: number,
): DispatchError {
  return new DispatchError(
    'PAYLOAD_TOO_LARGE',
    `Publishing ${target(message, topic)}: the message is ${size} bytes ` +
      `(frame, attributes and ordering key), over Pub/Sub's limit of ` +
      `${PUBSUB_REQUEST_LIMIT_BYTES} bytes per request`,
    callContext(message),
  );
}

/**
 * `INVALID_OPTIONS`: the call's metadata or ordering key break one of
 * Pub/Sub's per-message limits (`detail` names it). Not
 * `PAYLOAD_TOO_LARGE`: smaller arguments would not help.
 */
export function overMessageLimit(
  message: OutgoingMessage,
  topic: string,
  detail: string,
): DispatchError {
  return new DispatchError(
    'INVALID_OPTIONS',
    `Publishing ${target(message, topic)}: ${detail}`,
    callContext(message),
  );
}

/** `INVALID_OPTIONS`: an ordering key on a transport without ordering. */
export function orderingDisabled(
  message: OutgoingMessage,
  topic: string,
): DispatchError {
  return new DispatchError(
    'INVALID_OPTIONS',
    `Publishing ${target(message, topic)}: option orderingKey needs a ` +
      'transport created with messageOrdering: true',
    callContext(message),
  );
}

/**
 * `TRANSPORT_FAILED`: the publish outlived `publishTimeoutMs`. `endpoint`
 * says where it went (see `describeEndpoint`).
 */
export function publishTimedOut(
  message: OutgoingMessage,
  topic: string,
  endpoint: string,
  timeoutMs: number,
): DispatchError {
  return new DispatchError(
    'TRANSPORT_FAILED',
    `Publishing ${target(message, topic)} via ${endpoint} timed out ` +
      `after ${timeoutMs} ms`,
    callContext(message),
  );
}

/** `TRANSPORT_FAILED` wrapping what the client threw (DispatchErrors pass). */
export function asPublishError(
  message: OutgoingMessage,
  topic: string,
  endpoint: string,
  cause: unknown,
): DispatchError {
  if (cause instanceof DispatchError) return cause;
  return new DispatchError(
    'TRANSPORT_FAILED',
    `Publishing ${target(message, topic)} via ${endpoint} failed: ` +
      messageOf(cause),
    callContext(message, cause),
  );
}

/** `CLOSED`: a send after `close()`. */
export function closedError(
  message: OutgoingMessage,
  topic: string,
): DispatchError {
  return new DispatchError(
    'CLOSED',
    `Publishing ${target(message, topic)}: the transport is closed`,
    callContext(message),
  );
}

/** `TRANSPORT_FAILED`: `flush()` outlived `publishTimeoutMs`. */
export function flushTimedOut(topic: string, timeoutMs: number): DispatchError {
  return new DispatchError(
    'TRANSPORT_FAILED',
    `Flushing topic ${topic} timed out after ${timeoutMs} ms`,
  );
}

/** `TRANSPORT_FAILED` wrapping a failed flush (DispatchErrors pass). */
export function asFlushError(topic: string, cause: unknown): DispatchError {
  if (cause instanceof DispatchError) return cause;
  return new DispatchError(
    'TRANSPORT_FAILED',
    `Flushing topic ${topic} failed: ${messageOf(cause)}`,
    { cause },
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
