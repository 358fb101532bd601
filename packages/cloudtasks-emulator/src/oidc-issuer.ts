import { createHash, type webcrypto } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose';

/** A JSON Web Key Set, as `https://www.googleapis.com/oauth2/v3/certs`. */
export interface JsonWebKeySet {
  keys: JWK[];
}

type CryptoKey = webcrypto.CryptoKey;

/** Claims of the ID tokens the emulator attaches to OIDC tasks. */
export const OIDC_ISSUER = 'https://accounts.google.com';

const TOKEN_LIFETIME_SECONDS = 3600;
// A cached token is reused while it has at least this long to live.
const REUSE_MARGIN_MS = 5 * 60_000;

/**
 * Mints Google-shaped OIDC ID tokens, signed RS256 with an RSA key made at
 * start. Receivers verify them with `publicKeys()` (JWKS) or
 * `publicKeyPems()` (the `oauth2/v1/certs` shape).
 */
export class OidcIssuer {
  readonly #privateKey: CryptoKey;
  readonly #jwk: JWK;
  readonly #pem: string;
  readonly #cache = new Map<string, { token: string; expiresAtMs: number }>();

  private constructor(privateKey: CryptoKey, jwk: JWK, pem: string) {
    this.#privateKey = privateKey;
    this.#jwk = jwk;
    this.#pem = pem;
  }

  /** Generates the signing key (RSA 2048). */
  static async create(): Promise<OidcIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', {
      extractable: true,
    });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const pem = await exportSPKI(publicKey);
    return new OidcIssuer(
      privateKey,
      { ...jwk, kid, alg: 'RS256', use: 'sig' },
      pem,
    );
  }

  /** The key id in every token's header. */
  get keyId(): string {
    return this.#jwk.kid as string;
  }

  /** The public key as a JWKS. */
  publicKeys(): JsonWebKeySet {
    return { keys: [{ ...this.#jwk }] };
  }

  /** The public key as a PEM by key id. */
  publicKeyPems(): Record<string, string> {
    return { [this.keyId]: this.#pem };
  }

  /** An ID token for `email` with audience `audience`, valid one hour. */
  async token(email: string, audience: string): Promise<string> {
    const key = `${email}\n${audience}`;
    const cached = this.#cache.get(key);
    if (cached && cached.expiresAtMs - Date.now() > REUSE_MARGIN_MS) {
      return cached.token;
    }

    const subject = numericSubject(email);
    const claims = { email, email_verified: true, azp: subject };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.keyId, typ: 'JWT' })
      .setIssuer(OIDC_ISSUER)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
      .sign(this.#privateKey);
    const expiresAtMs = Date.now() + TOKEN_LIFETIME_SECONDS * 1000;
    this.#cache.set(key, { token, expiresAtMs });
    return token;
  }
}

// Google puts a service account's numeric unique id in `sub` (and `azp`);
// a stable number derived from the email stands in for it.
function numericSubject(email: string): string {
  const digest = createHash('sha256').update(email).digest();
  return `1${digest.readBigUInt64BE(0).toString().padStart(20, '0')}`;
}
