import { status } from '@grpc/grpc-js';

/**
 * A failure answered to the gRPC caller with `code` and `message` as the
 * status details, the way the service answers a bad request.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: status;

  constructor(code: status, message: string) {
    super(message);
    this.code = code;
  }
}

/** INVALID_ARGUMENT naming what was wrong. */
export function invalidArgument(message: string): RpcError {
  return new RpcError(status.INVALID_ARGUMENT, message);
}

/** NOT_FOUND naming the missing resource. */
export function notFound(message: string): RpcError {
  return new RpcError(status.NOT_FOUND, message);
}

/** ALREADY_EXISTS naming the taken resource. */
export function alreadyExists(message: string): RpcError {
  return new RpcError(status.ALREADY_EXISTS, message);
}

/** FAILED_PRECONDITION naming the resource and the state that forbids it. */
export function failedPrecondition(message: string): RpcError {
  return new RpcError(status.FAILED_PRECONDITION, message);
}
