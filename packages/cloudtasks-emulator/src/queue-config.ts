import type {
  QueueMessage,
  RateLimitsMessage,
  RetryConfigMessage,
} from './proto-types.ts';
import { invalidArgument } from './rpc-error.ts';
import { durationToMs, msToDuration } from './time.ts';

/** A queue's rate limits, resolved to the values the scheduler applies. */
export interface RateLimits {
  /** Token bucket refill rate, tasks per second. */
  maxDispatchesPerSecond: number;
  /** Token bucket capacity, tasks. */
  maxBurstSize: number;
  /** Whether the caller set the burst size (an emulator extension). */
  burstSizeExplicit: boolean;
  /** Attempts in flight at once. */
  maxConcurrentDispatches: number;
}

/** A queue's retry settings, durations in milliseconds, 0 = unlimited. */
export interface RetryPolicy {
  /** Attempts per task; -1 means unlimited. */
  maxAttempts: number;
  maxRetryDurationMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  maxDoublings: number;
}

/** The settings a caller can change with CreateQueue and UpdateQueue. */
export interface QueueSettings {
  rateLimits: RateLimits;
  retryPolicy: RetryPolicy;
  stackdriverSamplingRatio: number | undefined;
}

// The values the service reports for a queue created without settings.
const DEFAULT_RATE = 500;
const DEFAULT_CONCURRENCY = 1000;
const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 100,
  maxRetryDurationMs: 0,
  minBackoffMs: 100,
  maxBackoffMs: 3_600_000,
  maxDoublings: 16,
};

/**
 * The service picks the burst size from the rate (it reports 100 for the
 * default 500/s); this keeps the same ratio, at least 1.
 */
export function defaultBurstSize(maxDispatchesPerSecond: number): number {
  return Math.min(100, Math.max(1, Math.ceil(maxDispatchesPerSecond / 5)));
}

/** Resolves unset (zero) fields to the service defaults and validates. */
export function resolveSettings(
  queueName: string,
  message: QueueMessage,
): QueueSettings {
  const ratio = message.stackdriverLoggingConfig?.samplingRatio;
  return {
    rateLimits: resolveRateLimits(queueName, message.rateLimits ?? {}),
    retryPolicy: resolveRetryPolicy(queueName, message.retryConfig ?? {}),
    stackdriverSamplingRatio: ratio,
  };
}

function resolveRateLimits(
  queueName: string,
  message: RateLimitsMessage,
): RateLimits {
  const rate = message.maxDispatchesPerSecond ?? 0;
  const concurrency = message.maxConcurrentDispatches ?? 0;
  const burst = message.maxBurstSize ?? 0;
  const fail = (detail: string) =>
    invalidArgument(`Queue ${queueName}: RateLimits.${detail}`);

  if (rate < 0) throw fail('maxDispatchesPerSecond cannot be negative.');
  if (rate > 500) {
    throw fail('maxDispatchesPerSecond must be less than or equal to 500.');
  }
  if (concurrency < 0)
    throw fail('maxConcurrentDispatches cannot be negative.');
  if (concurrency > 5000) {
    throw fail('maxConcurrentDispatches must be less than or equal to 5000.');
  }
  if (burst > 500)
    throw fail('maxBurstSize must be less than or equal to 500.');

  const maxDispatchesPerSecond = rate || DEFAULT_RATE;
  return {
    maxDispatchesPerSecond,
    maxBurstSize: burst > 0 ? burst : defaultBurstSize(maxDispatchesPerSecond),
    burstSizeExplicit: burst > 0,
    maxConcurrentDispatches: concurrency || DEFAULT_CONCURRENCY,
  };
}

function resolveRetryPolicy(
  queueName: string,
  message: RetryConfigMessage,
): RetryPolicy {
  const fail = (detail: string) =>
    invalidArgument(`Queue ${queueName}: RetryConfig.${detail}`);
  const policy: RetryPolicy = {
    maxAttempts: message.maxAttempts || DEFAULT_RETRY.maxAttempts,
    maxRetryDurationMs: durationToMs(message.maxRetryDuration) ?? 0,
    minBackoffMs:
      durationToMs(message.minBackoff) ?? DEFAULT_RETRY.minBackoffMs,
    maxBackoffMs:
      durationToMs(message.maxBackoff) ?? DEFAULT_RETRY.maxBackoffMs,
    maxDoublings: message.maxDoublings ?? DEFAULT_RETRY.maxDoublings,
  };

  if (policy.maxAttempts < -1) {
    throw fail('maxAttempts must be greater or equal to -1.');
  }
  if (policy.maxDoublings < 0) throw fail('maxDoublings cannot be negative.');
  if (policy.minBackoffMs < 0) throw fail('minBackoff cannot be negative.');
  if (policy.maxBackoffMs < 0) throw fail('maxBackoff cannot be negative.');
  if (policy.maxRetryDurationMs < 0) {
    throw fail('maxRetryDuration cannot be negative.');
  }
  if (policy.minBackoffMs > policy.maxBackoffMs) {
    throw fail('minBackoff must be less than or equal to maxBackoff.');
  }
  return policy;
}

/** The settings as the fields of a Queue message. */
export function settingsToMessage(settings: QueueSettings): QueueMessage {
  const { rateLimits, retryPolicy } = settings;
  const message: QueueMessage = {
    rateLimits: {
      maxDispatchesPerSecond: rateLimits.maxDispatchesPerSecond,
      maxBurstSize: rateLimits.maxBurstSize,
      maxConcurrentDispatches: rateLimits.maxConcurrentDispatches,
    },
    retryConfig: {
      maxAttempts: retryPolicy.maxAttempts,
      minBackoff: msToDuration(retryPolicy.minBackoffMs),
      maxBackoff: msToDuration(retryPolicy.maxBackoffMs),
      maxDoublings: retryPolicy.maxDoublings,
    },
  };
  if (retryPolicy.maxRetryDurationMs > 0 && message.retryConfig) {
    message.retryConfig.maxRetryDuration = msToDuration(
      retryPolicy.maxRetryDurationMs,
    );
  }
  if (settings.stackdriverSamplingRatio !== undefined) {
    message.stackdriverLoggingConfig = {
      samplingRatio: settings.stackdriverSamplingRatio,
    };
  }
  return message;
}
