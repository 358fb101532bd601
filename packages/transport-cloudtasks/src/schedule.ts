import type { CallOptions } from '@cloud-functions-dispatch/core';

/** Furthest ahead Cloud Tasks accepts a `scheduleTime`: 30 days, in ms. */
export const MAX_SCHEDULE_AHEAD_MS: number = 30 * 24 * 60 * 60 * 1000;

/** A `google.protobuf.Timestamp` as the client takes it. */
export interface Timestamp {
  seconds: number;
  nanos: number;
}

/**
 * Turns `delay` or `at` into a `scheduleTime`. Returns `undefined` when the
 * call should run now (no option, or a time already past). Throws a plain
 * `Error` whose message names the option; the caller wraps it.
 */
export function toScheduleTime(
  options: Readonly<CallOptions>,
  now: number,
): Timestamp | undefined {
  const runAt = runAtMs(options, now);
  if (runAt === undefined || runAt <= now) return undefined;

  if (runAt - now > MAX_SCHEDULE_AHEAD_MS) {
    const option = options.at === undefined ? 'delay' : 'at';
    throw new Error(
      `${option} lies ${runAt - now} ms ahead; Cloud Tasks accepts at most ` +
        `${MAX_SCHEDULE_AHEAD_MS} ms (30 days)`,
    );
  }

  return toSecondsAndNanos(runAt);
}

/**
 * Milliseconds as whole seconds plus nanos, the form of protobuf's
 * `Timestamp` (since the epoch) and `Duration`.
 */
export function toSecondsAndNanos(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

function runAtMs(
  options: Readonly<CallOptions>,
  now: number,
): number | undefined {
  const { delay, at } = options;
  if (delay !== undefined && at !== undefined) {
    throw new Error('delay and at exclude each other');
  }

  if (delay !== undefined) {
    if (!Number.isFinite(delay) || delay < 0) {
      throw new Error(`delay must be a finite number >= 0, got ${delay}`);
    }
    return now + delay;
  }

  if (at !== undefined) {
    const time = at instanceof Date ? at.getTime() : Number.NaN;
    if (Number.isNaN(time)) throw new Error('at must be a valid Date');
    return time;
  }

  return undefined;
}
