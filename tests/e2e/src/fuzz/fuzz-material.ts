// The valid frames the fuzz generators start from, made by real callers
// through a capturing transport, and the keys they were signed with.
import { randomBytes } from 'node:crypto';
import {
  createDispatcher,
  createKeyRing,
  type DispatchReceipt,
  jsonCodec,
  type KeyRing,
  type OutgoingMessage,
  type SigningKey,
  type Transport,
} from '@cloud-functions-dispatch/core';
import { readFields } from './protobuf.ts';
import type { Random } from './random.ts';

/** Keys of the worker (`current`) and one it no longer holds. */
export interface FuzzKeys {
  readonly current: SigningKey;
  readonly removed: SigningKey;
  /** Signs with `current`. */
  readonly ring: KeyRing;
}

/** Frames and envelopes the generators mutate or wrap. */
export interface FuzzMaterial {
  readonly keys: FuzzKeys;
  /** Correctly signed frames of `canary`, which must never run. */
  readonly canaryFrames: readonly Uint8Array[];
  /** Frames of `canary` signed with the removed key. */
  readonly removedKeyFrames: readonly Uint8Array[];
  /** Envelope bytes of `fuzzSink` calls, some compressed. */
  readonly sinkEnvelopes: readonly Uint8Array[];
  /** Envelopes of `probe` with a placeholder argument, CBOR and JSON. */
  readonly probeEnvelopes: readonly ProbeEnvelope[];
  /** Signed frames of `probe` whose arguments inflate past the limit. */
  readonly tooLargeFrames: readonly Uint8Array[];
}

/** A probe envelope and the codec its arguments use. */
export interface ProbeEnvelope {
  readonly codec: 'cbor' | 'json';
  readonly envelope: Uint8Array;
}

/** Stands in for a key the generators swap for `__proto__` and friends. */
export const PLACEHOLDER_9 = 'zzzzzzzzz';
export const PLACEHOLDER_11 = 'yyyyyyyyyyy';

/** Makes the material; `random` decides the arguments. */
export async function createFuzzMaterial(
  random: Random,
): Promise<FuzzMaterial> {
  const keys = createKeys(random);
  const signed = callerWith([keys.current]);
  const json = callerWith([keys.current], true);
  const stale = callerWith([keys.removed]);

  const canaryFrames: Uint8Array[] = [];
  const removedKeyFrames: Uint8Array[] = [];
  const sinkEnvelopes: Uint8Array[] = [];
  for (let index = 0; index < 64; index += 1) {
    const text = 'x'.repeat(random.int(0, 3000));
    canaryFrames.push(await signed.send('canary', [text, index]));
    sinkEnvelopes.push(envelopeOf(await signed.send('fuzzSink', [text])));
    if (index < 16) {
      removedKeyFrames.push(await stale.send('canary', [text, index]));
    }
  }

  const bait = { [PLACEHOLDER_9]: { [PLACEHOLDER_11]: { polluted: 1 } } };
  const probeEnvelopes: ProbeEnvelope[] = [
    { codec: 'cbor', envelope: envelopeOf(await signed.send('probe', [bait])) },
    { codec: 'json', envelope: envelopeOf(await json.send('probe', [bait])) },
  ];
  const tooLargeFrames = [
    await signed.send('probe', ['a'.repeat(100_000)]),
    await json.send('probe', ['b'.repeat(200_000)]),
  ];

  return {
    keys,
    canaryFrames,
    removedKeyFrames,
    sinkEnvelopes,
    probeEnvelopes,
    tooLargeFrames,
  };
}

function createKeys(random: Random): FuzzKeys {
  const current = { id: 'fuzz-current', secret: random.bytes(32) };
  const removed = { id: 'fuzz-removed', secret: random.bytes(32) };
  return { current, removed, ring: createKeyRing([current]) };
}

/** The envelope bytes inside a signed frame (field 1). */
export function envelopeOf(frame: Uint8Array): Uint8Array {
  const field = readFields(frame).find((entry) => entry.field === 1);
  if (!field || typeof field.value === 'bigint') {
    throw new Error('fuzz material: a frame without an envelope');
  }
  return field.value;
}

interface Caller {
  send(functionName: string, args: unknown[]): Promise<Uint8Array>;
}

/** A caller that signs with `keys` and keeps what it would send. */
function callerWith(keys: SigningKey[], json = false): Caller {
  let last: OutgoingMessage | undefined;
  const transport: Transport = {
    name: 'fuzz-capture',
    async send(message): Promise<DispatchReceipt> {
      last = message;
      return {
        id: randomBytes(4).toString('hex'),
        callId: message.callId,
        deduplicated: false,
      };
    },
    async flush() {},
    async close() {},
  };
  const caller = createDispatcher({
    transport,
    signing: { keys },
    ...(json ? { codec: jsonCodec } : {}),
  });
  const functions = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return {
    async send(functionName, args) {
      let fn = functions.get(functionName);
      if (fn === undefined) {
        fn = caller.dispatch(functionName, async (..._args: unknown[]) => {});
        functions.set(functionName, fn);
      }
      await fn(...args);
      if (!last) throw new Error('fuzz material: nothing was captured');
      return last.frame;
    },
  };
}
