import type { EnvelopeMessage } from './envelope.ts';
import { ProtobufReader } from './protobuf-reader.ts';
import {
  delimitedSize,
  int64Size,
  LENGTH_DELIMITED,
  tagByte,
  utf8Size,
  varintSize,
  writeInt64,
  writeUtf8,
  writeVarint,
} from './protobuf-writer.ts';

// Encodes and decodes `dispatch.v1.Envelope` and `SignedFrame` by hand:
// one buffer per frame instead of protobufjs's writer objects and two
// copies of the arguments. The bytes are exactly protobufjs's, field by
// field in number order, proto3 defaults included (the vectors pin it).

/** The fields of a `SignedFrame` as read from the wire. */
export interface SignedFrameMessage {
  /** A view into the frame: the exact bytes that were signed. */
  envelope: Uint8Array;
  keyId: string;
  signature: Uint8Array;
}

/** Computes the MAC of the envelope bytes while the frame is written. */
export type Signer = (envelope: Uint8Array) => Uint8Array;

const VARINT = 0;
const MAC_BYTES = 32;

/**
 * Writes the `SignedFrame` of `message`: its envelope, `keyId`, and the
 * MAC `sign` computes over the envelope bytes.
 */
export function encodeSignedFrame(
  message: EnvelopeMessage,
  keyId: string,
  sign: Signer,
): Buffer {
  const sizes = envelopeSizes(message);
  const keyIdSize = utf8Size(keyId);
  const total =
    delimitedSize(sizes.total) +
    delimitedSize(keyIdSize) +
    delimitedSize(MAC_BYTES);
  const frame = Buffer.allocUnsafe(total);

  let at = delimited(frame, 0, 1, sizes.total);
  const envelopeStart = at;
  at = writeEnvelope(frame, at, message, sizes);
  const signature = sign(frame.subarray(envelopeStart, at));
  if (signature.length !== MAC_BYTES) {
    throw new Error(`a MAC of ${signature.length} bytes, not ${MAC_BYTES}`);
  }

  at = delimited(frame, at, 2, keyIdSize);
  at = writeUtf8(frame, at, keyId, keyIdSize);
  at = delimited(frame, at, 3, MAC_BYTES);
  frame.set(signature, at);
  return frame;
}

/** Reads a `SignedFrame`; throws a plain `Error` when it is not one. */
export function decodeSignedFrame(bytes: Uint8Array): SignedFrameMessage {
  const reader = new ProtobufReader(bytes);
  const message: SignedFrameMessage = {
    envelope: bytes.subarray(0, 0),
    keyId: '',
    signature: bytes.subarray(0, 0),
  };
  while (!reader.done()) {
    const tag = reader.tag();
    if (tag === tagByte(1, LENGTH_DELIMITED)) message.envelope = reader.bytes();
    else if (tag === tagByte(2, LENGTH_DELIMITED)) {
      message.keyId = reader.string();
    } else if (tag === tagByte(3, LENGTH_DELIMITED)) {
      message.signature = reader.bytes();
    } else skipUnknown(reader, tag);
  }
  return message;
}

/** Reads an `Envelope`; throws a plain `Error` when it is not one. */
export function decodeEnvelope(bytes: Uint8Array): EnvelopeMessage {
  const reader = new ProtobufReader(bytes);
  const message: EnvelopeMessage = {
    formatVersion: 0,
    callId: '',
    functionName: '',
    arguments: bytes.subarray(0, 0),
    codec: '',
    compression: 0,
    uncompressedSize: 0,
    createdAt: 0,
    traceparent: '',
    tracestate: '',
    metadata: {},
  };
  while (!reader.done()) {
    const tag = reader.tag();
    if (!readEnvelopeField(reader, tag, message)) skipUnknown(reader, tag);
  }
  return message;
}

function readEnvelopeField(
  reader: ProtobufReader,
  tag: number,
  message: EnvelopeMessage,
): boolean {
  switch (tag) {
    case tagByte(1, VARINT):
      message.formatVersion = reader.uint32();
      return true;
    case tagByte(2, LENGTH_DELIMITED):
      message.callId = reader.string();
      return true;
    case tagByte(3, LENGTH_DELIMITED):
      message.functionName = reader.string();
      return true;
    case tagByte(4, LENGTH_DELIMITED):
      message.arguments = reader.bytes();
      return true;
    case tagByte(5, LENGTH_DELIMITED):
      message.codec = reader.string();
      return true;
    case tagByte(6, VARINT):
      message.compression = reader.uint32() | 0;
      return true;
    case tagByte(7, VARINT):
      message.uncompressedSize = reader.uint32();
      return true;
    case tagByte(8, VARINT):
      message.createdAt = reader.int64();
      return true;
    case tagByte(9, VARINT):
      message.expiresAt = reader.int64();
      return true;
    case tagByte(10, LENGTH_DELIMITED):
      message.traceparent = reader.string();
      return true;
    case tagByte(11, LENGTH_DELIMITED):
      message.tracestate = reader.string();
      return true;
    case tagByte(12, LENGTH_DELIMITED):
      readMetadataEntry(reader.bytes(), message.metadata);
      return true;
    default:
      return false;
  }
}

