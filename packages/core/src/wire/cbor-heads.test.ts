import { describe, expect, it } from 'vitest';
import { needsFullRead } from './cbor-heads.ts';
import { MAX_DEPTH, SHARED_TAG } from './cbor-tags.ts';
import { cborCodec } from './index.ts';
import {
  cborArray,
  cborMap,
  cborTag,
  cborText,
  cborUint,
} from './test-support/cbor-bytes.ts';
import { exactDifference } from './test-support/exact-equal.ts';

/** `[value]` as cbor-x writes it for this codec. */
const written = (...args: unknown[]) => Buffer.from(cborCodec.encode(args));

/** `levels` arrays, one inside the other, around a 1. */
function nested(levels: number): Uint8Array {
  return Buffer.concat([Buffer.alloc(levels, 0x81), cborUint(1)]);
}

describe('needsFullRead', () => {
  it('lets plain data through: records, dates, bigints, bytes, floats', () => {
    const args = [
      { id: 'u1', at: new Date(0), tags: ['a'], n: 1.5, big: 2n ** 70n },
      [{ id: 'u2', at: new Date(1), tags: [], n: -1, big: -(2n ** 70n) }],
      new Uint8Array([1, 2]),
      new Float64Array([0.5]),
      Buffer.from('x'),
      [null, true, false, undefined],
    ];

    expect(needsFullRead(written(...args))).toBe(false);
  });

  it.each([
    ['a Map', [new Map([[1, 2]])]],
    ['a Set', [new Set([1])]],
    ['a shared reference', [(() => ({}))()].map((o) => [o, o])],
    ['a negative zero', [-0]],
    ['a null-prototype object', [Object.create(null)]],
    ['an ArrayBuffer', [new ArrayBuffer(2)]],
    ['a date beyond 2^42 seconds', [new Date(2 ** 42 * 1000 + 1)]],
  ])('sends %s through the full reader', (_, args) => {
    expect(needsFullRead(written(...args))).toBe(true);
  });

  it.each([
    ['an unknown tag', cborArray(cborTag(258, cborArray(cborUint(1))))],
    ['a record it never defined', cborArray(cborTag(0xe005, cborArray()))],
    [
      'a record whose values are not an array',
      cborArray(
        cborTag(
          0xdfff,
          cborArray(cborUint(0xe000), cborArray(cborText('a')), cborUint(1)),
        ),
        cborTag(0xe000, cborText('x')),
      ),
    ],
    [
      'a record of more properties than a short array holds',
      written(
        Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])),
      ),
    ],
    ['an indefinite array', Uint8Array.of(0x81, 0x9f, 0x01, 0xff)],
    ['a simple value of its own', Uint8Array.of(0x81, 0xf8, 0x20)],
    ['trailing bytes', Buffer.concat([cborArray(cborUint(1)), cborUint(2)])],
    ['a truncated string', Uint8Array.of(0x81, 0x65, 0x61)],
    [`nesting of ${MAX_DEPTH} levels`, nested(MAX_DEPTH)],
  ])('sends %s through the full reader', (_, bytes) => {
    expect(needsFullRead(bytes)).toBe(true);
  });

  it('lets nesting just under the limit through', () => {
    expect(needsFullRead(nested(MAX_DEPTH - 1))).toBe(false);
  });
});

describe('the cbor codec reading plain data without the full reader', () => {
  it('still refuses what the full reader refuses', () => {
    const hostile = [
      cborArray(cborTag(0xe005, cborArray())),
      cborArray(cborTag(258, cborArray(cborUint(1)))),
      nested(MAX_DEPTH + 5),
      cborArray(
        cborMap([
          cborText('constructor'),
          cborMap([cborText('prototype'), cborUint(1)]),
        ]),
      ),
      cborArray(cborTag(SHARED_TAG, cborArray(cborUint(0)))),
    ];

    for (const bytes of hostile) {
      expect(() => cborCodec.decode(bytes)).toThrow(/cannot decode/);
    }
  });

  it('returns plain data exactly, and tagged data exactly too', () => {
    const plain = [{ a: 1, when: new Date(5) }, ['x', 2n ** 64n]];
    const tagged = [{ a: new Set([1]) }, new Map([[1, 'x']])];

    for (const args of [plain, tagged]) {
      expect(exactDifference(cborCodec.decode(written(...args)), args)).toBe(
        undefined,
      );
    }
  });
});
