import type { CallOptions } from './call-options.ts';
import { CALL_ID_ATTRIBUTE, FUNCTION_ATTRIBUTE } from './transport.ts';
import {
  invalidOption,
  isNonNegativeFinite,
  isPlainObject,
} from './validate.ts';

const KNOWN_OPTIONS = new Set([
  'delay',
  'at',
  'dedupeKey',
  'orderingKey',
  'expiresIn',
  'metadata',
]);

const RESERVED_METADATA = new Set([FUNCTION_ATTRIBUTE, CALL_ID_ATTRIBUTE]);

/**
 * Checks per-call options given to `.with()`; throws `INVALID_OPTIONS`
 * naming the option and the function.
 */
export function validateCallOptions(
  options: unknown,
  functionName: string,
): CallOptions {
  const target = `${functionName}.with()`;
  const fail = (option: string, expected: string): never =>
    invalidOption(option, target, expected, functionName);

  if (!isPlainObject(options)) return fail('options', 'an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) fail(key, 'a known call option');
  }

  const { delay, at, dedupeKey, orderingKey, expiresIn } = options;
  if (delay !== undefined && at !== undefined) {
    fail('delay', 'left out when "at" is given (they are exclusive)');
  }
  if (delay !== undefined && !isNonNegativeFinite(delay)) {
    fail('delay', 'a finite number of ms >= 0');
  }
  if (at !== undefined && !isValidDate(at)) fail('at', 'a valid Date');
  if (expiresIn !== undefined && !isNonNegativeFinite(expiresIn)) {
    fail('expiresIn', 'a finite number of ms >= 0');
  }
  if (dedupeKey !== undefined && !isNonEmptyString(dedupeKey)) {
    fail('dedupeKey', 'a non-empty string');
  }
  if (orderingKey !== undefined && !isNonEmptyString(orderingKey)) {
    fail('orderingKey', 'a non-empty string');
  }
  validateMetadata(options.metadata, fail);
  return options as CallOptions;
}

function validateMetadata(
  metadata: unknown,
  fail: (option: string, expected: string) => never,
): void {
  if (metadata === undefined) return;
  if (!isPlainObject(metadata)) {
    fail('metadata', 'an object of string values');
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (key === '' || RESERVED_METADATA.has(key)) {
      fail(`metadata["${key}"]`, 'a key other than "" or a reserved name');
    }
    if (typeof value !== 'string') {
      fail(`metadata["${key}"]`, 'a string');
    }
  }
}

/** Options of `.with(a).with(b)`: later values win, metadata merges. */
export function mergeCallOptions(
  base: CallOptions,
  next: CallOptions,
): CallOptions {
  const merged: CallOptions = { ...base, ...next };
  // `delay` and `at` replace each other rather than conflict.
  if (next.delay !== undefined) delete merged.at;
  if (next.at !== undefined) delete merged.delay;
  if (base.metadata !== undefined && next.metadata !== undefined) {
    merged.metadata = { ...base.metadata, ...next.metadata };
  }
  return merged;
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
