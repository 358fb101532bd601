import { describe, expect, it } from 'vitest';
import { createCallId } from './call-id.ts';

const UUID_V7 =
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createCallId', () => {
  it('makes UUIDv7 strings whose first 48 bits are the time in ms', () => {
    const before = Date.now();
    const id = createCallId();
    const after = Date.now();

    expect(id).toMatch(UUID_V7);
    const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it('makes ids that sort in the order they were made, and never twice', () => {
    const ids = Array.from({ length: 20_000 }, createCallId);

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps 62 random bits: two ids of one millisecond differ beyond the counter', () => {
    const [first, second] = [createCallId(), createCallId()];

    expect(first?.slice(19)).not.toBe(second?.slice(19));
  });
});
