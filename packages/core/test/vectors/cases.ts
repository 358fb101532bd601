import type { CallToSeal, TaggedClass } from '../../src/wire/index.ts';

/** A user class, to show how registered tags look on the wire. */
export class Money {
  readonly cents: bigint;
  readonly currency: string;
  constructor(cents: bigint, currency: string) {
    this.cents = cents;
    this.currency = currency;
  }
}

/** Registered under tag 40100 in the `classes` vector. */
export const moneyClass: TaggedClass<Money> = {
  tag: 40100,
  type: Money,
  encode: (money) => [money.cents, money.currency],
  decode: (data) => {
    const [cents, currency] = data as [bigint, string];
    return new Money(cents, currency);
  },
};

/** One golden case: the arguments and envelope fields of one call. */
export interface VectorCase {
  readonly name: string;
  readonly description: string;
  /** Codecs to write it with; `json` carries no registered classes. */
  readonly codecs: readonly ('cbor' | 'json')[];
  readonly args: unknown[];
  readonly envelope?: Partial<CallToSeal>;
}

function sharedAndCyclic(): unknown[] {
  const shared = { id: 'shared' };
  const cycle: Record<string, unknown> = { name: 'cycle' };
  cycle.self = cycle;
  const list: unknown[] = ['list'];
  list.push(list);
  return [shared, [shared, cycle], new Map([[shared, cycle]]), list];
}

function nullPrototype(): object {
  const object = Object.create(null) as Record<string, unknown>;
  object.key = 'value';
  return object;
}

/** The fixed values every implementation must read the same way. */
export const CASES: readonly VectorCase[] = [
  {
    name: 'primitives',
    description: 'numbers at the CBOR integer boundaries, special floats, text',
    codecs: ['cbor', 'json'],
    args: [
      null,
      true,
      false,
      0,
      -0,
      1,
      -1,
      23,
      24,
      255,
      256,
      65_535,
      65_536,
      2 ** 32 - 1,
      2 ** 32,
      -(2 ** 32),
      -(2 ** 32) - 1,
      2 ** 53,
      1.5,
      -0.1,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
      undefined,
      '',
      'text',
      'émoji 😀 中文 \u{10FFFF}',
    ],
  },
  {
    name: 'bigints',
    description: 'bigint values inside and beyond 64 bits, both signs',
    codecs: ['cbor', 'json'],
    args: [
      0n,
      1n,
      -1n,
      2n ** 64n - 1n,
      -(2n ** 64n),
      2n ** 64n,
      -(2n ** 64n) - 1n,
      2n ** 100n,
    ],
  },
  {
    name: 'dates',
    description:
      'dates to the millisecond, on both sides of 2^42 s (tag 1 / tag 40002), and an invalid date',
    codecs: ['cbor', 'json'],
    args: [
      new Date(0),
      new Date('2026-01-01T00:00:00.123Z'),
      new Date(-1),
      new Date(2 ** 42 * 1000 - 1),
      new Date(8.64e15),
      new Date(-8.64e15),
      new Date(Number.NaN),
    ],
  },
  {
    name: 'collections',
    description:
      'arrays, objects, Map, Set, a null-prototype object, undefined values',
    codecs: ['cbor', 'json'],
    args: [
      [1, [2, [3]]],
      { a: 1, b: { c: [true] }, '': 'empty key', '10': 'integer-like key' },
      new Map<unknown, unknown>([
        [1, 'one'],
        ['k', { v: 1 }],
        [2n, null],
      ]),
      new Set<unknown>(['x', 1n, 2]),
      nullPrototype(),
      { missing: undefined },
      [undefined, null],
    ],
  },
  {
    name: 'binary',
    description: 'Buffer, every typed array kind, ArrayBuffer',
    codecs: ['cbor', 'json'],
    args: [
      Buffer.from('buffer'),
      new Uint8Array([1, 2, 255]),
      new Uint8ClampedArray([0, 255]),
      new Int8Array([-128, 127]),
      new Uint16Array([1, 65_535]),
      new Int16Array([-32_768, 32_767]),
      new Uint32Array([1, 4_294_967_295]),
      new Int32Array([-2_147_483_648, 1]),
      new Float16Array([0.5, -2]),
      new Float32Array([1.5, -0]),
      new Float64Array([Math.PI, NaN]),
      new BigInt64Array([-(2n ** 63n), 1n]),
      new BigUint64Array([2n ** 64n - 1n]),
      new Uint8Array([9, 8, 7]).buffer,
    ],
  },
  {
    name: 'references',
    description:
      'a shared object, a cyclic object, a cyclic array, a shared Map key',
    codecs: ['cbor', 'json'],
    args: sharedAndCyclic(),
  },
  {
    name: 'records',
    description:
      'many objects of one shape (compressible: the snappy variant compresses)',
    codecs: ['cbor', 'json'],
    args: [
      Array.from({ length: 40 }, (_, index) => ({
        id: `user-${index}`,
        email: `user${index}@example.com`,
        active: index % 2 === 0,
        score: index * 1.25,
      })),
      { reason: 'nightly sync' },
    ],
  },
  {
    name: 'envelope-fields',
    description: 'expiry, W3C trace context and metadata in the envelope',
    codecs: ['cbor', 'json'],
    args: ['x'],
    envelope: {
      expiresAt: new Date('2026-01-01T01:00:00.000Z'),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'congo=t61rcWkgMzE',
      metadata: { tenant: 'acme', 'request-id': 'r-1' },
    },
  },
  {
    name: 'classes',
    description:
      'a registered user class (tag 40100 holding [cents, currency])',
    codecs: ['cbor'],
    args: [new Money(12_345n, 'EUR'), [new Money(-1n, 'USD')]],
  },
];
