import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { receiveMessages, uniqueName } from '@cloud-functions-dispatch/testing';
import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopic } from './provision.ts';

const PUBLISH_ONCE = fileURLToPath(
  new URL('./fixtures/publish-once.ts', import.meta.url),
);
const EXIT_BOUND_MS = 15_000;

const emulator = inject('pubsubEmulator');

describe.skipIf(emulator === null)('close()', () => {
  let pubsub: PubSub;

  beforeAll(() => {
    if (emulator === null) return;
    pubsub = new PubSub({
      projectId: emulator.projectId,
      apiEndpoint: emulator.host,
    });
  });

  afterAll(async () => {
    await pubsub?.close();
  });

  it('sends what is batched and lets the process exit by itself', async () => {
    if (emulator === null) return;
    const topicName = uniqueName('exit');
    const topic = await ensureTopic(pubsub, topicName);
    const [subscription] = await topic.createSubscription(uniqueName('sub'));

    const child = spawn(process.execPath, [PUBLISH_ONCE], {
      env: {
        ...process.env,
        DISPATCH_PUBSUB_TOPIC: topicName,
        GOOGLE_CLOUD_PROJECT: emulator.projectId,
        PUBSUB_EMULATOR_HOST: emulator.host,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));

    const bound = setTimeout(() => child.kill('SIGKILL'), EXIT_BOUND_MS);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(bound);
    const [received] = await receiveMessages(subscription, 1);

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const report = JSON.parse(output) as { id: string; resources: string[] };
    expect(report.id).toBe(received?.id);
    // Only the stdio pipes this test reads from may remain.
    expect(report.resources.filter((r) => r !== 'PipeWrap')).toEqual([]);
  }, 30_000);
});
