import type { CallOptions } from './call-options.ts';
import {
  invalidOption,
  isNonNegativeFinite,
  isPlainObject,
} from './validate.ts';

/** Options of `dispatcher.redispatch(frame, options?)`. */
export interface RedispatchOptions {
  /**
   * Milliseconds after the scheduled time past which the call is dropped
   * as `expired`; `false` removes the expiry. Either re-signs the frame
   * with the dispatcher's signing key. Default: the frame is sent
   * unchanged, keeping its expiry (an expired frame rejects with
   * `EXPIRED`).
   */
  expiresIn?: number | false;
  /** Run no earlier than this many ms from now (transports that schedule). */
  delay?: number;
  /** Run no earlier than this time. Exclusive with `delay`. */
  at?: Date;
  /** Accept the call once per key (transports that deduplicate). */
  dedupeKey?: string;
  /** Run in order with other calls of this key (Pub/Sub ordering). */
  orderingKey?: string;
}

/** The per-call options a transport is given for a redispatched call. */
export type RedispatchCallOptions = Pick<
  CallOptions,
  'delay' | 'at' | 'dedupeKey' | 'orderingKey'
>;

/** Checks redispatch options; throws `INVALID_OPTIONS` naming the option. */
export function validateRedispatchOptions(options: unknown): RedispatchOptions {
  const fail = (option: string, expected: string): never =>
    invalidOption(option, 'redispatch', expected);
  if (!isPlainObject(options)) return fail('options', 'an object');

  const { expiresIn, delay, at, dedupeKey, orderingKey, ...rest } = options;
  const [unknown] = Object.keys(rest);
  if (unknown !== undefined) fail(unknown, 'a known redispatch option');
  if (expiresIn !== undefined && expiresIn !== false) {
    if (!isNonNegativeFinite(expiresIn)) {
      fail('expiresIn', 'a finite number of ms >= 0, or false');
    }
  }
  if (delay !== undefined && at !== undefined) {
    fail('delay', 'left out when "at" is given (they are exclusive)');
  }
  if (delay !== undefined && !isNonNegativeFinite(delay)) {
    fail('delay', 'a finite number of ms >= 0');
  }
  if (at !== undefined && !(at instanceof Date && !Number.isNaN(+at))) {
    fail('at', 'a valid Date');
  }
  for (const [name, key] of [
    ['dedupeKey', dedupeKey],
    ['orderingKey', orderingKey],
  ] as const) {
    if (key !== undefined && (typeof key !== 'string' || key === '')) {
      fail(name, 'a non-empty string');
    }
  }
  return options as RedispatchOptions;
}

/** The options handed to the transport: everything but `expiresIn`. */
export function callOptionsOf(
  options: RedispatchOptions,
): RedispatchCallOptions {
  const { expiresIn: _expiresIn, ...callOptions } = options;
  return callOptions;
}
