import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDispatchError } from '@cloud-functions-dispatch/core';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import {
  createSqliteIdempotencyStore,
  type SqliteIdempotencyStore,
} from './sqlite-idempotency-store.ts';

const HOUR = 3_600_000;
const folder = mkdtempSync(join(tmpdir(), 'idempotency-sqlite-'));
let files = 0;
const open: Array<{ close(): unknown }> = [];
const spare = new DatabaseSync(':memory:');

/** A store on a new file in the test folder. */
function createStore(
  options: { path?: string; pruneIntervalMs?: number } = {},
): SqliteIdempotencyStore {
  files += 1;
  const path = options.path ?? join(folder, `store-${files}.db`);
  const store = createSqliteIdempotencyStore({ ...options, path });
  open.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

afterAll(() => {
  spare.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('createSqliteIdempotencyStore', () => {
  test('claims a new call, then answers busy while the lease holds', async () => {
    const store = createStore();

    const first = await store.claim('c1', { leaseMs: HOUR, owner: 'a' });
    const second = await store.claim('c1', { leaseMs: HOUR, owner: 'b' });

    expect([first, second]).toEqual(['claimed', 'busy']);
  });

  test('keeps a completed call completed, past its lease and across reopening', async () => {
    const path = join(folder, 'reopened.db');
    const before = createStore({ path });
    await before.claim('c1', { leaseMs: 1, owner: 'a' });
    await before.complete('c1', { retainMs: HOUR, owner: 'a' });
    await before.release('c1', { owner: 'a' });
    await before.close();
    await sleep(5);

    const after = createStore({ path });

    expect(await after.claim('c1', { leaseMs: HOUR, owner: 'b' })).toBe(
      'completed',
    );
  });

  test('lets a new claim in once the lease ended', async () => {
    const store = createStore();
    await store.claim('c1', { leaseMs: 1, owner: 'dead' });
    await sleep(5);

    expect(await store.claim('c1', { leaseMs: HOUR, owner: 'b' })).toBe(
      'claimed',
    );
  });

  test('release frees the claim of its owner only', async () => {
    const store = createStore();
    await store.claim('c1', { leaseMs: HOUR, owner: 'a' });

    await store.release('c1', { owner: 'late' });
    const whileHeld = await store.claim('c1', { leaseMs: HOUR, owner: 'b' });
    await store.release('c1', { owner: 'a' });
    const afterRelease = await store.claim('c1', { leaseMs: HOUR, owner: 'b' });

    expect([whileHeld, afterRelease]).toEqual(['busy', 'claimed']);
  });

  test('shares claims between connections to one file', async () => {
    const path = join(folder, 'shared.db');
    const one = createStore({ path });
    const two = createStore({ path });

    await one.claim('c1', { leaseMs: HOUR, owner: 'a' });
    await two.claim('c2', { leaseMs: HOUR, owner: 'b' });
    await two.complete('c2', { retainMs: HOUR, owner: 'b' });

    expect(await two.claim('c1', { leaseMs: HOUR, owner: 'b' })).toBe('busy');
    expect(await one.claim('c2', { leaseMs: HOUR, owner: 'a' })).toBe(
      'completed',
    );
  });

  test('prunes records past their end, on demand and while claiming', async () => {
    const manual = createStore({ pruneIntervalMs: 0 });
    const swept = createStore({ pruneIntervalMs: 1 });
    for (const store of [manual, swept]) {
      await store.claim('old', { leaseMs: HOUR, owner: 'a' });
      await store.complete('old', { retainMs: 1, owner: 'a' });
      await store.claim('live', { leaseMs: HOUR, owner: 'a' });
    }
    await sleep(5);

    const pruned = await manual.prune();
    await swept.claim('new', { leaseMs: HOUR, owner: 'a' });

    expect(pruned).toBe(1);
    expect(callIds(manual.database)).toEqual(['live']);
    expect(callIds(swept.database)).toEqual(['live', 'new']);
  });

  test('opens its file in WAL mode', () => {
    const store = createStore();
    const mode = store.database.prepare('PRAGMA journal_mode').get();
    expect(mode).toEqual({ journal_mode: 'wal' });
  });

  test('uses a given database and table, and leaves the database open', async () => {
    const database = new DatabaseSync(':memory:');
    const store = createSqliteIdempotencyStore({ database, table: 'calls' });

    await store.claim('c1', { leaseMs: HOUR, owner: 'a' });
    await store.close();

    expect(database.isOpen).toBe(true);
    expect(callIds(database, 'calls')).toEqual(['c1']);
    database.close();
  });

  test.each([
    [{}, 'path'],
    [{ path: 'x.db', database: spare }, 'path'],
    [{ path: 'x.db', table: 'drop table' }, 'table'],
    [{ path: 'x.db', busyTimeoutMs: -1 }, 'busyTimeoutMs'],
    [{ path: 'x.db', pruneBatchSize: 0 }, 'pruneBatchSize'],
  ])('refuses options %o naming "%s"', (options, option) => {
    let error: unknown;
    try {
      createSqliteIdempotencyStore(options);
    } catch (thrown) {
      error = thrown;
    }
    expect(isDispatchError(error, 'INVALID_OPTIONS')).toBe(true);
    expect((error as Error).message).toContain(`"${option}"`);
  });
});

function callIds(database: DatabaseSync, table = 'dispatch_idempotency') {
  const rows = database
    .prepare(`SELECT call_id FROM "${table}" ORDER BY call_id`)
    .all() as Array<{ call_id: string }>;
  return rows.map((row) => row.call_id);
}
