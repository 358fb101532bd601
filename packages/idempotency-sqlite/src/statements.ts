import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** The prepared statements of one store, on one table. */
export interface Statements {
  /** Inserts a running record, or takes over one past its end. */
  readonly claim: StatementSync;
  /** Reads a record's state and end. */
  readonly peek: StatementSync;
  readonly complete: StatementSync;
  readonly release: StatementSync;
  /** Deletes up to `:limit` records past their end. */
  readonly prune: StatementSync;
}

/**
 * Creates the table (once) and prepares the statements. A record is
 * `running` until `ends_at` (its lease) or `completed` until `ends_at`
 * (its retention); past `ends_at` it counts as absent.
 */
export function prepareStatements(
  database: DatabaseSync,
  table: string,
): Statements {
  const name = `"${table}"`;
  database.exec(
    `CREATE TABLE IF NOT EXISTS ${name} (
      call_id TEXT PRIMARY KEY NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('running', 'completed')),
      owner TEXT NOT NULL,
      ends_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS "${table}_ends_at" ON ${name} (ends_at);`,
  );

  // One statement, so claiming is atomic across connections: the update
  // happens only when the existing record has ended, and RETURNING tells
  // whether a row was written.
  const claim = database.prepare(
    `INSERT INTO ${name} (call_id, state, owner, ends_at)
     VALUES (:callId, 'running', :owner, :endsAt)
     ON CONFLICT (call_id) DO UPDATE SET
       state = 'running', owner = excluded.owner, ends_at = excluded.ends_at
     WHERE ${name}.ends_at <= :now
     RETURNING call_id`,
  );
  const peek = database.prepare(
    `SELECT state, ends_at FROM ${name} WHERE call_id = :callId`,
  );
  const complete = database.prepare(
    `INSERT INTO ${name} (call_id, state, owner, ends_at)
     VALUES (:callId, 'completed', :owner, :endsAt)
     ON CONFLICT (call_id) DO UPDATE SET
       state = 'completed', owner = excluded.owner, ends_at = excluded.ends_at`,
  );
  const release = database.prepare(
    `DELETE FROM ${name}
     WHERE call_id = :callId AND state = 'running' AND owner = :owner`,
  );
  const prune = database.prepare(
    `DELETE FROM ${name} WHERE call_id IN (
       SELECT call_id FROM ${name} WHERE ends_at <= :now LIMIT :limit
     )`,
  );
  return { claim, peek, complete, release, prune };
}
