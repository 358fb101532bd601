import { describe, expect, it } from 'vitest';
import { uniqueName } from './unique-name.ts';

/** What a Pub/Sub id and a project id both accept. */
const VALID = /^[a-z][a-z0-9-]{2,29}$/;

describe('uniqueName', () => {
  it('gives a different name on every call', () => {
    const names = new Set(
      Array.from({ length: 200 }, () => uniqueName('topic')),
    );

    expect(names.size).toBe(200);
  });

  it('gives names valid for topics, subscriptions and projects', () => {
    for (const prefix of ['ab', 'topic', 'a-long-prefix1']) {
      const name = uniqueName(prefix);

      expect(name).toMatch(VALID);
      expect(name.startsWith(`${prefix}-`)).toBe(true);
    }
  });

  it('rejects a prefix that would make an invalid name', () => {
    for (const prefix of [
      '',
      'a',
      '1abc',
      'Upper',
      'under_score',
      'x'.repeat(15),
    ]) {
      expect(() => uniqueName(prefix)).toThrow(/prefix/);
    }
  });
});
