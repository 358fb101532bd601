import {
  CALL_ID_ATTRIBUTE,
  createDeadlines,
  type Deadlines,
  type DispatchReceipt,
  FUNCTION_ATTRIBUTE,
  type OutgoingMessage,
  type Transport,
} from '@cloud-functions-dispatch/core';
import type { BatchPublishOptions, PubSub, Topic } from '@google-cloud/pubsub';
import { findLimitBreach } from './message-limits.ts';
import {
  describeEndpoint,
  publishCallOptions,
} from './publish-call-options.ts';
import {
  asFlushError,
  asPublishError,
  closedError,
  flushTimedOut,
  orderingDisabled,
  overMessageLimit,
  publishTimedOut,
  tooLarge,
} from './publish-errors.ts';
import {
  mayExceedLimit,
  PUBSUB_REQUEST_LIMIT_BYTES,
  publishRequestBytes,
} from './publish-limit.ts';
import { createPubSubClient } from './pubsub-client.ts';
import { rejectUnsupportedOptions } from './unsupported-options.ts';
import { withTimeout } from './with-timeout.ts';

const DEFAULT_PUBLISH_TIMEOUT_MS = 60_000;

/** Options for {@link createPubSubTransport}. */
export interface PubSubTransportOptions {
  /** Topic id (`dispatch`) or full name (`projects/P/topics/dispatch`). */
  topic: string;
  /**
   * Google Cloud project id. Default: what the client finds in the
   * credentials and environment. Required with an emulator. Ignored when
   * `pubsub` is given.
   */
  projectId?: string;
  /**
   * `host:port` of a Pub/Sub emulator. Default:
   * `process.env.PUBSUB_EMULATOR_HOST`. Ignored when `pubsub` is given.
   */
  emulatorHost?: string;
  /**
   * A client to publish with. The transport then leaves closing it to you.
   * Default: a client the transport creates and `close()` closes.
   */
  pubsub?: PubSub;
  /**
   * How the client batches publishes. Default: the client's own (up to 100
   * messages, 1 MB or 10 ms per batch).
   */
  batching?: BatchPublishOptions;
  /**
   * Open the topic with message ordering, so calls with an `orderingKey`
   * are published in order. Default true: it costs nothing for calls
   * without a key. When false, a call with an `orderingKey` is rejected
   * with `INVALID_OPTIONS`.
   */
  messageOrdering?: boolean;
  /**
   * Milliseconds one publish (batching wait included) may take before it
   * fails with `TRANSPORT_FAILED`; also bounds `flush()`. Default 60,000.
   */
  publishTimeoutMs?: number;
}

/** A {@link Transport} that publishes frames to one Pub/Sub topic. */
export interface PubSubTransport extends Transport {
  /** The topic it publishes to, opened with this transport's settings. */
  readonly topic: Topic;
}

/**
 * Creates a transport that publishes each call's frame as the data of a
 * Pub/Sub message, with the function name, call id and call metadata as
 * attributes.
 *
 * @example
 * const transport = createPubSubTransport({
 *   topic: 'dispatch',
 *   projectId: 'my-project',
 * });
 * configureDispatch({ transport });
 */
export function createPubSubTransport(
  options: PubSubTransportOptions,
): PubSubTransport {
  const pubsub = options.pubsub ?? createPubSubClient(clientOptions(options));
  const ownsClient = options.pubsub === undefined;
  const messageOrdering = options.messageOrdering ?? true;
  const timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  const topic = pubsub.topic(options.topic, {
    messageOrdering,
    gaxOpts: publishCallOptions(pubsub, timeoutMs),
    ...(options.batching === undefined ? {} : { batching: options.batching }),
  });

  const settings: PublishSettings = {
    topic,
    topicName: options.topic,
    endpoint: describeEndpoint(pubsub),
    messageOrdering,
    timeoutMs,
    deadlines: createDeadlines(timeoutMs),
  };
  let closing: Promise<void> | undefined;

  const send = (message: OutgoingMessage): Promise<DispatchReceipt> => {
    if (closing !== undefined) {
      return Promise.reject(closedError(message, options.topic));
    }
    return publish(message, settings);
  };

  const flush = async (): Promise<void> => {
    await withTimeout(topic.flush(), timeoutMs, () =>
      flushTimedOut(options.topic, timeoutMs),
    ).catch((cause: unknown) => {
      throw asFlushError(options.topic, cause);
    });
    await settings.deadlines.idle();
  };

  const close = (): Promise<void> => {
    closing ??= flush().finally(async () => {
      if (ownsClient) await pubsub.close();
    });
    return closing;
  };

  return { name: `pubsub:${options.topic}`, topic, send, flush, close };
}

