import { DispatchError } from '@cloud-functions-dispatch/core';
import { OAuth2Client } from 'google-auth-library';

/** Options of the receiver's `oidc` check. */
export interface OidcOptions {
  /**
   * The audience the token must carry: the audience set on the push
   * subscription or the task's `oidcToken`, by default the worker's URL.
   * Several are accepted when given as a list.
   */
  audience: string | readonly string[];
  /**
   * The service account the token must name (`email`, verified): the push
   * subscription's or the task's service account. Several are accepted
   * when given as a list.
   */
  email: string | readonly string[];
  /**
   * Where to fetch the signing certificates, in the PEM-by-key-id shape of
   * `https://www.googleapis.com/oauth2/v1/certs` (the default). They are
   * cached as long as the answer's `Cache-Control: max-age` says.
   */
  certsUrl?: string;
  /**
   * PEM certificates by key id to verify with instead of fetching any,
   * e.g. the Cloud Tasks emulator's `publicKeyPems()`.
   */
  certs?: Readonly<Record<string, string>>;
  /**
   * Accepted `iss` values. Default: `accounts.google.com` and
   * `https://accounts.google.com`, the issuers of Google's ID tokens.
   */
  issuers?: readonly string[];
}

/** What checking one request's token found. */
export type OidcVerdict =
  | { readonly ok: true; readonly email: string }
  | {
      readonly ok: false;
      /** 401 for a refused token; 503 when no certificate could be read. */
      readonly status: 401 | 503;
      /** Why, without the token itself. */
      readonly problem: string;
    };

/** Checks the `Authorization` header of push and task requests. */
export interface OidcVerifier {
  verify(authorization: string | undefined): Promise<OidcVerdict>;
}

const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Creates a verifier of Google-signed ID tokens with google-auth-library:
 * signature against Google's (or the given) certificates, expiry (with the
 * library's five-minute clock skew), issuer, audience, and a verified
 * `email` among the expected service accounts.
 */
export function createOidcVerifier(options: OidcOptions): OidcVerifier {
  const audiences = listOf(options.audience, 'audience');
  const emails = new Set(listOf(options.email, 'email'));
  const issuers = [...(options.issuers ?? GOOGLE_ISSUERS)];
  const client = new OAuth2Client(
    options.certsUrl === undefined
      ? {}
      : { endpoints: { oauth2FederatedSignonPemCertsUrl: options.certsUrl } },
  );
  const certificates = async () =>
    options.certs ?? (await client.getFederatedSignonCertsAsync()).certs;

  return {
    async verify(authorization) {
      const token = BEARER.exec(authorization ?? '')?.[1];
      if (token === undefined) return refused(missingProblem(authorization));

      let certs: Readonly<Record<string, string>>;
      try {
        certs = (await certificates()) as Record<string, string>;
      } catch (error) {
        const problem = `cannot read the certificates: ${firstLine(error)}`;
        return { ok: false, status: 503, problem };
      }

      try {
        const ticket = await client.verifySignedJwtWithCertsAsync(
          token,
          { ...certs },
          audiences,
          issuers,
        );
        return checkEmail(ticket.getPayload()?.email, ticket, emails);
      } catch (error) {
        return refused(firstLine(error));
      }
    },
  };
}

interface Ticket {
  getPayload(): { email_verified?: boolean } | undefined;
}

function checkEmail(
  email: string | undefined,
  ticket: Ticket,
  emails: ReadonlySet<string>,
): OidcVerdict {
  if (email === undefined) return refused('the token names no email');
  if (ticket.getPayload()?.email_verified !== true) {
    return refused(`the token's email "${email}" is not verified`);
  }
  if (!emails.has(email)) {
    return refused(`the token's email "${email}" is not an expected sender`);
  }
  return { ok: true, email };
}

function refused(problem: string): OidcVerdict {
  return { ok: false, status: 401, problem };
}

function missingProblem(authorization: string | undefined): string {
  return authorization === undefined
    ? 'no Authorization header'
    : 'the Authorization header is not "Bearer <token>"';
}

// The library's messages end with the token or its payload after ": ";
// neither belongs in a log line.
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cut = message.indexOf(': ');
  const short = cut < 0 ? message : message.slice(0, cut);
  return short.length > 200 ? `${short.slice(0, 200)}...` : short;
}

function listOf(value: unknown, option: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  const valid =
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((item) => typeof item === 'string' && item !== '');
  if (valid) return [...list];
  throw new DispatchError(
    'INVALID_OPTIONS',
    `receiver: oidc.${option} must be a non-empty string or list of them`,
  );
}
