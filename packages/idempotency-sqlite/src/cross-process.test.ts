import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ProcessGroup,
  startProcessGroup,
  waitUntil,
} from '@cloud-functions-dispatch/testing';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createSqliteIdempotencyStore } from './sqlite-idempotency-store.ts';

const FIXTURE = fileURLToPath(
  new URL('./fixtures/claim-calls.ts', import.meta.url),
);
const CALLS = 10_000;
const HOUR = 3_600_000;

const folder = mkdtempSync(join(tmpdir(), 'idempotency-sqlite-'));
const groups: ProcessGroup[] = [];

afterEach(async () => {
  await Promise.all(groups.splice(0).map((group) => group.stop()));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

function startClaimer(job: Record<string, unknown>): ProcessGroup {
  const group = startProcessGroup({
    command: process.execPath,
    args: [FIXTURE, JSON.stringify(job)],
  });
  groups.push(group);
  return group;
}

/** Waits for `path` to appear; fails early if `group` exits first. */
async function waitForFile(path: string, group: ProcessGroup): Promise<void> {
  const appeared = await waitUntil(
    () => {
      if (group.hasExited() && !existsSync(path)) {
        throw new Error(`claimer exited early:\n${group.output()}`);
      }
      return existsSync(path);
    },
    { timeoutMs: 20_000, intervalMs: 10 },
  );
  if (!appeared) throw new Error(`${path} never appeared`);
}

describe('two processes on one SQLite file', () => {
  test('never both claim a call, over thousands of concurrent claims', async () => {
    // A claim made of a read and a separate write fails this test within
    // a few thousand calls: both racers walk the calls in the same order.
    const path = join(folder, 'race.db');
    const goPath = join(folder, 'go');
    const claimers = ['a', 'b'].map((name) => {
      const files = {
        readyPath: join(folder, `${name}.ready`),
        outPath: join(folder, `${name}.json`),
      };
      const job = { mode: 'race', path, count: CALLS, leaseMs: HOUR, goPath };
      return { ...files, group: startClaimer({ ...job, ...files }) };
    });

    for (const { readyPath, group } of claimers) {
      await waitForFile(readyPath, group);
    }
    await writeFile(goPath, '');
    const exits = await Promise.all(claimers.map(({ group }) => group.exited));

    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    const [a, b] = claimers.map(
      ({ outPath }) => new Set(JSON.parse(readFileSync(outPath, 'utf8'))),
    );
    const both = [...(a ?? [])].filter((index) => b?.has(index));
    expect(both).toEqual([]);
    expect((a?.size ?? 0) + (b?.size ?? 0)).toBe(CALLS);
  });

  test('lets a new claim in once the lease of a killed worker ends', async () => {
    const path = join(folder, 'killed.db');
    const readyPath = join(folder, 'holder.ready');
    const holder = startClaimer({
      mode: 'hold',
      path,
      leaseMs: 1_000,
      readyPath,
    });
    await waitForFile(readyPath, holder);
    await holder.stop();
    const store = createSqliteIdempotencyStore({ path });
    const claim = () => store.claim('call-0', { leaseMs: HOUR, owner: 'me' });

    const whileLeased = await claim();
    const claimedLater = await waitUntil(
      async () => (await claim()) === 'claimed',
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    await store.close();

    expect(whileLeased).toBe('busy');
    expect(claimedLater).toBe(true);
  });
});
