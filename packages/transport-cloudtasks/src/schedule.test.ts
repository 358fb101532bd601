import { describe, expect, it } from 'vitest';
import {
  MAX_SCHEDULE_AHEAD_MS,
  toScheduleTime,
  toSecondsAndNanos,
} from './schedule.ts';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0, 250);

describe('toScheduleTime', () => {
  it('leaves the schedule empty when neither delay nor at is given', () => {
    expect(toScheduleTime({}, NOW)).toBeUndefined();
  });

  it('splits a delay into whole seconds and nanos', () => {
    expect(toScheduleTime({ delay: 1_500 }, NOW)).toEqual({
      seconds: Math.floor((NOW + 1_500) / 1000),
      nanos: 750_000_000,
    });
  });

  it('uses at as the exact run time', () => {
    const at = new Date(NOW + 60_000);
    expect(toScheduleTime({ at }, NOW)).toEqual(toSecondsAndNanos(+at));
  });

  it('runs a time already past now instead of refusing it', () => {
    expect(toScheduleTime({ at: new Date(NOW - 5_000) }, NOW)).toBeUndefined();
    expect(toScheduleTime({ delay: 0 }, NOW)).toBeUndefined();
  });

  it('accepts exactly 30 days ahead and refuses one millisecond more', () => {
    const limit = { delay: MAX_SCHEDULE_AHEAD_MS };
    expect(toScheduleTime(limit, NOW)).toBeDefined();
    const over = { at: new Date(NOW + MAX_SCHEDULE_AHEAD_MS + 1) };
    expect(() => toScheduleTime(over, NOW)).toThrow(/^at .*30 days/);
  });

  it('names delay when the delay is too far ahead', () => {
    const over = { delay: MAX_SCHEDULE_AHEAD_MS + 1 };
    expect(() => toScheduleTime(over, NOW)).toThrow(/^delay .*2592000000 ms/);
  });

  it('refuses a negative delay, an invalid date and both options', () => {
    expect(() => toScheduleTime({ delay: -1 }, NOW)).toThrow(/delay/);
    expect(() => toScheduleTime({ delay: Number.NaN }, NOW)).toThrow(/delay/);
    expect(() => toScheduleTime({ at: new Date(Number.NaN) }, NOW)).toThrow(
      /at must be a valid Date/,
    );
    const both = { delay: 1, at: new Date(NOW) };
    expect(() => toScheduleTime(both, NOW)).toThrow(/exclude/);
  });
});

describe('toSecondsAndNanos', () => {
  it('keeps millisecond precision in nanos', () => {
    expect(toSecondsAndNanos(15_001)).toEqual({ seconds: 15, nanos: 1e6 });
  });
});
