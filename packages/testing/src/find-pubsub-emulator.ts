import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** Where the Debian package google-cloud-cli-pubsub-emulator puts it. */
const DEBIAN_LAUNCHER =
  '/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator';

/** Environment variable that names the emulator launcher explicitly. */
export const PUBSUB_EMULATOR_BIN_ENV = 'PUBSUB_EMULATOR_BIN';

/**
 * Finds the Pub/Sub emulator's own launcher (it starts faster than
 * `gcloud beta emulators pubsub start`). Looks at `PUBSUB_EMULATOR_BIN`
 * first (and only there when it is set), then beside the `gcloud` found on
 * `PATH`, then where the Debian package installs it.
 *
 * @returns the launcher's path, or undefined when there is none.
 */
export function findPubSubEmulator(
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const explicit = env[PUBSUB_EMULATOR_BIN_ENV];
  if (explicit) return isExecutableFile(explicit) ? explicit : undefined;

  const candidates = [launcherBesideGcloud(env.PATH), DEBIAN_LAUNCHER];
  return candidates.find(
    (path): path is string => path !== undefined && isExecutableFile(path),
  );
}

/** The line a suite prints when it skips for want of the emulator. */
export const PUBSUB_EMULATOR_MISSING: string =
  'Skipping Pub/Sub emulator tests: no emulator found (install ' +
  'google-cloud-cli-pubsub-emulator with Java, or set PUBSUB_EMULATOR_BIN).';

function launcherBesideGcloud(path: string | undefined): string | undefined {
  for (const folder of (path ?? '').split(delimiter)) {
    const gcloud = join(folder, 'gcloud');
    if (!folder || !isExecutableFile(gcloud)) continue;

    // gcloud lives in <sdk>/bin; the emulator in <sdk>/platform.
    const sdkRoot = dirname(dirname(realpathSync(gcloud)));
    return join(sdkRoot, 'platform/pubsub-emulator/bin/cloud-pubsub-emulator');
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
