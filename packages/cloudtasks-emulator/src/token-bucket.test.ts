import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

function drain(bucket: TokenBucket, nowMs: number): number {
  let taken = 0;
  while (bucket.msUntilToken(nowMs) === 0) {
    bucket.take(nowMs);
    taken += 1;
  }
  return taken;
}

describe('TokenBucket', () => {
  it('starts full with its burst size', () => {
    expect(drain(new TokenBucket(10, 4, 0), 0)).toBe(4);
  });

  it('refills at the rate, never above capacity', () => {
    const bucket = new TokenBucket(10, 4, 0);
    drain(bucket, 0);

    expect(bucket.msUntilToken(0)).toBe(100);
    expect(drain(bucket, 250)).toBe(2);
    expect(drain(bucket, 60_000)).toBe(4);
  });

  it('keeps earned tokens when reconfigured, up to the new capacity', () => {
    const bucket = new TokenBucket(10, 10, 0);

    bucket.reconfigure(1, 3, 0);

    expect(drain(bucket, 0)).toBe(3);
    expect(bucket.msUntilToken(0)).toBe(1000);
  });
});
