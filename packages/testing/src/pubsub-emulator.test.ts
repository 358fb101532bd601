import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findPubSubEmulator,
  PUBSUB_EMULATOR_MISSING,
} from './find-pubsub-emulator.ts';
import { isGroupAlive } from './process-group.ts';
import { type PubSubEmulator, startPubSubEmulator } from './pubsub-emulator.ts';
import { receiveMessages } from './receive-messages.ts';
import { uniqueName } from './unique-name.ts';
import { waitUntil } from './wait-until.ts';

const found = findPubSubEmulator();
if (found === undefined) process.stderr.write(`${PUBSUB_EMULATOR_MISSING}\n`);

describe.skipIf(found === undefined)('startPubSubEmulator', () => {
  let emulator: PubSubEmulator;
  let pubsub: PubSub;

  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    pubsub = new PubSub({
      projectId: emulator.projectId,
      apiEndpoint: emulator.host,
    });
  }, 90_000);

  afterAll(async () => {
    await pubsub?.close();
    await emulator?.stop();
  });

  it('listens on 127.0.0.1 and answers a real client', async () => {
    const [topic] = await pubsub.createTopic(uniqueName('topic'));
    const [subscription] = await topic.createSubscription(uniqueName('sub'));
    const messageId = await topic.publishMessage({ data: Buffer.from('hi') });

    const [received] = await receiveMessages(subscription, 1);

    expect(emulator.host).toBe(`127.0.0.1:${emulator.port}`);
    expect(received?.id).toBe(messageId);
  });

  it('gives child processes what they need to reach it', () => {
    expect(emulator.env).toEqual({
      PUBSUB_EMULATOR_HOST: emulator.host,
      PUBSUB_PROJECT_ID: emulator.projectId,
      GOOGLE_CLOUD_PROJECT: emulator.projectId,
      METADATA_SERVER_DETECTION: 'none',
    });
  });

  it('stop() ends the whole process group', async () => {
    await emulator.stop();

    const gone = await waitUntil(() => !isGroupAlive(emulator.pid), {
      timeoutMs: 10_000,
    });
    expect(gone).toBe(true);
  });
});

describe('startPubSubEmulator with a launcher that fails', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'fake-emulator-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function fakeLauncher(name: string, body: string): Promise<string> {
    const path = join(folder, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  }

  it('reports a launcher that exits, with its last output', async () => {
    const bin = await fakeLauncher('exits', 'echo "no java here" >&2; exit 3');

    await expect(startPubSubEmulator({ bin })).rejects.toThrow(
      /exited before it answered; its last output:\nno java here/,
    );
  });

  it('gives up on a launcher that never answers and kills it', async () => {
    const bin = await fakeLauncher('hangs', 'echo "$$" ; exec sleep 300');

    const failure = await startPubSubEmulator({ bin, startTimeoutMs: 300 })
      .then(() => undefined)
      .catch((error: Error) => error);

    expect(failure?.message).toMatch(/did not answer within 300 ms/);
    const pid = Number(/output:\n(\d+)/.exec(failure?.message ?? '')?.[1]);
    const gone = await waitUntil(() => !isGroupAlive(pid), {
      timeoutMs: 10_000,
    });
    expect(gone).toBe(true);
  });
});
