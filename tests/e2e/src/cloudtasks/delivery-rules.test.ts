// Cloud Tasks end to end: schedules, dedupe keys and the queue's retry
// policy, as a real worker sees them. Times are the worker's clock when a
// body starts; the test runs on the same machine.
import { uniqueName, waitUntil } from '@cloud-functions-dispatch/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordArgs } from '../fixtures/functions.ts';
import type { Report } from '../fixtures/report.ts';
import { failAlways, recordRunTime } from './functions.ts';
import { type CloudTasksSuite, startCloudTasksSuite } from './suite.ts';

const MIN_BACKOFF_MS = 1_000;
const MAX_ATTEMPTS = 3;
const RETRY_CONFIG = {
  maxAttempts: MAX_ATTEMPTS,
  minBackoff: { seconds: MIN_BACKOFF_MS / 1000 },
  maxBackoff: { seconds: 10 },
  maxDoublings: 3,
};

const labelled = (functionName: string, label: string) => (report: Report) =>
  report.functionName === functionName && report.values[0] === label;

const runTime = (report: Report | undefined) => Number(report?.values[1]);

describe('Cloud Tasks schedules, dedupe keys and retries', () => {
  let suite: CloudTasksSuite | undefined;

  const started = (): CloudTasksSuite => {
    if (!suite) throw new Error('delivery-rules: setup did not finish');
    return suite;
  };

  /** True once the emulator holds no task of the queue any more. */
  const queueIsEmpty = async () => {
    const { client, queue } = started();
    const [tasks] = await client.listTasks({ parent: queue });
    return tasks.length === 0;
  };

  beforeAll(async () => {
    suite = await startCloudTasksSuite({ retryConfig: RETRY_CONFIG });
  }, 60_000);

  afterAll(async () => {
    await suite?.stop();
  });

  it('never runs a delayed or scheduled call before its time', async () => {
    const { collector } = started();
    const delayed = uniqueName('delayed');
    const scheduled = uniqueName('scheduled');

    const sentAt = Date.now();
    await recordRunTime.with({ delay: 1_500 })(delayed);
    const at = new Date(Date.now() + 2_000);
    await recordRunTime.with({ at })(scheduled);
    const [delayedRun] = await collector.waitFor(delayed, {
      predicate: labelled('recordRunTime', delayed),
    });
    const [scheduledRun] = await collector.waitFor(scheduled, {
      predicate: labelled('recordRunTime', scheduled),
    });

    expect(runTime(delayedRun)).toBeGreaterThanOrEqual(sentAt + 1_500);
    expect(runTime(scheduledRun)).toBeGreaterThanOrEqual(at.getTime());
  });

  it('runs a call once when its dedupe key is used twice', async () => {
    const { collector } = started();
    const label = uniqueName('dedupe');
    const send = recordArgs.with({ dedupeKey: label });

    const first = await send(label, null);
    const second = await send(label, null);
    await collector.waitFor(label, {
      predicate: labelled('recordArgs', label),
    });
    const drained = await waitUntil(queueIsEmpty, { timeoutMs: 10_000 });

    expect(first.deduplicated).toBe(false);
    expect(second).toMatchObject({ id: first.id, deduplicated: true });
    expect(drained).toBe(true);
    const runs = collector.reports.filter(labelled('recordArgs', label));
    expect(runs.map((run) => run.callId)).toEqual([first.callId]);
  });

  it('retries a failing call with the queue backoff and stops at maxAttempts', async () => {
    const { collector, client } = started();
    const label = uniqueName('failing');

    const receipt = await failAlways(label);
    const runs = await collector.waitFor(label, {
      predicate: labelled('failAlways', label),
      count: MAX_ATTEMPTS,
    });
    // The emulator retires a task once its last attempt failed.
    const retired = await waitUntil(
      async () => {
        const [tasks] = await client.listTasks({ parent: started().queue });
        return !tasks.some((task) => task.name === receipt.id);
      },
      { timeoutMs: 10_000 },
    );

    expect(retired).toBe(true);
    const all = collector.reports.filter(labelled('failAlways', label));
    expect(all.map((run) => run.attempt)).toEqual([1, 2, 3]);
    const gaps = runs.slice(1).map((run, i) => runTime(run) - runTime(runs[i]));
    // Backoff doubles from the minimum: at least 1 s, then at least 2 s.
    expect(gaps[0]).toBeGreaterThanOrEqual(MIN_BACKOFF_MS);
    expect(gaps[1]).toBeGreaterThanOrEqual(2 * MIN_BACKOFF_MS);
  }, 60_000);
});
