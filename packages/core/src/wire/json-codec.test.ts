import { describe, expect, it } from 'vitest';
import { DispatchError } from '../errors.ts';
import { jsonCodec } from './index.ts';
import { exactDifference } from './test-support/exact-equal.ts';

function roundTrip(args: unknown[]): unknown[] {
  return jsonCodec.decode(jsonCodec.encode(args));
}

function refusal(args: unknown[]): DispatchError {
  try {
    jsonCodec.encode(args);
  } catch (error) {
    if (error instanceof DispatchError) return error;
    throw error;
  }
  throw new Error('the codec accepted the arguments');
}

describe('the json codec', () => {
  it('writes readable JSON', () => {
    const text = Buffer.from(jsonCodec.encode([{ user: 'ada' }])).toString();

    expect(JSON.parse(text)).toEqual([[1], { user: 2 }, 'ada']);
  });

  it('carries lone surrogates, which UTF-8 cannot hold, as JSON escapes', () => {
    const args = ['a\uD800b', { '\uDFFFkey': '\uDBFF' }];

    const bytes = jsonCodec.encode(args);

    expect(Buffer.from(bytes).toString()).toContain('\\ud800');
    expect(exactDifference(jsonCodec.decode(bytes), args)).toBeUndefined();
  });

  it('carries sparse arrays with their holes', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const args = [[1, , 3]];

    expect(exactDifference(roundTrip(args), args)).toBeUndefined();
  });

  it('sends only the visible bytes of a view into a larger buffer', () => {
    const secret = Buffer.from('secret bytes next to the payload');
    const view = new Uint8Array(secret.buffer, secret.byteOffset, 6);

    const text = Buffer.from(jsonCodec.encode([view])).toString();

    expect(text).not.toContain(secret.subarray(6).toString('base64'));
    expect(exactDifference(roundTrip([view]), [view])).toBeUndefined();
  });

  it.each([
    [
      'a function',
      [{ user: { callback() {} } }],
      'args[0].user.callback: function callback',
    ],
    [
      'an unregistered class',
      [[new (class Money {})()]],
      'args[0][0]: an instance of Money',
    ],
    [
      'a subclass of Map',
      [new (class Cache extends Map {})()],
      'an instance of Cache',
    ],
    ['a RegExp', [/x/], 'an instance of RegExp'],
    ['a boxed number', [Object(1)], 'an instance of Number'],
    ['a URL', [new URL('https://example.com')], 'an instance of URL'],
    ['a symbol key', [{ [Symbol('k')]: 1 }], 'a symbol-keyed property'],
    ['an own __proto__ key', [JSON.parse('{"__proto__":{}}')], '__proto__'],
    [
      'prototype pollution bait',
      [{ constructor: { prototype: {} } }],
      'prototype pollution bait',
    ],
  ])('refuses %s, naming where it is', (_, args, expected) => {
    const error = refusal(args);

    expect(error.code).toBe('NOT_SERIALIZABLE');
    expect(error.message).toContain(expected);
  });
});
