import type {
  ClaimOptions,
  ClaimResult,
  CompleteOptions,
  IdempotencyStore,
  ReleaseOptions,
} from './idempotency.ts';

/** An {@link IdempotencyStore} held in this process's memory. */
export interface MemoryIdempotencyStore extends IdempotencyStore {
  /** Records held, live or not yet pruned. */
  readonly size: number;
  /** Deletes every record past its end; returns how many went. */
  prune(): number;
}

interface CallRecord {
  state: 'running' | 'completed';
  owner: string;
  /** Lease end of a running record, retention end of a completed one. */
  endsAt: number;
}

// Records past their end are deleted by a sweep at most this often.
const PRUNE_INTERVAL_MS = 60_000;

/**
 * Creates an idempotency store in memory: deliveries reaching one process
 * run once. Deliveries spread over several processes or instances need a
 * shared store (SQLite, Firestore, Redis).
 *
 * @example
 * const dispatcher = createDispatcher({
 *   idempotency: createMemoryIdempotencyStore(),
 * });
 */
export function createMemoryIdempotencyStore(): MemoryIdempotencyStore {
  const records = new Map<string, CallRecord>();
  let nextPruneAt = Date.now() + PRUNE_INTERVAL_MS;

  const prune = (): number => {
    const now = Date.now();
    nextPruneAt = now + PRUNE_INTERVAL_MS;
    let pruned = 0;
    for (const [callId, record] of records) {
      if (record.endsAt <= now) {
        records.delete(callId);
        pruned += 1;
      }
    }
    return pruned;
  };

  // Each method runs to completion without awaiting, which makes it atomic.
  const claim = (callId: string, options: ClaimOptions): ClaimResult => {
    const now = Date.now();
    if (now >= nextPruneAt) prune();
    const record = records.get(callId);
    if (record !== undefined && record.endsAt > now) {
      return record.state === 'completed' ? 'completed' : 'busy';
    }
    const endsAt = now + options.leaseMs;
    records.set(callId, { state: 'running', owner: options.owner, endsAt });
    return 'claimed';
  };

  const complete = (callId: string, options: CompleteOptions): void => {
    const endsAt = Date.now() + options.retainMs;
    records.set(callId, { state: 'completed', owner: options.owner, endsAt });
  };

  const release = (callId: string, options: ReleaseOptions): void => {
    const record = records.get(callId);
    if (record?.state === 'running' && record.owner === options.owner) {
      records.delete(callId);
    }
  };

  return {
    get size() {
      return records.size;
    },
    prune,
    claim: async (callId, options) => claim(callId, options),
    complete: async (callId, options) => complete(callId, options),
    release: async (callId, options) => release(callId, options),
  };
}
