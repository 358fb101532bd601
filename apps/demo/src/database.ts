import { DatabaseSync } from 'node:sqlite';

/** One user row, as the application saves it. */
export interface User {
  id: number;
  name: string;
  email: string;
}

const schema = `
  CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS related_items (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    last_updated TEXT,
    update_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS related_items_by_user
    ON related_items (user_id);
  CREATE TABLE IF NOT EXISTS applied_updates (
    user_id INTEGER NOT NULL,
    update_id TEXT NOT NULL,
    applied_at_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, update_id)
  );
  CREATE TABLE IF NOT EXISTS deliveries (
    user_id INTEGER NOT NULL,
    update_id TEXT NOT NULL,
    failed INTEGER NOT NULL,
    at_ms INTEGER NOT NULL
  );
`;

/**
 * Opens the demo database shared by the caller and the worker. WAL lets
 * both processes read while one writes; the busy timeout makes a writer
 * wait for the other instead of failing.
 */
export function openDatabase(path: string): DatabaseSync {
  const database = new DatabaseSync(path);
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA busy_timeout = 10000');
  database.exec('PRAGMA synchronous = NORMAL');
  database.exec(schema);
  return database;
}

/** Runs `work` in one write transaction, rolled back if it throws. */
export function inTransaction<T>(database: DatabaseSync, work: () => T): T {
  database.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}