/** One `map<string, string>` entry; a missing key or value reads as ''. */
function readMetadataEntry(
  bytes: Uint8Array,
  metadata: Record<string, string>,
): void {
  const reader = new ProtobufReader(bytes);
  let key = '';
  let value = '';
  while (!reader.done()) {
    const tag = reader.tag();
    if (tag === tagByte(1, LENGTH_DELIMITED)) key = reader.string();
    else if (tag === tagByte(2, LENGTH_DELIMITED)) value = reader.string();
    else skipUnknown(reader, tag);
  }
  // A key that would replace the prototype is dropped, as protobufjs did.
  if (key !== '__proto__') metadata[key] = value;
}

function skipUnknown(reader: ProtobufReader, tag: number): void {
  if ((tag & 7) === 4) throw new Error('an end-group tag without its group');
  reader.skip(tag & 7);
}

interface EnvelopeSizes {
  callId: number;
  functionName: number;
  codec: number;
  traceparent: number;
  tracestate: number;
  /** UTF-8 sizes of each metadata key and value, in key order. */
  metadata: number[];
  total: number;
}

function envelopeSizes(message: EnvelopeMessage): EnvelopeSizes {
  const sizes: EnvelopeSizes = {
    callId: utf8Size(message.callId),
    functionName: utf8Size(message.functionName),
    codec: utf8Size(message.codec),
    traceparent: utf8Size(message.traceparent),
    tracestate: utf8Size(message.tracestate),
    metadata: [],
    total: 0,
  };
  let total =
    1 +
    varintSize(message.formatVersion) +
    delimitedSize(sizes.callId) +
    delimitedSize(sizes.functionName) +
    delimitedSize(message.arguments.length) +
    delimitedSize(sizes.codec) +
    1 +
    varintSize(message.compression) +
    1 +
    varintSize(message.uncompressedSize) +
    1 +
    int64Size(message.createdAt) +
    delimitedSize(sizes.traceparent) +
    delimitedSize(sizes.tracestate);
  if (message.expiresAt !== undefined)
    total += 1 + int64Size(message.expiresAt);
  for (const [key, value] of Object.entries(message.metadata)) {
    const keySize = utf8Size(key);
    const valueSize = utf8Size(value);
    sizes.metadata.push(keySize, valueSize);
    total += delimitedSize(delimitedSize(keySize) + delimitedSize(valueSize));
  }
  sizes.total = total;
  return sizes;
}

function writeEnvelope(
  buffer: Buffer,
  position: number,
  message: EnvelopeMessage,
  sizes: EnvelopeSizes,
): number {
  let at = varintField(buffer, position, 1, message.formatVersion);
  at = stringField(buffer, at, 2, message.callId, sizes.callId);
  at = stringField(buffer, at, 3, message.functionName, sizes.functionName);
  at = delimited(buffer, at, 4, message.arguments.length);
  buffer.set(message.arguments, at);
  at += message.arguments.length;
  at = stringField(buffer, at, 5, message.codec, sizes.codec);
  at = varintField(buffer, at, 6, message.compression);
  at = varintField(buffer, at, 7, message.uncompressedSize);
  buffer[at++] = tagByte(8, VARINT);
  at = writeInt64(buffer, at, message.createdAt);
  if (message.expiresAt !== undefined) {
    buffer[at++] = tagByte(9, VARINT);
    at = writeInt64(buffer, at, message.expiresAt);
  }
  at = stringField(buffer, at, 10, message.traceparent, sizes.traceparent);
  at = stringField(buffer, at, 11, message.tracestate, sizes.tracestate);
  return writeMetadata(buffer, at, message.metadata, sizes.metadata);
}

function writeMetadata(
  buffer: Buffer,
  position: number,
  metadata: Record<string, string>,
  sizes: readonly number[],
): number {
  let at = position;
  let index = 0;
  for (const [key, value] of Object.entries(metadata)) {
    const keySize = sizes[index++] as number;
    const valueSize = sizes[index++] as number;
    const entrySize = delimitedSize(keySize) + delimitedSize(valueSize);
    at = delimited(buffer, at, 12, entrySize);
    at = stringField(buffer, at, 1, key, keySize);
    at = stringField(buffer, at, 2, value, valueSize);
  }
  return at;
}

function varintField(
  buffer: Buffer,
  position: number,
  field: number,
  value: number,
): number {
  buffer[position] = tagByte(field, VARINT);
  return writeVarint(buffer, position + 1, value);
}

function stringField(
  buffer: Buffer,
  position: number,
  field: number,
  text: string,
  size: number,
): number {
  const at = delimited(buffer, position, field, size);
  return writeUtf8(buffer, at, text, size);
}

/** Writes the tag and length of a length-delimited field. */
function delimited(
  buffer: Uint8Array,
  position: number,
  field: number,
  size: number,
): number {
  buffer[position] = tagByte(field, LENGTH_DELIMITED);
  return writeVarint(buffer, position + 1, size);
}
