import {
  findPubSubEmulator,
  PUBSUB_EMULATOR_MISSING,
} from './find-pubsub-emulator.ts';
import { startPubSubEmulator } from './pubsub-emulator.ts';

/** What a vitest global setup shares with the test files of a run. */
export interface SharedPubSubEmulator {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly port: number;
  readonly projectId: string;
}

/** The part of vitest's `TestProject` the setup uses. */
export interface ProvidingProject {
  provide(key: 'pubsubEmulator', value: SharedPubSubEmulator | null): void;
}

/**
 * A vitest `globalSetup`: starts one emulator for the whole run and
 * provides it as `pubsubEmulator` (null, after printing one line, when no
 * emulator is installed). Re-export it as the default of a setup file and
 * declare the key in vitest's `ProvidedContext`.
 *
 * @example
 * // vitest.global-setup.ts
 * export { setupSharedPubSubEmulator as default } from
 *   '@cloud-functions-dispatch/testing';
 * // in a test file
 * const emulator = inject('pubsubEmulator');
 * describe.skipIf(emulator === null)('publishing', () => {});
 */
export async function setupSharedPubSubEmulator(
  project: ProvidingProject,
): Promise<() => Promise<void>> {
  if (findPubSubEmulator() === undefined) {
    process.stderr.write(`${PUBSUB_EMULATOR_MISSING}\n`);
    project.provide('pubsubEmulator', null);
    return async () => {};
  }

  const emulator = await startPubSubEmulator();
  const { host, port, projectId } = emulator;
  project.provide('pubsubEmulator', { host, port, projectId });
  return () => emulator.stop();
}
