import { afterEach, describe, expect, it } from 'vitest';
import { isDispatchError } from '../errors.ts';
import {
  ARRAY_BUFFER_TAG,
  DATE_TAG,
  MAP_TAG,
  NEGATIVE_ZERO_TAG,
  NULL_PROTOTYPE_TAG,
  REFERENCE_TAG,
  SHARED_TAG,
} from './cbor-tags.ts';
import {
  cborCodec,
  createCborCodec,
  createKeyRing,
  decodeArguments,
  jsonCodec,
  openFrame,
} from './index.ts';
import {
  CBOR_NULL,
  CBOR_TRUE,
  type CborItem,
  cborArray,
  cborBytes,
  cborMap,
  cborTag,
  cborText,
  cborUint,
} from './test-support/cbor-bytes.ts';
import { sealRaw } from './test-support/raw-frame.ts';

const keyRing = createKeyRing([{ id: 'k1', secret: new Uint8Array(32) }]);
class Box {}
const codecs = [
  createCborCodec({
    classes: [
      { tag: 40100, type: Box, encode: () => null, decode: () => new Box() },
    ],
  }),
  jsonCodec,
];
const prototypeKeys = Reflect.ownKeys(Object.prototype);

/** Signs `bytes` as the arguments of a frame, then opens and decodes it. */
function receive(bytes: Uint8Array, codec: 'cbor' | 'json'): unknown {
  const envelope = openFrame(
    sealRaw({ arguments: bytes, codec }, keyRing),
    keyRing,
  );
  return decodeArguments(envelope, { codecs });
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

const text = (value: string) => Buffer.from(value);
const polluted = cborMap([cborText('polluted'), CBOR_TRUE]);
const args = (...items: CborItem[]) => cborArray(...items);

afterEach(() => {
  expect(Reflect.ownKeys(Object.prototype)).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('hostile cbor arguments signed with a valid key', () => {
  it.each([
    ['a __proto__ key', args(cborMap([cborText('__proto__'), polluted]))],
    [
      'constructor.prototype',
      args(
        cborMap([
          cborText('constructor'),
          cborMap([cborText('prototype'), polluted]),
        ]),
      ),
    ],
    [
      'a __proto__ key in a cbor-x record',
      args(
        cborTag(
          0xdfff,
          cborArray(
            cborUint(0xe000),
            cborArray(cborText('__proto__')),
            polluted,
          ),
        ),
      ),
    ],
    [
      'a __proto__ key in a null-prototype object',
      args(
        cborTag(NULL_PROTOTYPE_TAG, cborMap([cborText('__proto__'), polluted])),
      ),
    ],
    [
      'a __proto__ key in a cbor-x Map',
      args(cborTag(259, cborMap([cborText('__proto__'), polluted]))),
    ],
    ['a number as object key', args(cborMap([cborUint(1), CBOR_TRUE]))],
    [
      'an Error (cbor-x tag 27)',
      args(cborTag(27, cborArray(cborText('Error'), cborText('x')))),
    ],
    [
      'a RegExp (cbor-x tag 27)',
      args(cborTag(27, cborArray(cborText('RegExp'), cborText('(a+)+$')))),
    ],
    ['a cbor-x Set (tag 258)', args(cborTag(258, cborArray()))],
    [
      'a cbor-x cycle (tags 28 and 29)',
      args(cborTag(28, cborArray(cborTag(29, cborUint(0))))),
    ],
    ['an unknown tag', args(cborTag(40050, CBOR_NULL))],
    ['a reference to nothing', args(cborTag(REFERENCE_TAG, cborUint(3)))],
    [
      'a shared value defined twice',
      args(
        cborTag(SHARED_TAG, cborArray(cborUint(0), cborArray())),
        cborTag(SHARED_TAG, cborArray(cborUint(0), cborArray())),
      ),
    ],
    [
      'a reference into a class instance being built',
      args(
        cborTag(
          SHARED_TAG,
          cborArray(
            cborUint(0),
            cborTag(40100, cborTag(REFERENCE_TAG, cborUint(0))),
          ),
        ),
      ),
    ],
    ['a bad negative zero', args(cborTag(NEGATIVE_ZERO_TAG, cborUint(5)))],
    ['a date from text', args(cborTag(DATE_TAG, cborText('2026-01-01')))],
    [
      'a map with a key but no value',
      args(cborTag(MAP_TAG, cborArray(cborUint(1)))),
    ],
    [
      'an array buffer made of text',
      args(cborTag(ARRAY_BUFFER_TAG, cborText('x'))),
    ],
    [
      'an array declaring 4 billion items',
      Buffer.from([0x9a, 0xff, 0xff, 0xff, 0xff]),
    ],
    [
      'a map declaring 4 billion entries',
      args(Buffer.from([0xba, 0xff, 0xff, 0xff, 0xff])),
    ],
    ['100000 nested arrays', Buffer.alloc(100_000, 0x81)],
    ['a single value', cborText('not a list')],
    ['trailing bytes', Buffer.concat([args(), cborUint(1)])],
    ['nothing', new Uint8Array()],
  ])('refuses %s as a malformed frame', (_, bytes) => {
    expect(errorOf(() => receive(bytes, 'cbor'))).toMatchObject({
      code: 'MALFORMED_FRAME',
    });
  });

  it('still accepts the hand-written form of what it writes', () => {
    const shared = cborTag(SHARED_TAG, cborArray(cborUint(0), cborMap()));
    const bytes = args(
      shared,
      cborTag(REFERENCE_TAG, cborUint(0)),
      cborBytes(text('hi')),
    );

    const [first, second, buffer] = receive(bytes, 'cbor') as unknown[];

    expect(first).toBe(second);
    expect(Buffer.isBuffer(buffer)).toBe(true);
  });
});

describe('hostile json arguments signed with a valid key', () => {
  it.each([
    ['a __proto__ key', '[[1],{"__proto__":2},{"polluted":3},true]'],
    [
      'a __proto__ key in a null-prototype object',
      '[[1],["null","__proto__",2],{"polluted":3},true]',
    ],
    [
      'constructor.prototype',
      '[[1],{"constructor":2},{"prototype":3},{"polluted":4},true]',
    ],
    [
      'constructor.prototype with a null prototype',
      '[[1],["null","constructor",2],["null","prototype",3],{"polluted":4},true]',
    ],
    ['a RegExp', '[[1],["RegExp","(a+)+$"]]'],
    ['a boxed value', '[[1],["Object",2],"x"]'],
    ['a URL', '[[1],["URL","https://example.com"]]'],
    ['a Buffer that is not base64 text', '[[1],["Buffer",2],7]'],
    ['a reference past the end', '[[5]]'],
    ['a single value', '["not a list"]'],
    ['not JSON', '{"'],
    [
      'a chain of 100000 nodes',
      `[${Array.from({ length: 100_000 }, (_, i) => `[${i + 1}]`).join(',')},[]]`,
    ],
  ])('refuses %s as a malformed frame', (_, json) => {
    expect(errorOf(() => receive(text(json), 'json'))).toMatchObject({
      code: 'MALFORMED_FRAME',
    });
  });

  it('refuses bytes that are not UTF-8', () => {
    const bytes = Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]);

    expect(errorOf(() => receive(bytes, 'json'))).toMatchObject({
      code: 'MALFORMED_FRAME',
    });
  });
});

describe('a cbor payload with the shared test codecs', () => {
  it('decodes what the default codec wrote', () => {
    const bytes = cborCodec.encode([new Map([[1, new Set([2])]])]);

    expect(receive(bytes, 'cbor')).toEqual([new Map([[1, new Set([2])]])]);
  });

  it('reports no path when the whole payload is wrong', () => {
    const error = errorOf(() => receive(cborText('x'), 'cbor'));

    expect(isDispatchError(error, 'MALFORMED_FRAME')).toBe(true);
    expect((error as Error).message).toContain('not an argument list');
  });
});
