export { EMULATOR_HOST_VARIABLE } from './client.ts';
export { createTransportFromEnv } from './from-env.ts';
export {
  type CloudTasksTransportOptions,
  DEFAULT_TIMEOUT_MS,
  MAX_DISPATCH_DEADLINE_MS,
  MIN_DISPATCH_DEADLINE_MS,
} from './options.ts';
export { MAX_SCHEDULE_AHEAD_MS } from './schedule.ts';
export {
  CALL_ID_HEADER,
  FUNCTION_HEADER,
  MAX_TASK_BYTES,
} from './task-request.ts';
export {
  type CloudTasksTransport,
  createCloudTasksTransport,
} from './transport.ts';
