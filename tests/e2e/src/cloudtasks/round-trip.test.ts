// Cloud Tasks end to end: this process dispatches through the transport
// and the official client into our emulator, which POSTs each task to a
// real functions-framework worker running the same functions module.
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  startProcessGroup,
  uniqueName,
} from '@cloud-functions-dispatch/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordArgs, recordDigest } from '../fixtures/functions.ts';
import type { Report } from '../fixtures/report.ts';
import { roundTripValues } from '../fixtures/round-trip-values.ts';
import { findDifference } from '../fixtures/same-value.ts';
import { waitForExit } from '../fixtures/wait-for-exit.ts';
import { type CloudTasksSuite, startCloudTasksSuite } from './suite.ts';

const DISPATCH_ONCE = fileURLToPath(
  new URL('../fixtures/dispatch-once.ts', import.meta.url),
);

const labelled = (functionName: string, label: string) => (report: Report) =>
  report.functionName === functionName && report.values[0] === label;

const sha256 = (bytes: Uint8Array) =>
  createHash('sha256').update(bytes).digest('hex');

describe('Cloud Tasks HTTP tasks to a worker', () => {
  let suite: CloudTasksSuite | undefined;

  const started = (): CloudTasksSuite => {
    if (!suite) throw new Error('round-trip: setup did not finish');
    return suite;
  };

  beforeAll(async () => {
    suite = await startCloudTasksSuite();
  }, 60_000);

  afterAll(async () => {
    await suite?.stop();
  });

  it('runs 200 calls with the round-trip values exactly as sent, none lost', async () => {
    const { collector } = started();
    const seeds = Array.from({ length: 200 }, (_, seed) => seed);

    const receipts = await Promise.all(
      seeds.map((seed) => recordArgs(`values-${seed}`, roundTripValues(seed))),
    );
    const reports = await collector.waitFor('200 round trips', {
      predicate: (report) => String(report.values[0]).startsWith('values-'),
      distinct: (report) => report.values[0],
      count: seeds.length,
      timeoutMs: 60_000,
    });

    const differences = seeds.flatMap((seed) => {
      const report = reports.find((r) => r.values[0] === `values-${seed}`);
      const difference = findDifference(
        report?.values[1],
        roundTripValues(seed),
      );
      return difference ? [`seed ${seed}: ${difference}`] : [];
    });
    expect(differences).toEqual([]);
    const callIds = new Set(reports.map((report) => report.callId));
    expect(callIds).toEqual(new Set(receipts.map((r) => r.callId)));
    const queue = `${started().queue}/tasks/`;
    expect(receipts.filter((r) => !r.id.startsWith(queue))).toEqual([]);
  }, 90_000);

  it('refuses a 1.2 MB incompressible argument in the caller, creating no task', async () => {
    const { client, queue } = started();
    const label = uniqueName('too-large');
    // Paused, the queue keeps every task it receives, so an empty list
    // shows nothing was created.
    await client.pauseQueue({ name: queue });

    try {
      await expect(
        recordDigest(label, randomBytes(1_200_000)),
      ).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        functionName: 'recordDigest',
        message: expect.stringMatching(/over the 1000000-byte task limit/),
      });
      const [tasks] = await client.listTasks({ parent: queue });
      expect(tasks).toEqual([]);
    } finally {
      await client.resumeQueue({ name: queue });
    }
  });

  it('carries 5 MB of one repeated character, compressed under the limit', async () => {
    const { collector } = started();
    const label = uniqueName('repeated');
    const bytes = Buffer.alloc(5_000_000, 'x');

    await recordDigest(label, bytes);
    const [report] = await collector.waitFor(label, {
      predicate: labelled('recordDigest', label),
    });

    expect(report?.values).toEqual([label, 5_000_000, sha256(bytes)]);
  });

  it('lets a caller configured only by environment dispatch once and exit by itself', async () => {
    const { emulator, collector, worker, queue, keysText } = started();
    const label = uniqueName('child');
    const child = startProcessGroup({
      command: process.execPath,
      args: [DISPATCH_ONCE, label],
      env: {
        ...process.env,
        DISPATCH_TRANSPORT: 'cloudtasks',
        DISPATCH_CLOUDTASKS_QUEUE: queue,
        DISPATCH_TARGET_URL: `${worker.url}/`,
        DISPATCH_SIGNING_KEYS: keysText,
        CLOUD_TASKS_EMULATOR_HOST: emulator.address,
      },
    });

    const exit = await waitForExit(child, 15_000);

    expect(exit, child.output()).toEqual({ code: 0, signal: null });
    const receipt = JSON.parse(child.output().trim().split('\n').at(-1) ?? '');
    const [report] = await collector.waitFor(label, {
      predicate: labelled('recordArgs', label),
    });
    expect(report?.callId).toBe(receipt.callId);
    expect(receipt.id).toMatch(`${queue}/tasks/`);
  }, 30_000);
});
