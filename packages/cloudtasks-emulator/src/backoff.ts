import type { RetryPolicy } from './queue-config.ts';

/**
 * The wait before retry number `retry` (1 for the first retry), in
 * milliseconds, by the service's rule: start at `minBackoff`, double
 * `maxDoublings` times, then grow linearly by the last doubled interval,
 * never above `maxBackoff`.
 *
 * @example
 * // min 10 s, max 300 s, 3 doublings: 10, 20, 40, 80, 160, 240, 300 s
 */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  const { minBackoffMs, maxBackoffMs, maxDoublings } = policy;
  const step = Math.max(retry, 1) - 1;
  const delay =
    step <= maxDoublings
      ? minBackoffMs * 2 ** step
      : minBackoffMs * 2 ** maxDoublings * (1 + step - maxDoublings);
  return Math.min(delay, maxBackoffMs);
}

/**
 * Whether a task that failed `attempts` times, first attempted at
 * `firstAttemptMs`, may be attempted again at `nowMs`. With both limits
 * set a task retries until both are reached, as the service documents.
 */
export function mayRetry(
  policy: RetryPolicy,
  attempts: number,
  firstAttemptMs: number,
  nowMs: number,
): boolean {
  const attemptsLimited = policy.maxAttempts !== -1;
  const durationLimited = policy.maxRetryDurationMs > 0;
  const attemptsLeft = !attemptsLimited || attempts < policy.maxAttempts;
  const timeLeft =
    !durationLimited || nowMs - firstAttemptMs < policy.maxRetryDurationMs;

  if (attemptsLimited && durationLimited) return attemptsLeft || timeLeft;
  return attemptsLeft && timeLeft;
}
