import {
  type CallOptions,
  DispatchError,
  type OutgoingMessage,
} from '@cloud-functions-dispatch/core';

/** Call options Pub/Sub has no way to honour, with the reason. */
const UNSUPPORTED: ReadonlyArray<readonly [keyof CallOptions, string]> = [
  ['dedupeKey', 'Pub/Sub does not deduplicate published messages'],
  ['delay', 'Pub/Sub delivers at once and cannot schedule a message'],
  ['at', 'Pub/Sub delivers at once and cannot schedule a message'],
];

/**
 * Throws `INVALID_OPTIONS` for the first call option this transport cannot
 * honour, rather than ignoring it silently. Use Cloud Tasks for those.
 */
export function rejectUnsupportedOptions(
  message: OutgoingMessage,
  topic: string,
): void {
  for (const [option, reason] of UNSUPPORTED) {
    if (message.options[option] === undefined) continue;

    throw new DispatchError(
      'INVALID_OPTIONS',
      `Publishing call ${message.callId} of ${message.functionName} to ` +
        `topic ${topic}: option ${option} is not supported (${reason}; ` +
        'use the Cloud Tasks transport for it)',
      { functionName: message.functionName, callId: message.callId },
    );
  }
}
