import {
  createHmac,
  createSecretKey,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto';
import { DispatchError } from '../errors.ts';

/** One HMAC-SHA-256 key: `id` travels in each frame, `secret` never does. */
export interface SigningKey {
  /** 1 to 64 characters of `A-Z a-z 0-9 . _ : -`. */
  id: string;
  /** At least 16 bytes; 32 random bytes are a good choice. */
  secret: Uint8Array;
}

/** Signs frames with one key and verifies them with any key it holds. */
export interface KeyRing {
  /** The id of the key that signs. */
  readonly signingKeyId: string;
  /** Every key id that verifies, the signing key first. */
  readonly keyIds: readonly string[];
  /** HMAC-SHA-256 of `bytes` with the signing key (32 bytes). */
  sign(bytes: Uint8Array): Uint8Array;
  /** True when `signature` is the MAC of `bytes` under key `keyId`. */
  verify(keyId: string, bytes: Uint8Array, signature: Uint8Array): boolean;
}

const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MIN_SECRET_BYTES = 16;
const MAC_BYTES = 32;

/**
 * Creates a key ring: the first key signs, every key verifies, so keys
 * can be rotated by putting the new key first and keeping the old one
 * until no frame signed with it is in flight.
 *
 * @example
 * const ring = createKeyRing([{ id: 'k2', secret }, { id: 'k1', secret: old }]);
 */
export function createKeyRing(keys: readonly SigningKey[]): KeyRing {
  const first = keys[0];
  if (first === undefined) {
    throw new DispatchError(
      'NO_SIGNING_KEY',
      'createKeyRing: at least one signing key is required',
    );
  }

  const secrets = new Map<string, KeyObject>();
  for (const [index, key] of keys.entries()) {
    checkKey(key, index, secrets);
    secrets.set(key.id, createSecretKey(key.secret));
  }

  const signingSecret = secrets.get(first.id) as KeyObject;
  return {
    signingKeyId: first.id,
    keyIds: [...secrets.keys()],
    sign(bytes: Uint8Array): Uint8Array {
      return createHmac('sha256', signingSecret).update(bytes).digest();
    },
    verify(keyId: string, bytes: Uint8Array, signature: Uint8Array): boolean {
      const secret = secrets.get(keyId);
      if (secret === undefined || signature.length !== MAC_BYTES) return false;
      const expected = createHmac('sha256', secret).update(bytes).digest();
      return timingSafeEqual(expected, signature);
    },
  };
}

function checkKey(
  key: SigningKey,
  index: number,
  seen: ReadonlyMap<string, unknown>,
): void {
  const where = `createKeyRing: key ${index + 1}`;
  if (typeof key.id !== 'string' || !KEY_ID.test(key.id)) {
    throw invalid(
      `${where}: id must be 1-64 characters of A-Z a-z 0-9 . _ : -`,
    );
  }
  if (!(key.secret instanceof Uint8Array)) {
    throw invalid(`${where} ("${key.id}"): secret must be a Uint8Array`);
  }
  if (key.secret.length < MIN_SECRET_BYTES) {
    throw invalid(
      `${where} ("${key.id}"): secret has ${key.secret.length} bytes, ` +
        `at least ${MIN_SECRET_BYTES} are required`,
    );
  }
  if (seen.has(key.id)) throw invalid(`${where}: id "${key.id}" is used twice`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

/**
 * Parses `"k2=base64secret,k1=base64secret"`, the format of
 * `DISPATCH_SIGNING_KEYS`: comma-separated `id=secret` pairs, standard or
 * URL-safe base64, the signing key first. Errors name entries by position
 * only: a bare secret ending in `=` padding would otherwise be echoed as
 * if it were an id.
 */
export function parseSigningKeys(text: string): SigningKey[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') {
    throw invalid('signing keys: the list is empty (expected id=base64secret)');
  }

  const keys: SigningKey[] = [];
  for (const [index, entry] of entries.entries()) {
    const key = parseEntry(entry, `signing keys: entry ${index + 1}`);
    const previous = keys.findIndex((other) => other.id === key.id);
    if (previous >= 0) {
      throw invalid(
        `signing keys: entries ${previous + 1} and ${index + 1} have the same key id`,
      );
    }
    keys.push(key);
  }
  return keys;
}

function parseEntry(entry: string, where: string): SigningKey {
  const separator = entry.indexOf('=');
  if (separator < 0) throw invalid(`${where} is not id=base64secret`);

  const id = entry.slice(0, separator).trim();
  if (!KEY_ID.test(id)) {
    throw invalid(
      `${where} has no valid key id before "=" (1-64 characters of A-Z a-z 0-9 . _ : -)`,
    );
  }
  const encoded = entry.slice(separator + 1).trim();
  if (!BASE64.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) {
    throw invalid(`${where}: the secret is not base64`);
  }
  const secret = Buffer.from(encoded, 'base64');
  if (secret.length < MIN_SECRET_BYTES) {
    throw invalid(
      `${where}: the secret has ${secret.length} bytes, at least ${MIN_SECRET_BYTES} are required`,
    );
  }
  return { id, secret: new Uint8Array(secret) };
}

function invalid(message: string): DispatchError {
  return new DispatchError('INVALID_OPTIONS', message);
}
