import { describe, expect, it } from 'vitest';
import { DispatchError } from '../errors.ts';
import { cborCodec, createCborCodec, type TaggedClass } from './index.ts';
import { exactDifference } from './test-support/exact-equal.ts';

class Money {
  readonly cents: bigint;
  readonly currency: string;
  constructor(cents: bigint, currency: string) {
    this.cents = cents;
    this.currency = currency;
  }
}

class Account {
  owner: string;
  balance: Money;
  partner: Account | undefined;
  constructor(owner: string, balance: Money) {
    this.owner = owner;
    this.balance = balance;
  }
}

const moneyClass: TaggedClass<Money> = {
  tag: 40100,
  type: Money,
  encode: (money) => [money.cents, money.currency],
  decode: (data) => {
    const [cents, currency] = data as [bigint, string];
    return new Money(cents, currency);
  },
};

const accountClass: TaggedClass<Account> = {
  tag: 40101,
  type: Account,
  encode: (account) => ({ owner: account.owner, balance: account.balance }),
  decode: (data) => {
    const { owner, balance } = data as { owner: string; balance: Money };
    return new Account(owner, balance);
  },
};

function roundTrip(args: unknown[], codec = cborCodec): unknown[] {
  return codec.decode(codec.encode(args));
}

function refusal(args: unknown[], codec = cborCodec): DispatchError {
  try {
    codec.encode(args);
  } catch (error) {
    if (error instanceof DispatchError) return error;
    throw error;
  }
  throw new Error('the codec accepted the arguments');
}

describe('the cbor codec', () => {
  it('carries the JavaScript values JSON loses', () => {
    const args = [
      -0,
      NaN,
      -Infinity,
      2n ** 200n,
      -(2n ** 64n),
      5n,
      new Date(Number.NaN),
      new Date(-8.64e15),
      new Date(8.64e15 - 1),
      [undefined, 1],
      { missing: undefined },
      new Map<unknown, unknown>([
        [{ key: 1 }, 'object key'],
        [1n, 'bigint key'],
      ]),
      new Set(['a', 1, 1n]),
      'emoji 👩‍👩‍👧 and 中文 and \u{10FFFF}',
    ];

    expect(exactDifference(roundTrip(args), args)).toBeUndefined();
  });

  it('keeps the kind of every typed array and only the visible bytes', () => {
    const backing = new Float64Array([1, 2, 3, 4]).buffer;
    const args = [
      new Int8Array([-1]),
      new Uint8ClampedArray([255]),
      new Int16Array([-2]),
      new Uint16Array([2]),
      new Int32Array([-3]),
      new Uint32Array([3]),
      new Float16Array([0.5]),
      new Float32Array([1.5]),
      new Float64Array(backing, 8, 2),
      new BigInt64Array([-4n]),
      new BigUint64Array([4n]),
      new ArrayBuffer(3),
    ];

    const decoded = roundTrip(args);

    expect(exactDifference(decoded, args)).toBeUndefined();
    expect((decoded[8] as Float64Array).buffer.byteLength).toBe(16);
  });

  it('keeps every millisecond of dates on both sides of 2^42 seconds', () => {
    const limit = 2 ** 42 * 1000;
    const times = Array.from({ length: 2000 }, (_, index) => [
      limit - index,
      -limit + index,
      Math.round((Math.random() * 2 - 1) * limit),
    ]).flat();
    const args = times.map((time) => new Date(time));

    expect(exactDifference(roundTrip(args), args)).toBeUndefined();
  });

  it('refuses a sparse array instead of filling its holes', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const error = refusal([{ list: [1, , 3] }]);

    expect(error.code).toBe('NOT_SERIALIZABLE');
    expect(error.message).toContain('args[0].list[1]: a hole');
  });

  it.each([
    [
      'a function',
      [{ user: { callback() {} } }],
      'args[0].user.callback: function callback',
    ],
    ['a symbol', [[Symbol('s')]], 'args[0][0]: a symbol'],
    [
      'an unregistered class',
      [new Money(1n, 'EUR')],
      'args[0]: an instance of Money',
    ],
    [
      'a subclass of Map',
      [new (class Cache extends Map {})()],
      'an instance of Cache',
    ],
    ['a WeakMap', [new WeakMap()], 'an instance of WeakMap'],
    ['a Promise', [Promise.resolve()], 'an instance of Promise'],
    ['an Error', [new Error('x')], 'an instance of Error'],
    ['a RegExp', [/x/g], 'an instance of RegExp'],
    [
      'a DataView',
      [new DataView(new ArrayBuffer(1))],
      'an instance of DataView',
    ],
    ['a boxed string', [Object('x')], 'an instance of String'],
    [
      'a lone surrogate',
      [{ text: 'a\uD800' }],
      'args[0].text: a string with a lone surrogate',
    ],
    [
      'a lone surrogate key',
      [{ 'k\uDC00': 1 }],
      'a property name with a lone surrogate',
    ],
    [
      'a lone surrogate in a long string',
      [new Map([[1, `${'x'.repeat(200)}\uDBFF`]])],
      'args[0].values()[0]: a string with a lone surrogate',
    ],
    [
      'a lone surrogate late in a long list',
      [Array.from({ length: 3000 }, (_, i) => (i === 2900 ? 'x\uD800' : 'ok'))],
      'args[0][2900]: a string with a lone surrogate',
    ],
    [
      'a lone surrogate early in a long list among binary data',
      [
        ['x\uDFFF', ...Array.from({ length: 3000 }, (_, i) => i / 7)],
        new Float64Array(2000).map(() => Math.random()),
      ],
      'args[0][0]: a string with a lone surrogate',
    ],
    [
      'a lone surrogate in a long key',
      [new Set([{ [`${'k'.repeat(100)}\uD800`]: 1 }])],
      'a property name with a lone surrogate',
    ],
    ['a symbol key', [{ [Symbol('k')]: 1 }], 'a symbol-keyed property'],
    [
      'a non-enumerable property',
      [Object.defineProperty({}, 'hidden', { value: 1 })],
      'a non-enumerable property',
    ],
    [
      'an own __proto__ key',
      [JSON.parse('{"a":{"__proto__":{}}}')],
      'args[0].a.__proto__',
    ],
    [
      'prototype pollution bait',
      [{ constructor: { prototype: {} } }],
      'prototype pollution bait',
    ],
    ['a value in a Map', [new Map([['k', () => 1]])], 'args[0].values()[0]'],
  ])('refuses %s, naming where it is', (_, args, expected) => {
    const error = refusal(args);

    expect(error.code).toBe('NOT_SERIALIZABLE');
    expect(error.message).toContain(expected);
  });

  it('refuses values nested deeper than 1000 levels', () => {
    let value: unknown = 1;
    for (let level = 0; level < 1001; level++) value = [value];

    expect(refusal([value]).message).toContain('nesting deeper than 1000');
  });

  it('carries objects of more shapes than cbor-x has record ids', () => {
    const shapes = Array.from({ length: 600 }, (_, index) => ({
      [`key${index}`]: index,
    }));
    const args = [shapes, shapes.map((shape) => ({ ...shape })), { key0: 0 }];

    expect(exactDifference(roundTrip(args), args)).toBeUndefined();
  });

  it('carries text whose bytes look like a lone surrogate but are not one', () => {
    const lookAlikes = [
      '\uFFFD', // the replacement character itself
      '\uD7FF 한국어', // ED 9F BF and Hangul syllables
      `${'x'.repeat(100)}\uFFFD`,
      '\uD83D\uDE00', // a surrogate pair
    ];
    const args = [
      lookAlikes,
      Buffer.from([0xed, 0xa0, 0x80, 0xef, 0xbf, 0xbd]),
    ];

    expect(exactDifference(roundTrip(args), args)).toBeUndefined();
  });

  it('writes the same bytes for the same arguments every time', () => {
    const args = [{ a: 1, b: [new Date(0), new Map([[1, 2]])] }];
    const first = Buffer.from(cborCodec.encode(args));
    cborCodec.encode([{ other: 'shape' }, { a: 'x' }]);

    expect(Buffer.from(cborCodec.encode(args)).equals(first)).toBe(true);
  });
});

