import snappy from 'snappy';
import { describe, expect, it } from 'vitest';
import {
  type CallToSeal,
  cborCodec,
  createKeyRing,
  decodeArguments,
  jsonCodec,
  openFrame,
  sealFrame,
} from './index.ts';
import { sealRaw } from './test-support/raw-frame.ts';

const keyRing = createKeyRing([{ id: 'k1', secret: new Uint8Array(32) }]);
const codecs = [cborCodec, jsonCodec];
const call: CallToSeal = {
  callId: '0190b4a0-7c2e-7d3a-9f00-123456789abc',
  functionName: 'updateRelated',
  args: [{ user: 'ada' }, 42],
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
};

function seal(extra: Partial<CallToSeal> = {}, threshold?: number) {
  const options =
    threshold === undefined ? {} : { compressionThreshold: threshold };
  return sealFrame(
    { ...call, ...extra },
    { codec: cborCodec, keyRing, ...options },
  );
}

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('sealFrame and openFrame', () => {
  it('carry every envelope field', () => {
    const envelope = openFrame(
      seal({
        expiresAt: new Date('2026-01-02T04:00:00.001Z'),
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        tracestate: 'congo=t61rcWkgMzE',
        metadata: { tenant: 'acme', 'x-empty': '' },
      }),
      keyRing,
    );

    expect(envelope).toMatchObject({
      formatVersion: 1,
      callId: call.callId,
      functionName: 'updateRelated',
      codec: 'cbor',
      compression: 'none',
      createdAt: call.createdAt,
      expiresAt: new Date('2026-01-02T04:00:00.001Z'),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'congo=t61rcWkgMzE',
      metadata: { tenant: 'acme', 'x-empty': '' },
    });
    expect(decodeArguments(envelope, { codecs })).toEqual(call.args);
  });

  it('leave optional fields undefined when the call has none', () => {
    const envelope = openFrame(seal(), keyRing);

    expect(envelope.expiresAt).toBeUndefined();
    expect(envelope.traceparent).toBeUndefined();
    expect(envelope.tracestate).toBeUndefined();
    expect(envelope.metadata).toEqual({});
  });

  it('compress above the threshold only when snappy shrinks the arguments', () => {
    const repetitive = { args: [Array(200).fill('same text')] };
    const random = { args: [crypto.getRandomValues(Buffer.alloc(2000))] };

    expect(openFrame(seal(repetitive), keyRing).compression).toBe('snappy');
    expect(openFrame(seal(repetitive, 1e9), keyRing).compression).toBe('none');
    expect(openFrame(seal(random, 0), keyRing).compression).toBe('none');
  });

  it('refuses an argument the codec cannot carry, naming the call', () => {
    const error = caught(() => seal({ args: [{ when: () => 1 }] }));

    expect(error).toMatchObject({
      code: 'NOT_SERIALIZABLE',
      functionName: 'updateRelated',
      callId: call.callId,
    });
    expect((error as Error).message).toContain('args[0].when');
  });

  it('refuses a call without id, with an invalid date or bad metadata', () => {
    const metadata = { count: 1 } as unknown as Record<string, string>;

    expect(caught(() => seal({ callId: '' }))).toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    expect(
      caught(() => seal({ createdAt: new Date(Number.NaN) })),
    ).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(caught(() => seal({ metadata }))).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: 'seal frame of updateRelated: metadata values must be strings',
    });
  });

  it('refuses text with a lone surrogate rather than write it changed', () => {
    const lone = 'a\uD800b';

    expect(caught(() => seal({ metadata: { note: lone } }))).toMatchObject({
      code: 'INVALID_OPTIONS',
      message:
        'seal frame of updateRelated: metadata "note" has a lone surrogate',
    });
    expect(caught(() => seal({ traceparent: lone }))).toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });

  it('verifies the signature with an older key still in the ring', () => {
    const next = createKeyRing([
      { id: 'k2', secret: new Uint8Array(32).fill(2) },
      { id: 'k1', secret: new Uint8Array(32) },
    ]);

    expect(openFrame(seal(), next).callId).toBe(call.callId);
  });

  it('refuses a frame signed with a key the ring does not hold', () => {
    const stranger = createKeyRing([{ id: 'k9', secret: new Uint8Array(16) }]);
    const frame = sealFrame(call, { codec: cborCodec, keyRing: stranger });

    const error = caught(() => openFrame(frame, keyRing));

    expect(error).toMatchObject({ code: 'BAD_SIGNATURE' });
    expect((error as Error).message).toContain('unknown key "k9"');
  });

  it('refuses a frame whose MAC does not match the envelope', () => {
    const impostor = createKeyRing([
      { id: 'k1', secret: new Uint8Array(32).fill(1) },
    ]);
    const frame = sealFrame(call, { codec: cborCodec, keyRing: impostor });

    expect(caught(() => openFrame(frame, keyRing))).toMatchObject({
      code: 'BAD_SIGNATURE',
      message: 'open frame: signature does not match key "k1"',
    });
  });

  it.each([
    [
      'a future format version',
      { formatVersion: 2 },
      'unsupported format version 2',
    ],
    ['no call id', { callId: '' }, 'the envelope has no call_id'],
    ['an unknown compression', { compression: 7 }, 'unknown compression 7'],
    [
      'a time out of range',
      { createdAt: 9e15 },
      'created_at is not a valid time',
    ],
  ])('refuses a signed envelope with %s', (_, fields, message) => {
    expect(
      caught(() => openFrame(sealRaw(fields, keyRing), keyRing)),
    ).toMatchObject({
      code: 'MALFORMED_FRAME',
      message: `open frame: ${message}`,
    });
  });

  it('refuses bytes that are no signed frame', () => {
    expect(caught(() => openFrame(new Uint8Array(0), keyRing))).toMatchObject({
      code: 'MALFORMED_FRAME',
    });
    expect(
      caught(() => openFrame(Buffer.from([0xff, 0xff]), keyRing)),
    ).toMatchObject({
      code: 'MALFORMED_FRAME',
    });
  });
});

