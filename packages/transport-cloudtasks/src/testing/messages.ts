import { randomBytes, randomUUID } from 'node:crypto';
import type {
  CallOptions,
  OutgoingMessage,
} from '@cloud-functions-dispatch/core';

/** An outgoing message with a hand-made frame of `size` random bytes. */
export function makeMessage(
  options: CallOptions = {},
  size = 64,
  functionName = 'sendMail',
): OutgoingMessage {
  const callId = randomUUID();
  return {
    frame: randomBytes(size),
    functionName,
    callId,
    attributes: {},
    options,
  };
}
