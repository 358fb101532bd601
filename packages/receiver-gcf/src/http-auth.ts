import { DispatchError } from '@cloud-functions-dispatch/core';
import type { Request } from '@google-cloud/functions-framework';
import type { RefusalReason } from './answer.ts';
import { requestSource } from './http-request.ts';
import type { Receiver } from './receiver-options.ts';

/**
 * Checks the request's OIDC token when the receiver has `oidc` set.
 * Resolves to `undefined` when the request may go on, else to why it is
 * refused (logged as an error with `security: true`).
 */
export async function authenticate(
  receiver: Receiver,
  request: Request,
): Promise<RefusalReason | undefined> {
  if (receiver.oidc === undefined) return undefined;

  const verdict = await receiver.oidc.verify(request.header('authorization'));
  if (verdict.ok) return undefined;

  const source = requestSource(request);
  const reason =
    verdict.status === 401 ? 'unauthenticated' : 'certs-unavailable';
  const error = new DispatchError(
    'BAD_SIGNATURE',
    `verify the OIDC token of a ${source} request: ${verdict.problem}`,
  );
  receiver.logger.error(error.message, {
    reason,
    security: verdict.status === 401,
    source,
    traceparent: request.header('traceparent'),
    error,
  });
  return reason;
}
