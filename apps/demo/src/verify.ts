import type { DatabaseSync } from 'node:sqlite';

/**
 * Checks the database after a run; returns one sentence per problem, so an
 * empty list means every related item carries the update time and every
 * call's work was applied exactly once.
 */
export function verifyDatabase(
  database: DatabaseSync,
  updateId: string,
  updateTime: Date,
  userCount: number,
): string[] {
  const problems: string[] = [];
  const expected = updateTime.toISOString();

  const stale = database
    .prepare(
      'SELECT COUNT(*) AS n FROM related_items WHERE last_updated IS NOT ?',
    )
    .get(expected) as { n: number };
  if (stale.n > 0) {
    problems.push(`${stale.n} related items do not carry ${expected}`);
  }

  const applied = database
    .prepare(
      'SELECT COUNT(*) AS users FROM applied_updates WHERE update_id = ?',
    )
    .get(updateId) as { users: number };
  if (applied.users !== userCount) {
    problems.push(`${userCount - applied.users} users were never updated`);
  }

  const repeated = database
    .prepare('SELECT COUNT(*) AS n FROM related_items WHERE update_count > 1')
    .get() as { n: number };
  if (repeated.n > 0) {
    problems.push(`${repeated.n} related items were updated more than once`);
  }
  return problems;
}

/** Calls that reached the worker more than once (retries included). */
export function countRedelivered(database: DatabaseSync): number {
  const row = database
    .prepare(`
      SELECT COUNT(*) AS n FROM (
        SELECT user_id FROM deliveries
        GROUP BY user_id, update_id HAVING COUNT(*) > 1
      )`)
    .get() as { n: number };
  return row.n;
}
