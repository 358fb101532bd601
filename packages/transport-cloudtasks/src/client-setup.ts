import type { CloudTasksClient } from '@google-cloud/tasks';

/** google-auth-library's message when no credentials can be found. */
const NO_CREDENTIALS = 'Could not load the default credentials';

/**
 * Sets the client up once, before its first call, and keeps a failure
 * to hand to every send.
 *
 * Each method of `CloudTasksClient` calls `initialize()` again and
 * rethrows its failure from a `.catch` that nobody awaits: an unhandled
 * rejection that ends the process even when the caller caught the send.
 * Awaiting `initialize()` here first, and calling no method once it
 * failed, keeps the failure inside the send that met it.
 */
export interface ClientSetup {
  /** Resolves with the setup failure, or `undefined` once it is ready. */
  ready(): Promise<Error | undefined>;
  /** True once setup succeeded: sends need not wait for {@link ready}. */
  isReady(): boolean;
  /** True when setup was started and failed: nothing is open to close. */
  failed(): Promise<boolean>;
}

/** Creates the {@link ClientSetup} of `client`; nothing starts until used. */
export function createClientSetup(client: CloudTasksClient): ClientSetup {
  let setup: Promise<Error | undefined> | undefined;
  let succeeded = false;

  const ready = (): Promise<Error | undefined> => {
    setup ??= client.initialize().then(
      () => {
        succeeded = true;
        return undefined;
      },
      (error: unknown) => asError(error),
    );
    return setup;
  };

  const failed = async (): Promise<boolean> =>
    setup !== undefined && (await setup) !== undefined;

  return { ready, isReady: () => succeeded, failed };
}

/**
 * Explains a setup failure in one sentence; the missing credentials
 * case says what to set.
 */
export function describeSetupFailure(error: Error): string {
  if (!error.message.includes(NO_CREDENTIALS)) {
    return `cannot set up the Cloud Tasks client: ${error.message}`;
  }
  return (
    'no Google credentials found (set GOOGLE_APPLICATION_CREDENTIALS or ' +
    'run `gcloud auth application-default login`; for an emulator set ' +
    `CLOUD_TASKS_EMULATOR_HOST): ${error.message}`
  );
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
