import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { createMemoryIdempotencyStore } from './memory-idempotency-store.ts';

const HOUR = 3_600_000;

describe('createMemoryIdempotencyStore', () => {
  test('claims a new call, then answers busy while the lease holds', async () => {
    const store = createMemoryIdempotencyStore();

    const first = await store.claim('c1', { leaseMs: HOUR, owner: 'a' });
    const second = await store.claim('c1', { leaseMs: HOUR, owner: 'b' });

    expect([first, second]).toEqual(['claimed', 'busy']);
  });

  test('answers completed once the call completed, for any owner', async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim('c1', { leaseMs: HOUR, owner: 'a' });

    await store.complete('c1', { retainMs: HOUR, owner: 'a' });
    await store.release('c1', { owner: 'a' });

    expect(await store.claim('c1', { leaseMs: HOUR, owner: 'b' })).toBe(
      'completed',
    );
  });

  test('lets a new claim in once the lease of a dead holder ended', async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim('c1', { leaseMs: 1, owner: 'dead' });
    await sleep(5);

    expect(await store.claim('c1', { leaseMs: HOUR, owner: 'b' })).toBe(
      'claimed',
    );
  });

  test('release frees the claim of its owner only', async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim('c1', { leaseMs: HOUR, owner: 'a' });

    await store.release('c1', { owner: 'late' });
    const whileHeld = await store.claim('c1', { leaseMs: HOUR, owner: 'b' });
    await store.release('c1', { owner: 'a' });
    const afterRelease = await store.claim('c1', { leaseMs: HOUR, owner: 'b' });

    expect([whileHeld, afterRelease]).toEqual(['busy', 'claimed']);
  });

  test('forgets a completed call after its retention and prunes it', async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim('c1', { leaseMs: HOUR, owner: 'a' });
    await store.complete('c1', { retainMs: 1, owner: 'a' });
    await store.claim('c2', { leaseMs: HOUR, owner: 'a' });
    await sleep(5);

    expect(store.prune()).toBe(1);
    expect(store.size).toBe(1);
    expect(await store.claim('c1', { leaseMs: HOUR, owner: 'b' })).toBe(
      'claimed',
    );
  });
});
