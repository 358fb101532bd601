import { COMPRESSION_NONE, COMPRESSION_SNAPPY } from '../envelope.ts';
import type { KeyRing } from '../key-ring.ts';
import { schema } from '../schema.ts';

/** Envelope fields a test may set, even to values sealFrame refuses. */
export interface RawEnvelope {
  formatVersion?: number;
  callId?: string;
  functionName?: string;
  arguments?: Uint8Array;
  codec?: string;
  compression?: 'none' | 'snappy' | number;
  uncompressedSize?: number;
  createdAt?: number;
}

/**
 * Signs an envelope written field by field, so a test can get hostile
 * argument bytes past the MAC the way a holder of the key could.
 */
export function sealRaw(fields: RawEnvelope, keyRing: KeyRing): Uint8Array {
  const args = fields.arguments ?? new Uint8Array();
  const compression =
    fields.compression === 'snappy'
      ? COMPRESSION_SNAPPY
      : fields.compression === 'none' || fields.compression === undefined
        ? COMPRESSION_NONE
        : fields.compression;
  const { envelope: envelopeType, signedFrame } = schema();
  const envelope = envelopeType
    .encode({
      formatVersion: fields.formatVersion ?? 1,
      callId: fields.callId ?? '0190b4a0-0000-7000-8000-000000000000',
      functionName: fields.functionName ?? 'hostile',
      arguments: args,
      codec: fields.codec ?? 'cbor',
      compression,
      uncompressedSize: fields.uncompressedSize ?? args.length,
      createdAt: fields.createdAt ?? 1_700_000_000_000,
    })
    .finish();
  return signedFrame
    .encode({
      envelope,
      keyId: keyRing.signingKeyId,
      signature: keyRing.sign(envelope),
    })
    .finish();
}
