import { randomUUID } from 'node:crypto';
import { DispatchError } from './errors.ts';
import {
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  DEFAULT_IDEMPOTENCY_RETAIN_MS,
  IDEMPOTENCY_LEASE_MARGIN_MS,
  type IdempotencyOptions,
  type IdempotencyStore,
} from './idempotency.ts';
import type { Logger } from './logger.ts';
import type { ExecutionOutcome } from './outcome.ts';

type Verdict = Omit<ExecutionOutcome, 'attempt'>;

/** The call about to run, as the store and the logs need it. */
export interface ClaimedCall {
  readonly callId: string;
  readonly functionName: string;
  readonly attempt: number;
  /** The function's `timeout` in ms, which sets the default lease. */
  readonly timeout: number | undefined;
}

/**
 * Runs `run` only if this delivery claims the call in the store. A
 * completed call answers `done` (`duplicate`); a call another delivery
 * holds, or a store that fails, answers `retry`: the body never runs
 * unclaimed.
 */
export async function runClaimed(
  idempotency: IdempotencyOptions,
  call: ClaimedCall,
  logger: Logger,
  run: () => Promise<Verdict>,
): Promise<Verdict> {
  const { store } = idempotency;
  const owner = randomUUID();
  const leaseMs = leaseFor(idempotency, call.timeout);
  const claimed = await claim(store, call, { leaseMs, owner });
  if (claimed !== undefined) return claimed;

  const verdict = await run();

  try {
    if (verdict.kind === 'done') {
      const retainMs = idempotency.retainMs ?? DEFAULT_IDEMPOTENCY_RETAIN_MS;
      await store.complete(call.callId, { retainMs, owner });
    } else {
      await store.release(call.callId, { owner });
    }
  } catch (error) {
    // The body's verdict stands: answering `retry` after a finished body
    // would run it again once the lease ends.
    const step = verdict.kind === 'done' ? 'complete' : 'release';
    logger.error(`${call.functionName} idempotency store failed`, {
      callId: call.callId,
      functionName: call.functionName,
      attempt: call.attempt,
      error: storeFailed(step, call, error),
    });
  }
  return verdict;
}

/** Resolves `undefined` once claimed, else the verdict to answer with. */
async function claim(
  store: IdempotencyStore,
  call: ClaimedCall,
  options: { leaseMs: number; owner: string },
): Promise<Verdict | undefined> {
  let result: unknown;
  try {
    result = await store.claim(call.callId, options);
  } catch (error) {
    const failure = storeFailed('claim', call, error);
    return { kind: 'retry', reason: 'idempotency-failed', error: failure };
  }

  if (result === 'claimed') return undefined;
  if (result === 'completed') return { kind: 'done', reason: 'duplicate' };
  // Acknowledging here could lose the call if the holder crashes.
  if (result === 'busy') return { kind: 'retry', reason: 'in-progress' };
  const error = storeFailed('claim', call, new Error(`returned ${result}`));
  return { kind: 'retry', reason: 'idempotency-failed', error };
}

function leaseFor(
  idempotency: IdempotencyOptions,
  timeout: number | undefined,
): number {
  if (idempotency.leaseMs !== undefined) return idempotency.leaseMs;
  if (timeout === undefined) return DEFAULT_IDEMPOTENCY_LEASE_MS;
  return timeout + IDEMPOTENCY_LEASE_MARGIN_MS;
}

function storeFailed(
  step: 'claim' | 'complete' | 'release',
  call: ClaimedCall,
  cause: unknown,
): DispatchError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DispatchError(
    'IDEMPOTENCY_FAILED',
    `execute ${call.functionName}: the idempotency store failed to ` +
      `${step} call ${call.callId} (${reason})`,
    { functionName: call.functionName, callId: call.callId, cause },
  );
}
