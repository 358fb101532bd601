import type { DatabaseSync } from 'node:sqlite';
import { DispatchError } from '@cloud-functions-dispatch/core';

/** Options of {@link createSqliteIdempotencyStore}; give `path` or `database`. */
export interface SqliteIdempotencyStoreOptions {
  /**
   * Database file, created when missing. The store opens it in WAL mode
   * with `synchronous = NORMAL` and closes it in `close()`.
   */
  path?: string;
  /**
   * An open `DatabaseSync` to keep the table in. Its pragmas are left as
   * they are (set `journal_mode = WAL` and a busy timeout yourself), and
   * `close()` leaves it open.
   */
  database?: DatabaseSync;
  /**
   * Table name: letters, digits and `_`, not starting with a digit.
   * Default `dispatch_idempotency`.
   */
  table?: string;
  /**
   * Milliseconds a statement waits for another connection's write lock
   * before failing with `SQLITE_BUSY`. Only with `path`. Default 5,000.
   * `node:sqlite` is synchronous: the wait blocks this thread.
   */
  busyTimeoutMs?: number;
  /**
   * Milliseconds between automatic sweeps of records past their end, made
   * by `claim`; each sweep deletes at most `pruneBatchSize` rows. `0`
   * turns the sweeps off (call `prune()` yourself). Default 60,000.
   */
  pruneIntervalMs?: number;
  /** Rows one automatic sweep deletes at most. Default 1,000. */
  pruneBatchSize?: number;
}

/** The options with every default filled in. */
export interface ResolvedOptions {
  path: string | undefined;
  database: DatabaseSync | undefined;
  table: string;
  busyTimeoutMs: number;
  pruneIntervalMs: number;
  pruneBatchSize: number;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks the options; throws `INVALID_OPTIONS` naming the option. */
export function resolveOptions(
  options: SqliteIdempotencyStoreOptions,
): ResolvedOptions {
  const { path, database } = options;
  if ((path === undefined) === (database === undefined)) {
    invalid('path', 'given, or else "database" (exactly one of them)');
  }
  if (path !== undefined && (typeof path !== 'string' || path === '')) {
    invalid('path', 'a non-empty string');
  }
  const table = options.table ?? 'dispatch_idempotency';
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    invalid('table', 'letters, digits and _, not starting with a digit');
  }

  return {
    path,
    database,
    table,
    busyTimeoutMs: count(options.busyTimeoutMs, 5_000, 'busyTimeoutMs'),
    pruneIntervalMs: count(options.pruneIntervalMs, 60_000, 'pruneIntervalMs'),
    pruneBatchSize: count(options.pruneBatchSize, 1_000, 'pruneBatchSize', 1),
  };
}

function count(
  value: number | undefined,
  fallback: number,
  option: string,
  minimum = 0,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < minimum) {
    invalid(option, `an integer >= ${minimum}`);
  }
  return value;
}

function invalid(option: string, expected: string): never {
  throw new DispatchError(
    'INVALID_OPTIONS',
    `createSqliteIdempotencyStore: option "${option}" must be ${expected}`,
  );
}
