import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const QUEUE = 'projects/dev/locations/here/queues/dispatch';
const CHILD = fileURLToPath(
  new URL('./testing/send-without-credentials.ts', import.meta.url),
);
const EXIT_BOUND_MS = 15_000;

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let emptyHome: string;

beforeAll(async () => {
  emptyHome = await mkdtemp(join(tmpdir(), 'no-credentials-'));
});

afterAll(async () => {
  await rm(emptyHome, { recursive: true, force: true });
});

/** Runs the child with no way to find credentials and no metadata probe. */
function runChild(close: boolean): Promise<ChildResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: emptyHome,
    CLOUDSDK_CONFIG: emptyHome,
    METADATA_SERVER_DETECTION: 'none',
    TEST_QUEUE: QUEUE,
    TEST_CLOSE: close ? '1' : '0',
  };
  delete env.GOOGLE_APPLICATION_CREDENTIALS;
  delete env.CLOUD_TASKS_EMULATOR_HOST;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CHILD],
      { timeout: EXIT_BOUND_MS, env },
      (_error, stdout, stderr) =>
        resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const sendFailure = {
  code: 'TRANSPORT_FAILED',
  message: expect.stringMatching(
    new RegExp(`createTask in ${QUEUE} .*no Google credentials found`),
  ),
};

describe('a Cloud Tasks transport without credentials', () => {
  it('fails the send with TRANSPORT_FAILED and lets the process exit 0', async () => {
    const { code, stdout, stderr } = await runChild(false);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([sendFailure]);
  });

  it('closes without an error, twice, after the send failed', async () => {
    const { code, stdout, stderr } = await runChild(true);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([sendFailure, 'ok', 'ok']);
  });
});
