import { randomBytes } from 'node:crypto';
import type { Environment } from './env-config.ts';
import { DispatchError } from './errors.ts';
import {
  createKeyRing,
  type KeyRing,
  parseSigningKeys,
  type SigningKey,
} from './wire/index.ts';

/** Keys to sign and verify frames with: the first signs, all verify. */
export interface SigningOptions {
  keys: readonly SigningKey[];
}

/** True when `value` is a ready {@link KeyRing}. */
function isKeyRing(value: SigningOptions | KeyRing): value is KeyRing {
  return typeof (value as Partial<KeyRing>).sign === 'function';
}

/**
 * The key ring from options, else from `DISPATCH_SIGNING_KEYS`, else
 * `undefined`. Throws `INVALID_OPTIONS` for a bad key list.
 */
export function resolveKeyRing(
  signing: SigningOptions | KeyRing | undefined,
  env: Environment,
): KeyRing | undefined {
  if (signing !== undefined) {
    return isKeyRing(signing) ? signing : createKeyRing(signing.keys);
  }
  const text = env.DISPATCH_SIGNING_KEYS?.trim();
  if (text === undefined || text === '') return undefined;
  return createKeyRing(parseSigningKeys(text));
}

/** A key ring with one random key, for calls that never leave the process. */
export function createLocalKeyRing(): KeyRing {
  const id = `local-${randomBytes(4).toString('hex')}`;
  return createKeyRing([{ id, secret: randomBytes(32) }]);
}

/** The `NO_SIGNING_KEY` error for sending through `transportName`. */
export function noSigningKeyError(
  functionName: string,
  transportName: string,
): DispatchError {
  return new DispatchError(
    'NO_SIGNING_KEY',
    `dispatch ${functionName}: transport ${transportName} needs a signing ` +
      'key; set DISPATCH_SIGNING_KEYS ("keyId=base64secret") or the ' +
      '`signing` option',
    { functionName },
  );
}
