import {
  type ExecutionOutcome,
  isDispatchError,
} from '@cloud-functions-dispatch/core';
import type {
  CloudEvent,
  CloudEventFunction,
} from '@google-cloud/functions-framework';
import { readCloudEvent } from './cloud-event.ts';
import type { ReceivedFrame } from './received-frame.ts';
import {
  executeReceived,
  type Receiver,
  type ReceiverOptions,
  resolveReceiver,
} from './receiver-options.ts';

/**
 * Creates the CloudEvent entry point for a Pub/Sub trigger
 * (`google.cloud.pubsub.topic.v1.messagePublished`, what a gen 2 function
 * with `--trigger-topic` receives). It resolves when the call ran or was
 * dropped, so the message is acknowledged, and throws when the call should
 * be delivered again: functions-framework then answers 500 and Pub/Sub
 * redelivers. While the worker shuts down it throws too, so the message
 * comes back to another instance.
 *
 * Throws `NO_SIGNING_KEY` when no signing key is configured (see
 * `allowMissingKeys`).
 *
 * @example
 * import { cloudEvent } from '@google-cloud/functions-framework';
 * import './functions.ts'; // the module that calls dispatch()
 * cloudEvent('dispatchEvent', createCloudEventHandler());
 */
export function createCloudEventHandler(
  options: ReceiverOptions = {},
): CloudEventFunction<unknown> {
  return cloudEventHandlerFor(resolveReceiver(options));
}

/**
 * The CloudEvent entry point of an already resolved receiver: one promise
 * per event, settled by the outcome or by shutdown giving up on it.
 */
export function cloudEventHandlerFor(
  receiver: Receiver,
): CloudEventFunction<unknown> {
  return (event: CloudEvent<unknown>) => {
    const call = receiver.inFlight.enter();
    if (call === undefined) return Promise.reject(shuttingDown(event));

    let received: ReceivedFrame | undefined;
    try {
      received = readOrReport(event, receiver);
    } finally {
      if (received === undefined) call.leave();
    }
    if (received === undefined) return Promise.resolve();

    const { frame, delivery } = received;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined) => {
        if (settled) return;
        settled = true;
        call.leave();
        if (error === undefined) resolve();
        else reject(error);
      };
      call.onAbandon(() => finish(shuttingDown(event)));
      executeReceived(receiver, frame, delivery).then(
        (outcome) =>
          finish(
            outcome.kind === 'retry' ? redeliveryError(outcome) : undefined,
          ),
        (error: unknown) => finish(asError(error)),
      );
    });
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function readOrReport(
  event: CloudEvent<unknown>,
  receiver: Receiver,
): ReceivedFrame | undefined {
  try {
    return readCloudEvent(event);
  } catch (error) {
    if (!isDispatchError(error, 'MALFORMED_FRAME')) throw error;

    receiver.logger.error(error.message, {
      reason: 'malformed',
      security: true,
      eventId: event.id,
      traceparent: textOrUndefined(event.traceparent),
      error,
    });
    return undefined;
  }
}

// functions-framework answers 500 for a thrown value, but 204 for a falsy
// one, so a body that threw `undefined` must still throw an Error here.
// The dispatcher has already logged the attempt with its details.
function redeliveryError(outcome: ExecutionOutcome): Error {
  if (outcome.error instanceof Error) return outcome.error;

  const call = `call ${outcome.callId ?? '(unknown)'} of ${
    outcome.functionName ?? '(unknown function)'
  }`;
  return new Error(
    `execute ${call}: attempt ${outcome.attempt} ended with ` +
      `"${outcome.reason}"; asking Pub/Sub to deliver it again`,
    { cause: outcome.error },
  );
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function shuttingDown(event: CloudEvent<unknown>): Error {
  return new Error(
    `receive event ${event.id}: the worker is shutting down; asking ` +
      'Pub/Sub to deliver it again',
  );
}
