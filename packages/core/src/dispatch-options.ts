import type { Transport } from './transport.ts';
import { invalidOption, isIntegerAtLeast, isPlainObject } from './validate.ts';
import type { Codec } from './wire/index.ts';

/** Options of one dispatched function, given to `dispatch()`. */
export interface DispatchOptions {
  /**
   * Deliveries of one call before it is given up and handed to the
   * dead-letter hook. Default: the dispatcher's `maxAttempts` (5).
   */
  maxAttempts?: number;
  /** Send this function's calls here instead of the dispatcher's transport. */
  transport?: Transport;
  /**
   * Milliseconds the body may run on the worker; past it the attempt
   * counts as failed (`TIMEOUT`) and the call's `signal` aborts. The body
   * itself cannot be stopped. Default: no limit of ours (the platform's
   * own function timeout still applies).
   */
  timeout?: number;
  /** Encode this function's arguments with this codec. Default: the dispatcher's. */
  codec?: Codec;
}

const KNOWN_OPTIONS = new Set(['maxAttempts', 'transport', 'timeout', 'codec']);

/** Checks `dispatch()` options; throws `INVALID_OPTIONS` naming the option. */
export function validateDispatchOptions(
  options: unknown,
  functionName: string,
): DispatchOptions {
  const target = `dispatch ${functionName}`;
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    invalidOption('options', target, 'an object', functionName);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      invalidOption(key, target, 'a known option', functionName);
    }
  }

  const { maxAttempts, transport, timeout, codec } = options;
  if (maxAttempts !== undefined && !isIntegerAtLeast(maxAttempts, 1)) {
    invalidOption('maxAttempts', target, 'an integer >= 1', functionName);
  }
  if (timeout !== undefined && !isPositiveFinite(timeout)) {
    invalidOption('timeout', target, 'a number of ms > 0', functionName);
  }
  if (transport !== undefined && !isTransport(transport)) {
    invalidOption('transport', target, 'a Transport', functionName);
  }
  if (codec !== undefined && !isCodec(codec)) {
    invalidOption('codec', target, 'a Codec', functionName);
  }
  return options as DispatchOptions;
}

function isPositiveFinite(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** True for an object with the methods of a {@link Transport}. */
export function isTransport(value: unknown): value is Transport {
  const candidate = value as Partial<Transport> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.send === 'function' &&
    typeof candidate.flush === 'function' &&
    typeof candidate.close === 'function'
  );
}

/** True for an object with the members of a {@link Codec}. */
export function isCodec(value: unknown): value is Codec {
  const candidate = value as Partial<Codec> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.encode === 'function' &&
    typeof candidate.decode === 'function'
  );
}
