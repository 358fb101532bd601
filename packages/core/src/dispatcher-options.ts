import { isCodec, isTransport } from './dispatch-options.ts';
import type { Environment } from './env-config.ts';
import {
  type IdempotencyOptions,
  type IdempotencyStore,
  isIdempotencyStore,
} from './idempotency.ts';
import type { Logger } from './logger.ts';
import type { DeadLetterHandler } from './outcome.ts';
import type { SigningOptions } from './signing.ts';
import type { Transport } from './transport.ts';
import {
  invalidOption,
  isIntegerAtLeast,
  isNonNegativeFinite,
  isPlainObject,
} from './validate.ts';
import type { Codec, KeyRing } from './wire/index.ts';

/** Options of `createDispatcher()` and `configureDispatch()`. */
export interface DispatcherOptions {
  /**
   * Where calls go. Default: the transport the environment names (see
   * `env`); with neither, a call rejects with `NO_TRANSPORT`.
   */
  transport?: Transport;
  /**
   * Keys that sign outgoing frames and verify incoming ones: `{ keys }`
   * (first signs, all verify) or a ready `KeyRing`. Default:
   * `DISPATCH_SIGNING_KEYS` from `env`; with an in-process transport and
   * no keys, a random key of this dispatcher.
   */
  signing?: SigningOptions | KeyRing;
  /** Codec for outgoing arguments. Default `cborCodec`. */
  codec?: Codec;
  /**
   * Codecs accepted on receipt, picked by the envelope's codec name.
   * Default `[cborCodec, jsonCodec]`; `codec` and every function's own
   * codec are always accepted too.
   */
  codecs?: readonly Codec[];
  /** Compress encoded arguments above this many bytes. Default 1024. */
  compressionThreshold?: number;
  /**
   * Largest arguments in bytes, encoded and uncompressed: a call over it
   * rejects with `PAYLOAD_TOO_LARGE` before it is sent, and a delivery
   * over it is dropped as `too-large`. Caller and worker must agree.
   * Default 32 MiB (`DEFAULT_MAX_UNCOMPRESSED_BYTES`).
   */
  maxUncompressedBytes?: number;
  /**
   * Deliveries of a call before it is given up, for functions without
   * their own `maxAttempts`, and for calls of an unknown function (deploy
   * skew). Default 5.
   */
  maxAttempts?: number;
  /** Where to report what happens. Default: a logger that drops everything. */
  logger?: Logger;
  /** Receives every call dropped without completing. Default: none. */
  deadLetter?: DeadLetterHandler;
  /**
   * Claim each call in this store before its body runs, so a call
   * delivered twice runs once: a store, or `{ store, leaseMs, retainMs }`.
   * Default: none, every delivery runs.
   */
  idempotency?: IdempotencyStore | IdempotencyOptions;
  /**
   * Environment to read `DISPATCH_*` variables from when an option above
   * is not given. Default: `process.env` for the default dispatcher
   * (`dispatch()`, `configureDispatch()`), nothing for `createDispatcher()`.
   */
  env?: Environment;
}

/** Deliveries per call when nothing else says. */
export const DEFAULT_MAX_ATTEMPTS = 5;

const KNOWN_OPTIONS = new Set([
  'transport',
  'signing',
  'codec',
  'codecs',
  'compressionThreshold',
  'maxUncompressedBytes',
  'maxAttempts',
  'logger',
  'deadLetter',
  'idempotency',
  'env',
]);

/** Checks dispatcher options; throws `INVALID_OPTIONS` naming the option. */
export function validateDispatcherOptions(
  options: unknown,
  target: string,
): DispatcherOptions {
  if (!isPlainObject(options)) invalidOption('options', target, 'an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) invalidOption(key, target, 'a known option');
  }

  const fail = (option: string, expected: string): never =>
    invalidOption(option, target, expected);
  const o = options as DispatcherOptions;
  if (o.transport !== undefined && !isTransport(o.transport)) {
    fail('transport', 'a Transport');
  }
  if (o.codec !== undefined && !isCodec(o.codec)) fail('codec', 'a Codec');
  if (o.codecs !== undefined && !isCodecList(o.codecs)) {
    fail('codecs', 'an array of Codecs');
  }
  checkNumbers(o, fail);
  if (o.signing !== undefined && !isSigning(o.signing)) {
    fail('signing', '{ keys: SigningKey[] } or a KeyRing');
  }
  if (o.logger !== undefined && !isLogger(o.logger)) {
    fail('logger', 'an object with debug, info, warn and error');
  }
  if (o.deadLetter !== undefined && typeof o.deadLetter !== 'function') {
    fail('deadLetter', 'a function');
  }
  if (o.idempotency !== undefined && !isIdempotency(o.idempotency)) {
    fail('idempotency', 'an IdempotencyStore or { store, leaseMs, retainMs }');
  }
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null)) {
    fail('env', 'an object of strings');
  }
  return o;
}

function checkNumbers(
  o: DispatcherOptions,
  fail: (option: string, expected: string) => never,
): void {
  const threshold = o.compressionThreshold;
  if (threshold !== undefined && !isNonNegativeFinite(threshold)) {
    fail('compressionThreshold', 'a number of bytes >= 0');
  }
  const limit = o.maxUncompressedBytes;
  if (limit !== undefined && !isIntegerAtLeast(limit, 1)) {
    fail('maxUncompressedBytes', 'an integer number of bytes >= 1');
  }
  if (o.maxAttempts !== undefined && !isIntegerAtLeast(o.maxAttempts, 1)) {
    fail('maxAttempts', 'an integer >= 1');
  }
}

/** Puts a bare store into the options shape. */
export function idempotencyOptions(
  idempotency: IdempotencyStore | IdempotencyOptions | undefined,
): IdempotencyOptions | undefined {
  if (idempotency === undefined) return undefined;
  return isIdempotencyStore(idempotency) ? { store: idempotency } : idempotency;
}

function isIdempotency(value: unknown): boolean {
  if (isIdempotencyStore(value)) return true;
  if (!isPlainObject(value) || !isIdempotencyStore(value.store)) return false;
  const { leaseMs, retainMs } = value;
  return (
    (leaseMs === undefined || isIntegerAtLeast(leaseMs, 1)) &&
    (retainMs === undefined || isIntegerAtLeast(retainMs, 1))
  );
}

function isCodecList(value: unknown): boolean {
  return Array.isArray(value) && value.every(isCodec);
}

function isSigning(value: unknown): boolean {
  const candidate = value as { keys?: unknown; sign?: unknown };
  if (typeof candidate !== 'object' || candidate === null) return false;
  return typeof candidate.sign === 'function' || Array.isArray(candidate.keys);
}

function isLogger(value: unknown): boolean {
  const logger = value as Partial<Record<keyof Logger, unknown>>;
  if (typeof logger !== 'object' || logger === null) return false;
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  return methods.every((method) => typeof logger[method] === 'function');
}
