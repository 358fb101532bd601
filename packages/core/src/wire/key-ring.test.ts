import { describe, expect, it } from 'vitest';
import { createKeyRing, parseSigningKeys } from './index.ts';

const secret = (byte: number) => new Uint8Array(32).fill(byte);
const base64 = (byte: number) => Buffer.from(secret(byte)).toString('base64');
const message = Buffer.from('envelope bytes');

describe('createKeyRing', () => {
  it('signs with the first key and verifies with every key', () => {
    const current = createKeyRing([
      { id: 'k2', secret: secret(2) },
      { id: 'k1', secret: secret(1) },
    ]);
    const previous = createKeyRing([{ id: 'k1', secret: secret(1) }]);

    expect(current.signingKeyId).toBe('k2');
    expect(current.keyIds).toEqual(['k2', 'k1']);
    expect(current.verify('k1', message, previous.sign(message))).toBe(true);
    expect(current.verify('k2', message, current.sign(message))).toBe(true);
  });

  it('rejects a wrong MAC, a MAC of the wrong length and an unknown key', () => {
    const ring = createKeyRing([{ id: 'k1', secret: secret(1) }]);
    const mac = Buffer.from(ring.sign(message));
    const flipped = Buffer.from(mac);
    flipped[5] = (flipped[5] ?? 0) ^ 1;

    expect(ring.verify('k1', message, flipped)).toBe(false);
    expect(ring.verify('k1', message, mac.subarray(0, 31))).toBe(false);
    expect(ring.verify('k9', message, mac)).toBe(false);
    expect(ring.verify('k1', Buffer.from('other bytes'), mac)).toBe(false);
  });

  it.each([
    ['no key', [], 'NO_SIGNING_KEY'],
    [
      'a short secret',
      [{ id: 'k1', secret: new Uint8Array(15) }],
      'INVALID_OPTIONS',
    ],
    ['a bad id', [{ id: 'k 1', secret: secret(1) }], 'INVALID_OPTIONS'],
    [
      'a duplicate id',
      [
        { id: 'k1', secret: secret(1) },
        { id: 'k1', secret: secret(2) },
      ],
      'INVALID_OPTIONS',
    ],
  ])('refuses %s', (_, keys, code) => {
    expect(() => createKeyRing(keys)).toThrow(
      expect.objectContaining({ code }),
    );
  });
});

describe('parseSigningKeys', () => {
  it('reads id=base64 pairs in order, standard or URL-safe', () => {
    const urlSafe = Buffer.from(secret(251)).toString('base64url');

    const keys = parseSigningKeys(` k2=${base64(2)} , k1=${urlSafe}`);

    expect(keys.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(keys[1]?.secret).toEqual(secret(251));
  });

  it.each([
    ['an empty list', '', 'the list is empty'],
    ['a bare secret', `${base64(1)}`, 'entry 1: the secret is not base64'],
    [
      'a bare secret without padding',
      'c2VjcmV0c2VjcmV0c2VjcmV0',
      'entry 1 is not id',
    ],
    ['an empty entry', `k1=${base64(1)},`, 'entry 2 is not id=base64secret'],
    ['a missing id', `=${base64(1)}`, 'entry 1 has no valid key id'],
    [
      'bad base64',
      'k1=not*base64*at*all*!!',
      'entry 1: the secret is not base64',
    ],
    ['a short secret', 'k1=c2hvcnQ=', 'the secret has 5 bytes, at least 16'],
    [
      'a repeated id',
      `k1=${base64(1)},k1=${base64(2)}`,
      'entries 1 and 2 have the same key id',
    ],
  ])('explains %s without echoing the secret', (_, text, expected) => {
    let error: unknown;
    try {
      parseSigningKeys(text);
    } catch (caught) {
      error = caught;
    }

    expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
    const shown = (error as Error).message;
    expect(shown).toContain(expected);
    expect(shown).not.toContain(base64(1));
    expect(shown).not.toContain('c2hvcnQ');
    expect(shown).not.toContain('c2VjcmV0');
    expect(shown).not.toContain(base64(1).slice(0, 12));
    expect(shown).not.toContain('not*base64');
  });
});
