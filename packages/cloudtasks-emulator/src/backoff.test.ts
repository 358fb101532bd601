import { describe, expect, it } from 'vitest';
import { mayRetry, retryDelayMs } from './backoff.ts';
import type { RetryPolicy } from './queue-config.ts';

const POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxRetryDurationMs: 0,
  minBackoffMs: 10_000,
  maxBackoffMs: 300_000,
  maxDoublings: 3,
};

describe('retryDelayMs', () => {
  it('follows the example of the service documentation', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((retry) =>
      retryDelayMs(POLICY, retry),
    );

    expect(delays.map((ms) => ms / 1000)).toEqual([
      10, 20, 40, 80, 160, 240, 300, 300,
    ]);
  });

  it('grows linearly from the first retry when doublings are 0', () => {
    const policy = { ...POLICY, maxDoublings: 0 };

    const delays = [1, 2, 3].map((retry) => retryDelayMs(policy, retry));

    expect(delays).toEqual([10_000, 20_000, 30_000]);
  });

  it('stays at maxBackoff however many retries there were', () => {
    expect(retryDelayMs({ ...POLICY, maxDoublings: 16 }, 5000)).toBe(300_000);
  });
});

describe('mayRetry', () => {
  const start = 1_000_000;

  it('allows attempts up to maxAttempts', () => {
    expect(mayRetry(POLICY, 4, start, start)).toBe(true);
    expect(mayRetry(POLICY, 5, start, start)).toBe(false);
  });

  it('never runs out with maxAttempts -1 and no retry duration', () => {
    const policy = { ...POLICY, maxAttempts: -1 };

    expect(mayRetry(policy, 10_000, start, start + 1e9)).toBe(true);
  });

  it('stops at maxRetryDuration when attempts are unlimited', () => {
    const policy = { ...POLICY, maxAttempts: -1, maxRetryDurationMs: 60_000 };

    expect(mayRetry(policy, 50, start, start + 59_999)).toBe(true);
    expect(mayRetry(policy, 50, start, start + 60_000)).toBe(false);
  });

  it('keeps retrying until both limits are reached when both are set', () => {
    const policy = { ...POLICY, maxRetryDurationMs: 60_000 };

    expect(mayRetry(policy, 9, start, start + 10)).toBe(true);
    expect(mayRetry(policy, 2, start, start + 120_000)).toBe(true);
    expect(mayRetry(policy, 5, start, start + 60_000)).toBe(false);
  });
});
