import { DatabaseSync } from 'node:sqlite';

/** Environment variable naming the ledger file of a fault-test worker. */
export const LEDGER_PATH_ENV = 'FAULT_LEDGER_PATH';

/** One step of a body, as the ledger records it. */
export type LedgerPhase = 'started' | 'applied';

/** What the ledger holds, by call id. */
export interface LedgerSummary {
  /** Rows with phase `applied`, by call id. */
  readonly applied: ReadonlyMap<string, number>;
  /** Calls started by `pid` that it did not apply (cut off by a kill). */
  cutOff(pid: number): number;
  /** Every applied row. */
  readonly appliedRows: number;
}

/**
 * Opens (and creates) the ledger: a SQLite file in WAL mode where fault
 * test bodies record each run, so a test can count executions per call
 * across worker processes, including killed ones.
 */
export function openLedger(path: string): DatabaseSync {
  const database = new DatabaseSync(path);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA busy_timeout = 10000');
  database.exec(
    `CREATE TABLE IF NOT EXISTS ledger (
       call_id TEXT NOT NULL,
       label TEXT NOT NULL,
       phase TEXT NOT NULL,
       pid INTEGER NOT NULL,
       at INTEGER NOT NULL
     )`,
  );
  return database;
}

/** Appends one row (its own write transaction). */
export function record(
  database: DatabaseSync,
  phase: LedgerPhase,
  callId: string,
  label: string,
): void {
  database
    .prepare(
      'INSERT INTO ledger (call_id, label, phase, pid, at) VALUES (?, ?, ?, ?, ?)',
    )
    .run(callId, label, phase, process.pid, Date.now());
}

interface LedgerRow {
  call_id: string;
  phase: string;
  pid: number;
}

/** Reads the whole ledger. */
export function summarize(database: DatabaseSync): LedgerSummary {
  const rows = database
    .prepare('SELECT call_id, phase, pid FROM ledger')
    .all() as unknown as LedgerRow[];

  const applied = new Map<string, number>();
  let appliedRows = 0;
  for (const row of rows) {
    if (row.phase !== 'applied') continue;
    applied.set(row.call_id, (applied.get(row.call_id) ?? 0) + 1);
    appliedRows += 1;
  }

  const cutOff = (pid: number) => {
    const mine = rows.filter((row) => row.pid === pid);
    const done = new Set(
      mine.filter((row) => row.phase === 'applied').map((row) => row.call_id),
    );
    const started = mine.filter((row) => row.phase === 'started');
    return started.filter((row) => !done.has(row.call_id)).length;
  };
  return { applied, cutOff, appliedRows };
}
