import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createDeadlines } from './deadlines.ts';

describe('createDeadlines', () => {
  it('expires work that outlives the limit, oldest first, and only once', async () => {
    const deadlines = createDeadlines(20);
    const expired: string[] = [];
    const first = deadlines.watch(() => expired.push('first'));
    await sleep(5);
    deadlines.watch(() => expired.push('second'));

    await deadlines.idle();

    expect(expired).toEqual(['first', 'second']);
    expect(deadlines.settle(first)).toBe(false);
  });

  it('lets settled work go without expiring it', async () => {
    const deadlines = createDeadlines(20);
    const expired: string[] = [];
    const settled = deadlines.watch(() => expired.push('settled'));
    deadlines.watch(() => expired.push('late'));

    expect(deadlines.settle(settled)).toBe(true);
    await deadlines.idle();

    expect(expired).toEqual(['late']);
  });

  it('is idle at once when nothing is watched', async () => {
    const deadlines = createDeadlines(60_000);
    const watched = deadlines.watch(() => {});
    const idle = deadlines.idle();

    deadlines.settle(watched);

    await expect(idle).resolves.toBeUndefined();
  });
});
