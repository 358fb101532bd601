import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnvelopeMessage } from './envelope.ts';
import {
  decodeEnvelope,
  decodeSignedFrame,
  encodeSignedFrame,
} from './frame-codec.ts';
import { schema } from './test-support/schema.ts';

const SEED = 20_261_203;
const MAC = new Uint8Array(32).fill(7);
const text = fc.string({ unit: 'binary', maxLength: 40 });
const time = fc.integer({ min: -8.64e15, max: 8.64e15 });

const envelopes: fc.Arbitrary<EnvelopeMessage> = fc
  .record({
    formatVersion: fc.nat({ max: 2 ** 32 - 1 }),
    callId: text,
    functionName: text,
    arguments: fc.uint8Array({ maxLength: 300 }),
    codec: text,
    compression: fc.constantFrom(0, 1),
    uncompressedSize: fc.nat({ max: 2 ** 32 - 1 }),
    createdAt: time,
    expiresAt: fc.option(time, { nil: undefined }),
    traceparent: text,
    tracestate: text,
    metadata: fc.dictionary(text, text, { maxKeys: 4 }),
  })
  .map(({ expiresAt, ...rest }) => {
    const message: EnvelopeMessage = { ...rest };
    if (expiresAt !== undefined) message.expiresAt = expiresAt;
    return message;
  });

/** What protobufjs writes for the same frame. */
function protobufjsFrame(message: EnvelopeMessage, keyId: string): Buffer {
  const { envelope, signedFrame } = schema();
  const bytes = envelope.encode(message).finish();
  return Buffer.from(
    signedFrame.encode({ envelope: bytes, keyId, signature: MAC }).finish(),
  );
}

/** `message` as the decoder gives it back: `__proto__` keys dropped. */
function expected(message: EnvelopeMessage): EnvelopeMessage {
  const metadata = Object.fromEntries(
    Object.entries(message.metadata).filter(([key]) => key !== '__proto__'),
  );
  return { ...message, arguments: Buffer.from(message.arguments), metadata };
}

describe('the hand-written frame codec', () => {
  it('writes exactly the bytes protobufjs writes, for 500 random envelopes', () => {
    fc.assert(
      fc.property(envelopes, text, (message, keyId) => {
        const ours = encodeSignedFrame(message, keyId, () => MAC);

        expect(ours.equals(protobufjsFrame(message, keyId))).toBe(true);
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('reads back what protobufjs writes, for 500 random envelopes', () => {
    fc.assert(
      fc.property(envelopes, text, (message, keyId) => {
        const signed = decodeSignedFrame(protobufjsFrame(message, keyId));
        const envelope = decodeEnvelope(signed.envelope);

        expect(signed.keyId).toBe(keyId);
        expect(Buffer.from(signed.signature).equals(Buffer.from(MAC))).toBe(
          true,
        );
        expect({
          ...envelope,
          arguments: Buffer.from(envelope.arguments),
        }).toEqual(expected(message));
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('hands the signer exactly the envelope bytes it writes', () => {
    const message: EnvelopeMessage = {
      formatVersion: 1,
      callId: 'c1',
      functionName: 'f',
      arguments: Uint8Array.of(0x80),
      codec: 'cbor',
      compression: 0,
      uncompressedSize: 1,
      createdAt: 0,
      traceparent: '',
      tracestate: '',
      metadata: { tenant: 'acme' },
    };
    let signed: Buffer | undefined;
    const frame = encodeSignedFrame(message, 'k1', (envelope) => {
      signed = Buffer.from(envelope);
      return MAC;
    });

    expect(signed?.equals(Buffer.from(decodeSignedFrame(frame).envelope))).toBe(
      true,
    );
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const frame = protobufjsFrame(
      {
        formatVersion: 1,
        callId: 'c1',
        functionName: 'f',
        arguments: new Uint8Array(0),
        codec: 'cbor',
        compression: 0,
        uncompressedSize: 0,
        createdAt: 5,
        traceparent: '',
        tracestate: '',
        metadata: {},
      },
      'k1',
    );
    const unknown = Uint8Array.of(
      ...[0x20, 0x96, 0x01], // field 4, varint
      ...[0x29, 1, 2, 3, 4, 5, 6, 7, 8], // field 5, fixed64
      ...[0x35, 1, 2, 3, 4], // field 6, fixed32
      ...[0x3b, 0x08, 0x01, 0x3c], // field 7, a group holding a varint
      ...[0x18, 0x01], // field 3 (signature) as a varint: not the field
    );

    const signed = decodeSignedFrame(Buffer.concat([unknown, frame]));

    expect(signed.keyId).toBe('k1');
    expect(decodeEnvelope(signed.envelope).createdAt).toBe(5);
  });

  it.each([
    ['a truncated varint', [0x08, 0x80]],
    ['a length past the end', [0x0a, 0x05, 0x01]],
    ['a varint longer than ten bytes', [0x08, ...Array(10).fill(0xff), 0x01]],
    ['field number 0', [0x00, 0x01]],
    ['wire type 7', [0x0f]],
    ['an end-group tag alone', [0x0c]],
    ['a group without its end', [0x0b, 0x08, 0x01]],
    ['a fixed64 past the end', [0x09, 1, 2, 3]],
  ])('refuses %s', (_, bytes) => {
    expect(() => decodeSignedFrame(Uint8Array.from(bytes))).toThrow(Error);
  });

  it('refuses groups nested deeper than it will follow', () => {
    const deep = [...Array(40).fill(0x0b), ...Array(40).fill(0x0c)];

    expect(() => decodeSignedFrame(Uint8Array.from(deep))).toThrow(/deep/);
  });
});
