import { randomBytes, randomUUID } from 'node:crypto';
import {
  CALL_ID_ATTRIBUTE,
  type CallOptions,
  FUNCTION_ATTRIBUTE,
  type OutgoingMessage,
} from '@cloud-functions-dispatch/core';

/** Fields a test may set on {@link outgoingMessage}. */
export interface MessageFields {
  frame?: Uint8Array;
  functionName?: string;
  metadata?: Record<string, string>;
  options?: CallOptions;
}

/**
 * An outgoing message as core hands it over, with a hand-built frame (any
 * bytes: the transport never looks inside) and a fresh call id.
 */
export function outgoingMessage(fields: MessageFields = {}): OutgoingMessage {
  const callId = randomUUID();
  const functionName = fields.functionName ?? 'sendMail';
  return {
    frame: fields.frame ?? new Uint8Array(randomBytes(256)),
    functionName,
    callId,
    attributes: {
      ...fields.metadata,
      [FUNCTION_ATTRIBUTE]: functionName,
      [CALL_ID_ATTRIBUTE]: callId,
    },
    options: fields.options ?? {},
  };
}