describe('decodeArguments', () => {
  const gigabyte = 1024 ** 3;

  it('refuses a declared size over the limit before inflating', () => {
    const envelope = openFrame(
      sealRaw(
        { arguments: Buffer.from([0x81, 0x01]), uncompressedSize: gigabyte },
        keyRing,
      ),
      keyRing,
    );

    const error = caught(() => decodeArguments(envelope, { codecs }));

    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      callId: envelope.callId,
    });
    expect((error as Error).message).toContain('declares 1073741824 bytes');
  });

  it('refuses snappy data whose own header declares 1 GB, whatever the envelope says', () => {
    // A varint of 2^30 followed by a literal: inflating would allocate 1 GB.
    const bomb = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 0x00]);
    const envelope = openFrame(
      sealRaw(
        { arguments: bomb, compression: 'snappy', uncompressedSize: 10 },
        keyRing,
      ),
      keyRing,
    );

    expect(caught(() => decodeArguments(envelope, { codecs }))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('snappy data declares 1073741824 bytes'),
    });
  });

  it('honours a smaller limit', () => {
    const envelope = openFrame(seal({ args: ['x'.repeat(2000)] }), keyRing);

    expect(
      caught(() =>
        decodeArguments(envelope, { codecs, maxUncompressedBytes: 1000 }),
      ),
    ).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it.each([
    [
      'an unknown codec',
      { codec: 'yaml' },
      'uses codec "yaml", not one of: cbor, json',
    ],
    [
      'a size that does not match',
      { uncompressedSize: 3 },
      'has 2 bytes of arguments, declared 3',
    ],
    [
      'bytes the codec cannot read',
      { codec: 'json' },
      'json codec cannot decode',
    ],
    [
      'snappy data that disagrees with the envelope',
      {
        compression: 'snappy' as const,
        arguments: snappy.compressSync(Buffer.from([0x81, 0x01])),
        uncompressedSize: 3,
      },
      'snappy data declares 2 bytes, the envelope 3',
    ],
    [
      'corrupt snappy data',
      {
        compression: 'snappy' as const,
        arguments: Buffer.from([0x02, 0xff, 0xff]),
        uncompressedSize: 2,
      },
      'snappy data is corrupt',
    ],
    [
      'a payload that is no list',
      { arguments: Buffer.from([0x01]) },
      'not an argument list',
    ],
  ])('refuses %s', (_, fields, message) => {
    const envelope = openFrame(
      sealRaw({ arguments: Buffer.from([0x81, 0x01]), ...fields }, keyRing),
      keyRing,
    );

    const error = caught(() => decodeArguments(envelope, { codecs }));

    expect(error).toMatchObject({
      code: 'MALFORMED_FRAME',
      functionName: 'hostile',
    });
    expect((error as Error).message).toContain(message);
  });
});
