import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getFreePort } from '@cloud-functions-dispatch/testing';
import { describe, expect, it } from 'vitest';

const PUBLISH_UNREACHABLE = fileURLToPath(
  new URL('./fixtures/publish-unreachable.ts', import.meta.url),
);
// Far below the default 60 s publish timeout the child runs with.
const EXIT_BOUND_MS = 15_000;

interface ChildResult {
  code: number | null;
  stdout: string;
}

function runChild(emulatorHost: string): Promise<ChildResult> {
  const env = {
    ...process.env,
    PUBSUB_EMULATOR_HOST: emulatorHost,
    GOOGLE_CLOUD_PROJECT: 'unreachable-project',
    METADATA_SERVER_DETECTION: 'none',
  };
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [PUBLISH_UNREACHABLE],
      { env, timeout: EXIT_BOUND_MS },
      (_error, stdout) => resolve({ code: child.exitCode, stdout }),
    );
  });
}

describe('the Pub/Sub transport with nothing listening at the emulator address', () => {
  it('fails the publish naming the emulator and the refused connection, then lets the process exit', async () => {
    // Free a moment ago, so nothing listens there now.
    const closedPort = await getFreePort();
    const host = `127.0.0.1:${closedPort}`;

    const { code, stdout } = await runChild(host);

    expect(code).toBe(0);
    const outcome = JSON.parse(stdout) as { code: string; message: string };
    expect(outcome.code).toBe('TRANSPORT_FAILED');
    expect(outcome.message).toContain(`via the Pub/Sub emulator at ${host}`);
    expect(outcome.message).toContain('ECONNREFUSED');
  }, 20_000);
});
