import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * The message types of `dispatch.v1` as protobufjs reads the `.proto`
 * file: tests check the hand-written frame codec against them.
 */
export interface Schema {
  readonly envelope: protobuf.Type;
  readonly signedFrame: protobuf.Type;
}

const PROTO_FILE = 'proto/dispatch/v1/dispatch.proto';

let loaded: Schema | undefined;

/** Loads `dispatch.proto` on first use; later calls reuse the types. */
export function schema(): Schema {
  loaded ??= load();
  return loaded;
}

function load(): Schema {
  const root = protobuf.loadSync(protoPath());
  return {
    envelope: root.lookupType('dispatch.v1.Envelope'),
    signedFrame: root.lookupType('dispatch.v1.SignedFrame'),
  };
}

function protoPath(): string {
  const path = fileURLToPath(
    new URL(`../../../${PROTO_FILE}`, import.meta.url),
  );
  if (!existsSync(path)) throw new Error(`${PROTO_FILE} is missing`);
  return path;
}
