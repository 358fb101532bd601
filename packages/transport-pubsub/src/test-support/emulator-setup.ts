import type { SharedPubSubEmulator } from '@cloud-functions-dispatch/testing';

export { setupSharedPubSubEmulator as default } from '@cloud-functions-dispatch/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's emulator, or null when none is installed. */
    pubsubEmulator: SharedPubSubEmulator | null;
  }
}
