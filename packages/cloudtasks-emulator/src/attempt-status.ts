import { status } from '@grpc/grpc-js';
import type { AttemptOutcome } from './http-attempt.ts';
import type { StatusMessage } from './proto-types.ts';

// HTTP statuses with their own google.rpc.Code, per google/rpc/code.proto.
const CODE_BY_HTTP_STATUS: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.ABORTED,
  429: status.RESOURCE_EXHAUSTED,
  499: status.CANCELLED,
  501: status.UNIMPLEMENTED,
  503: status.UNAVAILABLE,
  504: status.DEADLINE_EXCEEDED,
};

/** Whether an HTTP status completes a task. */
export function isSuccess(httpStatus: number): boolean {
  return httpStatus >= 200 && httpStatus < 300;
}

/**
 * The `google.rpc.Status` recorded as an attempt's `responseStatus`; its
 * message is also sent as the next attempt's `X-CloudTasks-TaskRetryReason`.
 */
export function attemptStatus(
  outcome: AttemptOutcome,
  deadlineMs: number,
): StatusMessage {
  switch (outcome.kind) {
    case 'response':
      return {
        code: codeForHttpStatus(outcome.status),
        message: `HTTP status code ${outcome.status}`,
      };
    case 'deadline-exceeded':
      return {
        code: status.DEADLINE_EXCEEDED,
        message: `No response within the dispatch deadline of ${deadlineMs / 1000}s`,
      };
    case 'network-error':
      return {
        code: status.UNAVAILABLE,
        message: `Request failed: ${outcome.message}`,
      };
    case 'aborted':
      return { code: status.CANCELLED, message: 'Request cancelled' };
  }
}

function codeForHttpStatus(httpStatus: number): status {
  if (isSuccess(httpStatus)) return status.OK;
  const known = CODE_BY_HTTP_STATUS[httpStatus];
  if (known !== undefined) return known;
  if (httpStatus >= 400 && httpStatus < 500) return status.FAILED_PRECONDITION;
  if (httpStatus >= 500 && httpStatus < 600) return status.INTERNAL;
  return status.UNKNOWN;
}