interface PublishSettings {
  topic: Topic;
  topicName: string;
  /** Where publishes go, for error messages. */
  endpoint: string;
  messageOrdering: boolean;
  timeoutMs: number;
  /** Bounds each publish, batching wait included, with one timer. */
  deadlines: Deadlines;
}

/**
 * Publishes one message: one promise per call, settled by the client's
 * callback or by the deadline, whichever comes first.
 */
function publish(
  message: OutgoingMessage,
  settings: PublishSettings,
): Promise<DispatchReceipt> {
  const { topic, topicName, endpoint, deadlines } = settings;
  return new Promise((resolve, reject) => {
    const { data, attributes, orderingKey } = prepare(message, settings);
    // A failed key blocks later messages with that key until it is
    // resumed, also when the failure comes after the deadline gave up.
    const resume = () => {
      if (orderingKey !== undefined) topic.resumePublishing(orderingKey);
    };
    const watched = deadlines.watch(() => {
      resume();
      reject(publishTimedOut(message, topicName, endpoint, settings.timeoutMs));
    });

    const published = (error: Error | null, id?: string | null) => {
      if (error) resume();
      if (!deadlines.settle(watched)) return;
      if (error) reject(asPublishError(message, topicName, endpoint, error));
      else
        resolve({ id: id ?? '', callId: message.callId, deduplicated: false });
    };
    try {
      const pubsubMessage =
        orderingKey === undefined
          ? { data, attributes }
          : { data, attributes, orderingKey };
      topic.publishMessage(pubsubMessage, published);
    } catch (error) {
      published(error as Error);
    }
  });
}

interface Prepared {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string | undefined;
}

/**
 * Checks a message against this transport's options and Pub/Sub's limits
 * before any network call, and builds what is published. Throws inside
 * the promise of {@link publish}, so the call rejects.
 */
function prepare(
  message: OutgoingMessage,
  settings: PublishSettings,
): Prepared {
  const { topicName } = settings;
  rejectUnsupportedOptions(message, topicName);
  const orderingKey = message.options.orderingKey || undefined;
  if (orderingKey !== undefined && !settings.messageOrdering) {
    throw orderingDisabled(message, topicName);
  }

  const attributes = attributesOf(message);
  const breach = findLimitBreach(attributes, orderingKey);
  if (breach !== undefined) {
    throw overMessageLimit(message, topicName, breach);
  }
  const data = asBuffer(message.frame);
  if (mayExceedLimit(data, attributes, orderingKey)) {
    const size = publishRequestBytes(data, attributes, orderingKey);
    if (size > PUBSUB_REQUEST_LIMIT_BYTES) {
      throw tooLarge(message, topicName, size);
    }
  }
  return { data, attributes, orderingKey };
}

/**
 * Core already puts the function and call id in `attributes`; a message
 * built some other way gets them added.
 */
function attributesOf(message: OutgoingMessage): Record<string, string> {
  const given = message.attributes;
  if (
    given[FUNCTION_ATTRIBUTE] === message.functionName &&
    given[CALL_ID_ATTRIBUTE] === message.callId
  ) {
    return given as Record<string, string>;
  }
  return {
    ...given,
    [FUNCTION_ATTRIBUTE]: message.functionName,
    [CALL_ID_ATTRIBUTE]: message.callId,
  };
}

/**
 * The client walks a request key by key to fill in the project id and
 * skips only Buffers: a plain Uint8Array of 10 MB costs it seconds of CPU.
 * A Buffer view over the same memory avoids that without a copy.
 */
function asBuffer(frame: Uint8Array): Buffer {
  if (Buffer.isBuffer(frame)) return frame;
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
}

function clientOptions(options: PubSubTransportOptions): {
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
