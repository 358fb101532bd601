import {
  type ServerUnaryCall,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { EmulatorContext, RpcHandler } from './emulator-context.ts';
import { queueHandlers } from './queue-handlers.ts';
import { RpcError } from './rpc-error.ts';
import { taskHandlers } from './task-handlers.ts';

// Methods of the v2 service the emulator answers with UNIMPLEMENTED.
const UNIMPLEMENTED = ['GetIamPolicy', 'SetIamPolicy', 'TestIamPermissions'];

/** The CloudTasks v2 service implementation for `server.addService`. */
export function createServiceImplementation(
  context: EmulatorContext,
): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  const handlers = { ...queueHandlers(context), ...taskHandlers(context) };
  for (const [method, handler] of Object.entries(handlers)) {
    implementation[method] = unary(handler);
  }
  for (const method of UNIMPLEMENTED) {
    implementation[method] = unary(() => {
      throw new RpcError(
        status.UNIMPLEMENTED,
        `${method} is not implemented by the Cloud Tasks emulator.`,
      );
    });
  }
  return implementation;
}

function unary(handler: RpcHandler) {
  return (
    call: ServerUnaryCall<unknown, object>,
    callback: sendUnaryData<object>,
  ): void => {
    let response: object;
    try {
      response = handler(call.request as never);
    } catch (error) {
      callback(toStatus(error));
      return;
    }
    callback(null, response);
  };
}

function toStatus(error: unknown): { code: status; details: string } {
  if (error instanceof RpcError) {
    return { code: error.code, details: error.message };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { code: status.INTERNAL, details: `Emulator error: ${detail}` };
}
