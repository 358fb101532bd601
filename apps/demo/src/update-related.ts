import { dispatch } from '@cloud-functions-dispatch/core';
import { inTransaction, openDatabase, type User } from './database.ts';
import { drawFor } from './random.ts';

/** What the application knows when it saves a batch of users. */
export interface UpdateContext {
  /** Identifies this save, so a redelivered call is applied once. */
  updateId: string;
  updateTime: Date;
}

/** The worker's knobs, read from its environment. */
function workerSettings() {
  return {
    databasePath: process.env.DEMO_DATABASE ?? 'demo.sqlite',
    failRate: Number(process.env.DEMO_FAIL_RATE ?? 0),
    seed: Number(process.env.DEMO_SEED ?? 1),
  };
}

let database: ReturnType<typeof openDatabase> | undefined;

/**
 * The seed's example: stamp every related item of one user with the
 * update time. Dispatched, so the caller never waits for it.
 */
export const updateRelated = dispatch(
  'updateRelated',
  async (user: User, context: UpdateContext) => {
    const settings = workerSettings();
    database ??= openDatabase(settings.databasePath);
    const db = database;

    const earlier = db
      .prepare(
        'SELECT COUNT(*) AS n FROM deliveries WHERE user_id = ? AND update_id = ?',
      )
      .get(user.id, context.updateId) as { n: number };
    const failNow =
      earlier.n === 0 && drawFor(settings.seed, user.id) < settings.failRate;
    db.prepare(
      'INSERT INTO deliveries (user_id, update_id, failed, at_ms) VALUES (?, ?, ?, ?)',
    ).run(user.id, context.updateId, failNow ? 1 : 0, Date.now());
    if (failNow) throw new Error(`simulated failure for user ${user.id}`);

    inTransaction(db, () => applyUpdate(db, user, context));
  },
);

function applyUpdate(
  db: NonNullable<typeof database>,
  user: User,
  context: UpdateContext,
): void {
  const claim = db
    .prepare(
      'INSERT OR IGNORE INTO applied_updates (user_id, update_id, applied_at_ms) VALUES (?, ?, ?)',
    )
    .run(user.id, context.updateId, Date.now());
  // A redelivered call finds its claim and leaves the items alone.
  if (claim.changes === 0) return;

  db.prepare(
    'UPDATE related_items SET last_updated = ?, update_count = update_count + 1 WHERE user_id = ?',
  ).run(context.updateTime.toISOString(), user.id);
}
