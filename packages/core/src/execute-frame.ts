import { DispatchError, isDispatchError, isPermanentError } from './errors.ts';
import type { IdempotencyOptions } from './idempotency.ts';
import { runClaimed } from './idempotent-run.ts';
import type { Logger } from './logger.ts';
import type {
  DeadLetterHandler,
  Delivery,
  ExecutionOutcome,
} from './outcome.ts';
import type { RegisteredFunction } from './registry.ts';
import {
  handOver,
  type OutcomeSubject,
  reportOutcome,
} from './report-outcome.ts';
import { runBody } from './run-body.ts';
import {
  type Codec,
  decodeArguments,
  type Envelope,
  type KeyRing,
  openFrame,
} from './wire/index.ts';

/** What `executeFrame` needs from the dispatcher. */
export interface ExecutionSettings {
  /**
   * Keys to verify frames with; `undefined` when none is configured.
   * Throws `INVALID_OPTIONS` when the configured keys are unusable.
   */
  keyRing(): KeyRing | undefined;
  lookup(name: string): RegisteredFunction | undefined;
  /** Codecs accepted for `entry`'s arguments. */
  codecsFor(entry: RegisteredFunction): readonly Codec[];
  readonly maxUncompressedBytes: number | undefined;
  /** Attempts for functions without their own `maxAttempts`. */
  readonly maxAttempts: number;
  logger: Logger;
  readonly deadLetter: DeadLetterHandler | undefined;
  /** Where calls are claimed before they run; none runs every delivery. */
  readonly idempotency: IdempotencyOptions | undefined;
}

type Verdict = Omit<ExecutionOutcome, 'attempt'>;

/** Turns a verdict into the outcome: logged, dead letters handed over. */
type Finish = (
  verdict: Verdict,
) => ExecutionOutcome | Promise<ExecutionOutcome>;

/**
 * Verifies, decodes and runs one delivered frame and says what the
 * service should do with it. Never rejects (unless the logger throws).
 * Everything up to the body runs synchronously, and the outcome is
 * concluded in the step that settles the body: a delivery costs the
 * body's promise and one more.
 */
export function executeFrame(
  settings: ExecutionSettings,
  frame: Uint8Array,
  delivery: Delivery,
): Promise<ExecutionOutcome> {
  const attempt = delivery.attempt;
  let envelope: Envelope | undefined;
  const finish: Finish = (verdict) =>
    conclude(settings, verdict, { frame, delivery, envelope }, attempt);

  let outcome: ExecutionOutcome | Promise<ExecutionOutcome>;
  try {
    const opened = open(settings, frame);
    if ('kind' in opened) outcome = finish(opened);
    else {
      envelope = opened;
      outcome = decide(settings, envelope, attempt, finish);
    }
  } catch (error) {
    try {
      outcome = finish(bugGuard(error, envelope));
    } catch (loggerError) {
      return Promise.reject(loggerError);
    }
  }
  return outcome instanceof Promise ? outcome : Promise.resolve(outcome);
}

/** decide() handles every expected failure; this guards against bugs. */
function bugGuard(error: unknown, envelope: Envelope | undefined): Verdict {
  const call = envelope === undefined ? {} : callIds(envelope);
  return { kind: 'retry', reason: 'failed', error, ...call };
}

/** Logs the outcome, and hands a dropped call to the dead-letter hook. */
function conclude(
  settings: ExecutionSettings,
  verdict: Verdict,
  subject: OutcomeSubject,
  attempt: number,
): ExecutionOutcome | Promise<ExecutionOutcome> {
  const outcome: ExecutionOutcome = { ...verdict, attempt };
  reportOutcome(settings.logger, outcome, subject);
  if (outcome.kind !== 'drop' || settings.deadLetter === undefined) {
    return outcome;
  }
  return handOver(settings.deadLetter, settings.logger, outcome, subject).then(
    () => outcome,
  );
}

