import {
  createKeyRing,
  DispatchError,
  type Environment,
  type KeyRing,
  type Logger,
  parseSigningKeys,
  type SigningOptions,
} from '@cloud-functions-dispatch/core';

/** The environment variable that marks a development run. */
export const DEVELOPMENT_ENV = 'DISPATCH_DEVELOPMENT';

/** What the start-up check needs from the receiver's options. */
export interface SigningCheckOptions {
  signing?: SigningOptions | KeyRing | undefined;
  allowMissingKeys?: boolean | undefined;
  env?: Environment | undefined;
}

/**
 * Checks at start-up that frames can be verified: the keys given in code
 * (`signing`), else `DISPATCH_SIGNING_KEYS`. Without any, throws
 * `NO_SIGNING_KEY`, unless this is a development run, which is logged
 * once as a warning. Returns the key ids found (signing key first).
 */
export function checkSigningKeys(
  options: SigningCheckOptions,
  logger: Logger,
): readonly string[] {
  const env = options.env ?? process.env;
  const keyIds = visibleKeyIds(options.signing, env);
  if (keyIds.length > 0) {
    logger.debug('receiver: verifying frames with keys', { keyIds });
    return keyIds;
  }

  if (!isDevelopmentRun(options, env)) throw noSigningKey();

  logger.warn(
    'receiver: no signing key is configured; this is a development run ' +
      `(${developmentReason(options)}), so every frame is answered ` +
      '"no-signing-key" and retried until keys are set',
    { reason: 'no-signing-key' },
  );
  return [];
}

function visibleKeyIds(
  signing: SigningOptions | KeyRing | undefined,
  env: Environment,
): readonly string[] {
  if (signing !== undefined) {
    if (!isKeyRing(signing)) return createKeyRing(signing.keys).keyIds;
    // A hand-written KeyRing may lack keyIds; it signs with one key at least.
    return signing.keyIds ?? [signing.signingKeyId];
  }

  const text = env.DISPATCH_SIGNING_KEYS?.trim();
  if (text === undefined || text === '') return [];
  try {
    return createKeyRing(parseSigningKeys(text)).keyIds;
  } catch (error) {
    throw new DispatchError(
      'INVALID_OPTIONS',
      `receiver: DISPATCH_SIGNING_KEYS cannot be used: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

function isKeyRing(signing: SigningOptions | KeyRing): signing is KeyRing {
  return typeof (signing as Partial<KeyRing>).sign === 'function';
}

function isDevelopmentRun(
  options: SigningCheckOptions,
  env: Environment,
): boolean {
  if (options.allowMissingKeys !== undefined) return options.allowMissingKeys;
  const flag = env[DEVELOPMENT_ENV]?.trim().toLowerCase();
  return flag === '1' || flag === 'true';
}

function developmentReason(options: SigningCheckOptions): string {
  return options.allowMissingKeys === true
    ? 'allowMissingKeys: true'
    : `${DEVELOPMENT_ENV}=1`;
}

function noSigningKey(): DispatchError {
  return new DispatchError(
    'NO_SIGNING_KEY',
    'receiver: no signing key is configured, so no frame could be ' +
      'verified; set DISPATCH_SIGNING_KEYS ("keyId=base64secret,...", the ' +
      "caller's keys), pass the keys configured in code as `signing`, or " +
      `mark a development run with ${DEVELOPMENT_ENV}=1 or ` +
      '`allowMissingKeys: true`',
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
