import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The message types of `dispatch.v1`, loaded once per process. */
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

/**
 * The package root is two levels above `src/wire/` and one above a
 * bundled `dist/`, so look upwards instead of assuming either.
 */
function protoPath(): string {
  for (const up of ['../../', '../', '../../../']) {
    const path = fileURLToPath(new URL(up + PROTO_FILE, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`dispatch: ${PROTO_FILE} is missing from the package`);
}
