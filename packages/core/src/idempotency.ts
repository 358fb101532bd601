/** What {@link IdempotencyStore.claim} found for a call id. */
export type ClaimResult = 'claimed' | 'completed' | 'busy';

/** Options of {@link IdempotencyStore.claim}. */
export interface ClaimOptions {
  /**
   * Milliseconds the claim holds. Past it, the holder is presumed dead
   * and the next claim of the call id succeeds.
   */
  leaseMs: number;
  /**
   * A random id of this attempt. `release` with another owner leaves the
   * claim alone, so an attempt that outlived its lease cannot free the
   * claim a later attempt holds.
   */
  owner: string;
}

/** Options of {@link IdempotencyStore.complete}. */
export interface CompleteOptions {
  /** Milliseconds to remember the call as completed; then it may be pruned. */
  retainMs: number;
  /** The owner given to `claim`. */
  owner: string;
}

/** Options of {@link IdempotencyStore.release}. */
export interface ReleaseOptions {
  /** The owner given to `claim`; a claim held by another owner stays. */
  owner: string;
}

/**
 * Remembers which calls ran, so a call delivered twice runs once. Back it
 * with anything that has an atomic conditional write (SQLite, Firestore
 * transactions, Redis `SET NX PX` plus a script).
 *
 * Records are keyed by call id. A record is either running (with an owner
 * and a lease end) or completed (with a retention end). A record past its
 * end is as good as absent.
 */
export interface IdempotencyStore {
  /**
   * Atomically: when there is no live record, writes a running record for
   * `owner` until `leaseMs` from now and resolves `'claimed'`; else
   * resolves `'completed'` or `'busy'` (another owner's live lease). Two
   * concurrent claims of one call id never both resolve `'claimed'`.
   */
  claim(callId: string, options: ClaimOptions): Promise<ClaimResult>;
  /**
   * Marks the call completed for `retainMs` from now, whoever holds the
   * claim: the body did finish.
   */
  complete(callId: string, options: CompleteOptions): Promise<void>;
  /**
   * Deletes the running record of `owner` after a failed attempt, so a
   * retry can claim at once. Leaves a completed record or another owner's
   * claim alone.
   */
  release(callId: string, options: ReleaseOptions): Promise<void>;
}

/** The `idempotency` option of a dispatcher, when tuned. */
export interface IdempotencyOptions {
  store: IdempotencyStore;
  /**
   * Milliseconds a claim holds before another delivery may take over.
   * Default: the function's `timeout` plus
   * {@link IDEMPOTENCY_LEASE_MARGIN_MS}, or
   * {@link DEFAULT_IDEMPOTENCY_LEASE_MS} for functions without one.
   */
  leaseMs?: number;
  /**
   * Milliseconds a completed call is remembered. Default
   * {@link DEFAULT_IDEMPOTENCY_RETAIN_MS} (7 days, Pub/Sub's longest
   * message retention on a subscription).
   */
  retainMs?: number;
}

/** Lease of a function without `timeout`: 10 minutes, in ms. */
export const DEFAULT_IDEMPOTENCY_LEASE_MS: number = 10 * 60_000;

/** Added to a function's `timeout` to make its lease: 30 s, in ms. */
export const IDEMPOTENCY_LEASE_MARGIN_MS = 30_000;

/** How long completed calls are remembered: 7 days, in ms. */
export const DEFAULT_IDEMPOTENCY_RETAIN_MS: number = 7 * 24 * 60 * 60_000;

/** True when `value` has the three methods of an {@link IdempotencyStore}. */
export function isIdempotencyStore(value: unknown): value is IdempotencyStore {
  const store = value as Partial<Record<keyof IdempotencyStore, unknown>>;
  if (typeof store !== 'object' || store === null) return false;
  const methods = ['claim', 'complete', 'release'] as const;
  return methods.every((method) => typeof store[method] === 'function');
}
