import { describe, expect, it } from 'vitest';
import { publishRequestBytes } from './publish-limit.ts';

describe('publishRequestBytes', () => {
  it('counts data, attribute keys and values, and the ordering key', () => {
    const bytes = publishRequestBytes(
      new Uint8Array(100),
      { ab: 'cde', f: '' },
      'key',
    );

    expect(bytes).toBe(100 + 2 + 3 + 1 + 3);
  });

  it('counts text in UTF-8 bytes, not characters', () => {
    const bytes = publishRequestBytes(new Uint8Array(0), { é: '日本' }, '🙂');

    expect(bytes).toBe(2 + 6 + 4);
  });
});
