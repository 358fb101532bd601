export type {
  DispatchLogEntry,
  DispatchLogger,
  DispatchResult,
} from './dispatch-log.ts';
export { formatDispatchLogEntry } from './dispatch-log.ts';
export type {
  CloudTasksEmulator,
  CloudTasksEmulatorOptions,
} from './emulator.ts';
export { startCloudTasksEmulator } from './emulator.ts';
export type { JsonWebKeySet } from './oidc-issuer.ts';
export { OIDC_ISSUER } from './oidc-issuer.ts';
