import {
  type DeadLetter,
  type DeadLetterContext,
  DispatchError,
  type DispatchErrorCode,
  type Logger,
} from '@cloud-functions-dispatch/core';
import type { PubSub, Topic } from '@google-cloud/pubsub';
import { deadLetterAttributes } from './dead-letter-attributes.ts';
import {
  describeEndpoint,
  publishCallOptions,
} from './publish-call-options.ts';
import {
  PUBSUB_REQUEST_LIMIT_BYTES,
  publishRequestBytes,
} from './publish-limit.ts';
import { createPubSubClient } from './pubsub-client.ts';
import { withTimeout } from './with-timeout.ts';

const DEFAULT_PUBLISH_TIMEOUT_MS = 60_000;

/** Options for {@link createPubSubDeadLetterHandler}. */
export interface PubSubDeadLetterOptions {
  /** Dead-letter topic id (`dispatch-dead`) or full name. */
  topic: string;
  /**
   * A client to publish with; `close()` then leaves it open. Default: a
   * client the handler creates and `close()` closes.
   */
  pubsub?: PubSub;
  /** Project id; required with an emulator. Ignored with `pubsub`. */
  projectId?: string;
  /**
   * `host:port` of a Pub/Sub emulator. Default:
   * `process.env.PUBSUB_EMULATOR_HOST`. Ignored with `pubsub`.
   */
  emulatorHost?: string;
  /**
   * Where to log a publish that failed (error) or worked (debug). Default:
   * the logger the dispatcher passes with each letter.
   */
  logger?: Logger;
  /** Milliseconds one publish may take. Default 60,000. */
  publishTimeoutMs?: number;
}

/** How publishing one dead letter ended. Never a rejection. */
export type DeadLetterPublishResult =
  | { readonly published: true; readonly messageId: string }
  | { readonly published: false; readonly error: DispatchError };

/** A dead-letter hook that publishes to a Pub/Sub topic. */
export interface PubSubDeadLetterHandler {
  /**
   * The hook: publishes the letter's frame and never rejects, since a
   * dead-letter hook must not fail the delivery it was called for. A
   * failure is logged to `logger`, else to the dispatcher's logger.
   */
  (letter: DeadLetter, context?: DeadLetterContext): Promise<void>;
  /**
   * Publishes like the hook and resolves with the message id or the
   * error (also logged). Never rejects.
   */
  publish(
    letter: DeadLetter,
    context?: DeadLetterContext,
  ): Promise<DeadLetterPublishResult>;
  /** The topic it publishes to. */
  readonly topic: Topic;
  /** Waits for publishes in flight, then closes a client it created. */
  close(): Promise<void>;
}

/**
 * Creates a `deadLetter` hook that publishes every dropped call's signed
 * frame, unchanged, to a Pub/Sub topic, with the function, call id,
 * reason, attempt and error as attributes. Pull them later and send them
 * again with `dispatcher.redispatch(message.data)`.
 *
 * @example
 * const deadLetter = createPubSubDeadLetterHandler({ topic: 'dispatch-dead' });
 * configureDispatch({ deadLetter });
 */
export function createPubSubDeadLetterHandler(
  options: PubSubDeadLetterOptions,
): PubSubDeadLetterHandler {
  const pubsub = options.pubsub ?? createPubSubClient(clientOptions(options));
  const timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  const topic = pubsub.topic(options.topic, {
    gaxOpts: publishCallOptions(pubsub, timeoutMs),
  });
  const endpoint = describeEndpoint(pubsub);
  const pending = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  const publish = (
    letter: DeadLetter,
    context?: DeadLetterContext,
  ): Promise<DeadLetterPublishResult> => {
    const logger = options.logger ?? context?.logger;
    const publishing = publishLetter(topic, letter, {
      topicName: options.topic,
      endpoint,
      timeoutMs,
      closed: closing !== undefined,
    }).then((result) => report(result, letter, options.topic, logger));
    pending.add(publishing);
    const forget = () => pending.delete(publishing);
    publishing.then(forget, forget);
    return publishing;
  };

  const close = (): Promise<void> => {
    closing ??= Promise.allSettled(pending).then(async () => {
      if (options.pubsub === undefined) await pubsub.close();
    });
    return closing;
  };

  const hook = async (
    letter: DeadLetter,
    context?: DeadLetterContext,
  ): Promise<void> => {
    await publish(letter, context);
  };
  return Object.assign(hook, { publish, topic, close });
}

interface PublishSettings {
  topicName: string;
  /** Where publishes go, for error messages. */
  endpoint: string;
  timeoutMs: number;
  closed: boolean;
}

async function publishLetter(
  topic: Topic,
  letter: DeadLetter,
  settings: PublishSettings,
): Promise<DeadLetterPublishResult> {
  const fail = (
    code: DispatchErrorCode,
    detail: string,
    cause?: unknown,
  ): DeadLetterPublishResult => {
    const error = failure(letter, settings, code, detail, cause);
    return { published: false, error };
  };
  if (settings.closed) return fail('CLOSED', 'the handler is closed');

  const attributes = deadLetterAttributes(letter);
  const size = publishRequestBytes(letter.frame, attributes);
  if (size > PUBSUB_REQUEST_LIMIT_BYTES) {
    return fail('PAYLOAD_TOO_LARGE', `${size} bytes is over the limit`);
  }

  try {
    const publishing = topic.publishMessage({
      data: Buffer.from(letter.frame),
      attributes,
    });
    const messageId = await withTimeout(
      publishing,
      settings.timeoutMs,
      () => new Error(`timed out after ${settings.timeoutMs} ms`),
    );
    return { published: true, messageId };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return fail(
      'TRANSPORT_FAILED',
      `${reason} (via ${settings.endpoint})`,
      cause,
    );
  }
}

function failure(
  letter: DeadLetter,
  settings: PublishSettings,
  code: DispatchErrorCode,
  detail: string,
  cause: unknown,
): DispatchError {
  const call =
    letter.callId === undefined ? 'a frame' : `call ${letter.callId}`;
  const of =
    letter.functionName === undefined ? '' : ` of ${letter.functionName}`;
  return new DispatchError(
    code,
    `Publishing dead letter ${call}${of} (${letter.reason}) to topic ` +
      `${settings.topicName} failed: ${detail}`,
    {
      ...(letter.functionName === undefined
        ? {}
        : { functionName: letter.functionName }),
      ...(letter.callId === undefined ? {} : { callId: letter.callId }),
      cause,
    },
  );
}

/** Logs the result; a logger that throws does not make the hook fail. */
function report(
  result: DeadLetterPublishResult,
  letter: DeadLetter,
  topic: string,
  logger: Logger | undefined,
): DeadLetterPublishResult {
  const fields = {
    callId: letter.callId,
    functionName: letter.functionName,
    attempt: letter.attempt,
    reason: letter.reason,
    topic,
  };
  try {
    if (result.published) {
      const { messageId } = result;
      logger?.debug('dead letter published', { ...fields, messageId });
    } else {
      const { error } = result;
      logger?.error('dead letter could not be published', { ...fields, error });
    }
  } catch {
    // The result still reaches the caller.
  }
  return result;
}

function clientOptions(options: PubSubDeadLetterOptions): {
  projectId?: string;
  emulatorHost?: string;
} {
  return {
    ...(options.projectId === undefined
      ? {}
      : { projectId: options.projectId }),
    ...(options.emulatorHost === undefined
      ? {}
      : { emulatorHost: options.emulatorHost }),
  };
}
