import type { DurationMessage, TimestampMessage } from './proto-types.ts';

/**
 * Milliseconds since the epoch (fractional, microsecond precision) from a
 * protobuf Timestamp, or `undefined` when the field is unset.
 */
export function timestampToMs(
  value: TimestampMessage | null | undefined,
): number | undefined {
  if (!value) return undefined;
  return Number(value.seconds ?? 0) * 1000 + (value.nanos ?? 0) / 1e6;
}

/** A protobuf Timestamp, truncated to the microsecond like the service. */
export function msToTimestamp(ms: number): { seconds: string; nanos: number } {
  let seconds = Math.floor(ms / 1000);
  // Rounding, not flooring: the fraction carries binary noise.
  let micros = Math.round((ms - seconds * 1000) * 1000);
  if (micros >= 1_000_000) {
    seconds += 1;
    micros -= 1_000_000;
  }
  return { seconds: String(seconds), nanos: micros * 1000 };
}

/** Milliseconds from a protobuf Duration, or `undefined` when unset. */
export function durationToMs(
  value: DurationMessage | null | undefined,
): number | undefined {
  return timestampToMs(value);
}

/** A protobuf Duration from milliseconds. */
export function msToDuration(ms: number): { seconds: string; nanos: number } {
  return msToTimestamp(ms);
}
