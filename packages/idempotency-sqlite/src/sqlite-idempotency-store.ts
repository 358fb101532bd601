import { DatabaseSync } from 'node:sqlite';
import {
  type ClaimOptions,
  type ClaimResult,
  DispatchError,
  type IdempotencyStore,
} from '@cloud-functions-dispatch/core';
import { retryWhileBusy } from './busy-retry.ts';
import {
  type ResolvedOptions,
  resolveOptions,
  type SqliteIdempotencyStoreOptions,
} from './options.ts';
import { prepareStatements, type Statements } from './statements.ts';

/** An {@link IdempotencyStore} in a SQLite table. */
export interface SqliteIdempotencyStore extends IdempotencyStore {
  /** The connection the store uses. */
  readonly database: DatabaseSync;
  /** Deletes every record past its end; resolves with how many went. */
  prune(): Promise<number>;
  /** Closes the database when the store opened it (`path`). */
  close(): Promise<void>;
}

// A record can end or be released between the claim and the read that
// explains a refused claim; then the claim is simply tried again.
const CLAIM_TRIES = 5;

/**
 * Creates an idempotency store in a SQLite database through `node:sqlite`
 * (Node.js 22.13 or later, no native build). Processes on one machine
 * that open the same file share it; claims are atomic across them.
 *
 * @example
 * const store = createSqliteIdempotencyStore({ path: 'dispatch.db' });
 * const dispatcher = createDispatcher({ idempotency: store });
 * // ...
 * await store.close();
 */
export function createSqliteIdempotencyStore(
  options: SqliteIdempotencyStoreOptions,
): SqliteIdempotencyStore {
  const resolved = resolveOptions(options);
  const database = resolved.database ?? open(resolved);
  const statements = retryWhileBusy(
    () => prepareStatements(database, resolved.table),
    resolved.busyTimeoutMs,
  );
  let nextPruneAt = Date.now() + resolved.pruneIntervalMs;

  const sweep = (now: number): void => {
    if (resolved.pruneIntervalMs === 0 || now < nextPruneAt) return;
    nextPruneAt = now + resolved.pruneIntervalMs;
    statements.prune.run({ now, limit: resolved.pruneBatchSize });
  };

  return {
    database,
    async claim(callId, claimOptions) {
      sweep(Date.now());
      return claim(statements, callId, claimOptions);
    },
    async complete(callId, { retainMs, owner }) {
      const endsAt = Date.now() + retainMs;
      statements.complete.run({ callId, owner, endsAt });
    },
    async release(callId, { owner }) {
      statements.release.run({ callId, owner });
    },
    async prune() {
      return pruneAll(statements, resolved.pruneBatchSize);
    },
    async close() {
      if (resolved.database === undefined && database.isOpen) {
        database.close();
      }
    },
  };
}

function open(options: ResolvedOptions): DatabaseSync {
  const database = new DatabaseSync(options.path ?? '', {
    timeout: options.busyTimeoutMs,
  });
  try {
    retryWhileBusy(
      () => database.exec('PRAGMA journal_mode = WAL'),
      options.busyTimeoutMs,
    );
    database.exec('PRAGMA synchronous = NORMAL');
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

function claim(
  statements: Statements,
  callId: string,
  options: ClaimOptions,
): ClaimResult {
  for (let tries = 0; tries < CLAIM_TRIES; tries += 1) {
    const now = Date.now();
    const endsAt = now + options.leaseMs;
    const owner = options.owner;
    const written = statements.claim.get({ callId, owner, endsAt, now });
    if (written !== undefined) return 'claimed';

    const record = statements.peek.get({ callId }) as
      | { state: string; ends_at: number }
      | undefined;
    if (record !== undefined && record.ends_at > Date.now()) {
      return record.state === 'completed' ? 'completed' : 'busy';
    }
  }
  throw new DispatchError(
    'IDEMPOTENCY_FAILED',
    `sqlite idempotency store: claim of call ${callId} found its record ` +
      `changing under it ${CLAIM_TRIES} times`,
    { callId },
  );
}

function pruneAll(statements: Statements, batchSize: number): number {
  const now = Date.now();
  let pruned = 0;
  for (;;) {
    const { changes } = statements.prune.run({ now, limit: batchSize });
    pruned += Number(changes);
    if (Number(changes) < batchSize) return pruned;
  }
}