describe('a cbor codec with registered classes', () => {
  const codec = createCborCodec({ classes: [moneyClass, accountClass] });

  it('carries instances, nested and shared, without calling constructors', () => {
    const balance = new Money(12_345n, 'EUR');
    const alice = new Account('alice', balance);
    const args = [alice, [balance, new Map([['total', balance]])]];

    const decoded = roundTrip(args, codec);

    expect(exactDifference(decoded, args)).toBeUndefined();
    expect(decoded[0]).toBeInstanceOf(Account);
  });

  it('refuses an instance whose data leads back to itself', () => {
    const selfish = createCborCodec({
      classes: [{ ...accountClass, encode: (account) => ({ me: account }) }],
    });
    const alice = new Account('alice', new Money(1n, 'EUR'));

    expect(refusal([alice], selfish).message).toContain(
      'args[0] (data of Account).me: a reference back to a registered class',
    );
  });

  it('is refused by a codec that does not know the class', () => {
    const bytes = codec.encode([new Money(1n, 'EUR')]);

    expect(() => cborCodec.decode(bytes)).toThrow(
      /unknown CBOR tag 40100 \(a class not registered/,
    );
  });

  it.each([
    ['a tag below the user range', [{ ...moneyClass, tag: 40099 }]],
    ['a tag above the user range', [{ ...moneyClass, tag: 50000 }]],
    ['the same tag twice', [moneyClass, { ...accountClass, tag: 40100 }]],
    ['the same class twice', [moneyClass, { ...moneyClass, tag: 40102 }]],
  ])('rejects %s', (_, classes) => {
    expect(() => createCborCodec({ classes })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
