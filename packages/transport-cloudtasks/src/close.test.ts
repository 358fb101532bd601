import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type CloudTasksEmulator,
  startCloudTasksEmulator,
} from '@cloud-functions-dispatch/cloudtasks-emulator';
import { waitUntil } from '@cloud-functions-dispatch/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMessage } from './testing/messages.ts';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.ts';
import { createCloudTasksTransport } from './transport.ts';

const QUEUE = 'projects/close-test/locations/here/queues/close';
const CHILD = fileURLToPath(new URL('./testing/send-once.ts', import.meta.url));
// Nothing listens on port 9: dispatches fail and tasks stay queued.
const URL_NOBODY_ANSWERS = 'http://127.0.0.1:9/run';
const EXIT_BOUND_MS = 15_000;

process.env.METADATA_SERVER_DETECTION ??= 'none';

let emulator: CloudTasksEmulator;
let proxy: TcpProxy;

beforeAll(async () => {
  emulator = await startCloudTasksEmulator({ port: 0, queues: [QUEUE] });
  proxy = await startTcpProxy(emulator.address);
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.close();
});

function runChild(): Promise<{ code: number | null; stdout: string }> {
  const env = {
    ...process.env,
    CLOUD_TASKS_EMULATOR_HOST: emulator.address,
    METADATA_SERVER_DETECTION: 'none',
    TEST_QUEUE: QUEUE,
    TEST_URL: URL_NOBODY_ANSWERS,
  };
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CHILD],
      { timeout: EXIT_BOUND_MS, env },
      (_error, stdout) => resolve({ code: child.exitCode, stdout }),
    );
  });
}

describe('closing the Cloud Tasks transport', () => {
  it('ends the connection to the service', async () => {
    const transport = createCloudTasksTransport({
      queue: QUEUE,
      url: URL_NOBODY_ANSWERS,
      emulatorHost: proxy.address,
    });
    await transport.send(makeMessage());
    expect(proxy.openConnections()).toBe(1);

    await transport.close();

    const closed = await waitUntil(() => proxy.openConnections() === 0, {
      timeoutMs: 5_000,
    });
    expect(closed).toBe(true);
  });

  it('lets a process that sent a task and closed exit by itself', async () => {
    const { code, stdout } = await runChild();

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      id: expect.stringMatching(`^${QUEUE}/tasks/`),
      deduplicated: false,
    });
  });
});