function decide(
  settings: ExecutionSettings,
  envelope: Envelope,
  attempt: number,
  finish: Finish,
): ExecutionOutcome | Promise<ExecutionOutcome> {
  const call = callIds(envelope);
  if (isExpired(envelope)) {
    return finish({
      kind: 'drop',
      reason: 'expired',
      ...call,
      error: expired(call),
    });
  }

  const entry = settings.lookup(envelope.functionName);
  if (entry === undefined) {
    const kind = attempt < settings.maxAttempts ? 'retry' : 'drop';
    const error = unknownFunction(call);
    return finish({ kind, reason: 'unknown-function', ...call, error });
  }

  const args = decode(settings, entry, envelope);
  if (!Array.isArray(args)) return finish({ ...args, ...call });

  const { idempotency } = settings;
  if (idempotency === undefined) {
    return runEntry(settings, entry, args, envelope, attempt, finish);
  }
  const run = () =>
    runEntry(settings, entry, args, envelope, attempt, (verdict) => verdict);
  const claimed = { ...call, attempt, timeout: entry.options.timeout };
  return runClaimed(idempotency, claimed, settings.logger, run).then(
    (verdict) => finish({ ...verdict, ...call }),
    (error: unknown) => finish(bugGuard(error, envelope)),
  );
}

function callIds(envelope: Envelope): CallIds {
  return { callId: envelope.callId, functionName: envelope.functionName };
}

/** Runs the body and hands its verdict, with the call's ids, to `then`. */
function runEntry<T>(
  settings: ExecutionSettings,
  entry: RegisteredFunction,
  args: unknown[],
  envelope: Envelope,
  attempt: number,
  then: (verdict: Verdict) => T,
): Promise<Awaited<T>> {
  const { callId, functionName } = envelope;
  return runBody(entry, args, envelope, attempt, (failure) => {
    if (failure === undefined) {
      return then({ kind: 'done', reason: 'completed', callId, functionName });
    }
    const maxAttempts = entry.options.maxAttempts ?? settings.maxAttempts;
    const verdict = judgeFailure(failure.error, attempt, maxAttempts);
    return then({ ...verdict, callId, functionName });
  }) as Promise<Awaited<T>>;
}

/** Permanent errors and the last attempt drop; anything else retries. */
function judgeFailure(
  error: unknown,
  attempt: number,
  maxAttempts: number,
): Verdict {
  if (isPermanentError(error))
    return { kind: 'drop', reason: 'permanent', error };
  if (attempt >= maxAttempts)
    return { kind: 'drop', reason: 'exhausted', error };
  return { kind: 'retry', reason: 'failed', error };
}

/** Verifies the frame's signature, then decodes its envelope. */
function open(
  settings: ExecutionSettings,
  frame: Uint8Array,
): Envelope | Verdict {
  let keyRing: KeyRing | undefined;
  try {
    keyRing = settings.keyRing();
  } catch (error) {
    return noKey(error);
  }
  if (keyRing === undefined) return noKey(undefined);

  try {
    return openFrame(frame, keyRing);
  } catch (error) {
    const reason = isDispatchError(error, 'BAD_SIGNATURE')
      ? 'bad-signature'
      : 'malformed';
    return { kind: 'drop', reason, error };
  }
}

function decode(
  settings: ExecutionSettings,
  entry: RegisteredFunction,
  envelope: Envelope,
): unknown[] | Verdict {
  try {
    return decodeArguments(envelope, {
      codecs: settings.codecsFor(entry),
      ...(settings.maxUncompressedBytes === undefined
        ? {}
        : { maxUncompressedBytes: settings.maxUncompressedBytes }),
    });
  } catch (error) {
    const reason = isDispatchError(error, 'PAYLOAD_TOO_LARGE')
      ? 'too-large'
      : 'malformed';
    return { kind: 'drop', reason, error };
  }
}

function isExpired(envelope: Envelope): boolean {
  return (
    envelope.expiresAt !== undefined &&
    envelope.expiresAt.getTime() < Date.now()
  );
}

interface CallIds {
  callId: string;
  functionName: string;
}

function expired(call: CallIds): DispatchError {
  return new DispatchError(
    'EXPIRED',
    `execute ${call.functionName}: call ${call.callId} expired before ` +
      'it could run',
    call,
  );
}

function unknownFunction(call: CallIds): DispatchError {
  return new DispatchError(
    'UNKNOWN_FUNCTION',
    `execute: no function named "${call.functionName}" is registered ` +
      `here (call ${call.callId}); is the worker running older code?`,
    call,
  );
}

function noKey(cause: unknown): Verdict {
  const problem =
    cause === undefined ? 'no signing key is' : 'the signing keys are not';
  const error = new DispatchError(
    'NO_SIGNING_KEY',
    `execute: ${problem} configured, so no frame can be verified; ` +
      'set DISPATCH_SIGNING_KEYS or the `signing` option',
    { cause },
  );
  // Retry: the frame is fine, the worker is misconfigured.
  return { kind: 'retry', reason: 'no-signing-key', error };
}
