import { DispatchError } from '@cloud-functions-dispatch/core';
import type {
  CreateSubscriptionOptions,
  PubSub,
  Subscription,
  Topic,
} from '@google-cloud/pubsub';

/** gRPC status ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;

/** Options for {@link ensurePushSubscription}. */
export interface PushSubscriptionOptions {
  /** Topic to subscribe to; created when missing. */
  topic: string;
  /** Subscription id; created when missing, updated when it exists. */
  subscription: string;
  /**
   * URL Pub/Sub pushes to. End it with `/projects/P/topics/T` (see
   * {@link pushEndpointFor}) so functions-framework can name the topic.
   */
  endpoint: string;
  /** Seconds the endpoint has to answer before a retry. Default 60. */
  ackDeadlineSeconds?: number;
  /** Topic for messages that keep failing; created when missing. */
  deadLetterTopic?: string;
  /** Deliveries before a message goes to `deadLetterTopic`. Default 5. */
  maxDeliveryAttempts?: number;
}

/**
 * Creates the topic unless it exists. For development and tests; in
 * production, provision topics with your infrastructure tooling.
 */
export async function ensureTopic(
  pubsub: PubSub,
  name: string,
): Promise<Topic> {
  const topic = pubsub.topic(name);
  try {
    await topic.create();
  } catch (cause) {
    if (!isAlreadyExists(cause)) throw provisionFailed(`topic ${name}`, cause);
  }
  return topic;
}

/**
 * Creates a push subscription (and its topic and dead-letter topic) unless
 * it exists; an existing one gets the given endpoint and settings. For
 * development and tests.
 *
 * @example
 * await ensurePushSubscription(pubsub, {
 *   topic: 'dispatch',
 *   subscription: 'dispatch-worker',
 *   endpoint: pushEndpointFor(workerUrl, 'my-project', 'dispatch'),
 *   deadLetterTopic: 'dispatch-dead',
 * });
 */
export async function ensurePushSubscription(
  pubsub: PubSub,
  options: PushSubscriptionOptions,
): Promise<Subscription> {
  const topic = await ensureTopic(pubsub, options.topic);
  const settings = await subscriptionSettings(pubsub, options);
  const subscription = topic.subscription(options.subscription);

  try {
    await topic.createSubscription(options.subscription, settings);
  } catch (cause) {
    if (!isAlreadyExists(cause)) {
      throw provisionFailed(`subscription ${options.subscription}`, cause);
    }
    await subscription.setMetadata(settings).catch((error: unknown) => {
      throw provisionFailed(`subscription ${options.subscription}`, error);
    });
  }
  return subscription;
}

/**
 * The push endpoint for a worker: its URL with `/projects/P/topics/T`
 * appended, the path from which functions-framework names the topic.
 */
export function pushEndpointFor(
  workerUrl: string,
  projectId: string,
  topic: string,
): string {
  const base = workerUrl.replace(/\/+$/, '');
  return `${base}/projects/${projectId}/topics/${topic}`;
}

async function subscriptionSettings(
  pubsub: PubSub,
  options: PushSubscriptionOptions,
): Promise<CreateSubscriptionOptions> {
  const settings: CreateSubscriptionOptions = {
    pushConfig: { pushEndpoint: options.endpoint },
    ackDeadlineSeconds: options.ackDeadlineSeconds ?? 60,
  };
  if (options.deadLetterTopic === undefined) return settings;

  const deadLetter = await ensureTopic(pubsub, options.deadLetterTopic);
  settings.deadLetterPolicy = {
    deadLetterTopic: deadLetter.name,
    maxDeliveryAttempts: options.maxDeliveryAttempts ?? 5,
  };
  return settings;
}

function isAlreadyExists(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === ALREADY_EXISTS;
}

function provisionFailed(what: string, cause: unknown): DispatchError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DispatchError(
    'TRANSPORT_FAILED',
    `Provisioning Pub/Sub ${what} failed: ${reason}`,
    { cause },
  );
}
