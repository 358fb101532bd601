import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';
import type { RetryPolicy } from './queue-config.ts';
import {
  type Harness,
  isGone,
  LOCATION,
  nameOf,
  type ReceivedRequest,
  Status,
  sleep,
  startHarness,
  startTarget,
  type Target,
  uniqueQueueName,
  waitFor,
} from './test-harness.ts';

let harness: Harness;
let target: Target;
// Status codes a path answers, attempt by attempt; 200 once used up.
const scripts = new Map<string, number[]>();

beforeAll(async () => {
  harness = await startHarness({ minDispatchDeadlineMs: 100 });
  target = await startTarget(async (request, response) => {
    // The first request to a /hang-once path never gets an answer.
    const hangs = request.path.startsWith('/hang-once');
    if (hangs && requestsTo(request.path).length === 1) {
      await request.closed;
      return;
    }
    response.statusCode = scripts.get(request.path)?.shift() ?? 200;
    response.end();
  });
});
afterAll(async () => {
  await target.close();
  await harness.close();
});

async function queueWithRetry(
  label: string,
  retryConfig: object,
): Promise<string> {
  const name = uniqueQueueName(label);
  await harness.client.createQueue({
    parent: LOCATION,
    queue: { name, retryConfig },
  });
  return name;
}

function requestsTo(path: string): ReceivedRequest[] {
  return target.requests.filter((request) => request.path === path);
}

describe('retries', () => {
  it('waits at least the backoff between attempts, doubling then linear', async () => {
    const queue = await queueWithRetry('backoff', {
      maxAttempts: 5,
      minBackoff: { nanos: 200_000_000 },
      maxBackoff: { seconds: 1 },
      maxDoublings: 1,
    });
    const policy: RetryPolicy = {
      maxAttempts: 5,
      maxRetryDurationMs: 0,
      minBackoffMs: 200,
      maxBackoffMs: 1000,
      maxDoublings: 1,
    };
    scripts.set('/backoff', [500, 500, 500, 500]);
    await harness.client.createTask({
      parent: queue,
      task: { httpRequest: { url: `${target.url}/backoff` } },
    });

    const attempts = await target.waitForRequests(0).then(() =>
      waitFor(
        () => requestsTo('/backoff').length === 5,
        15_000,
        () => 'five attempts',
      ).then(() => requestsTo('/backoff')),
    );

    const gaps = attempts
      .slice(1)
      .map(
        (request, index) =>
          request.receivedAtMs -
          (attempts[index] as ReceivedRequest).receivedAtMs,
      );
    const backoffs = [1, 2, 3, 4].map((retry) => retryDelayMs(policy, retry));
    expect(backoffs).toEqual([200, 400, 800, 1000]);
    gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(backoffs[index] as number);
    });
  });

  it('stops after maxAttempts and deletes the task', async () => {
    const queue = await queueWithRetry('max-attempts', {
      maxAttempts: 3,
      minBackoff: { nanos: 50_000_000 },
      maxBackoff: { nanos: 50_000_000 },
    });
    scripts.set('/always-fails', Array(10).fill(503));
    const [task] = await harness.client.createTask({
      parent: queue,
      task: { httpRequest: { url: `${target.url}/always-fails` } },
    });

    await waitFor(
      () => isGone(harness.client, nameOf(task)),
      10_000,
      () => 'the task to be given up',
    );
    // Long enough for a fourth attempt, had one been scheduled.
    await sleep(200);

    expect(requestsTo('/always-fails')).toHaveLength(3);
  });

  it('reports earlier attempts in the retry headers', async () => {
    const queue = await queueWithRetry('headers', {
      minBackoff: { nanos: 50_000_000 },
      maxBackoff: { nanos: 50_000_000 },
    });
    scripts.set('/flaky', [404, 503]);
    await harness.client.createTask({
      parent: queue,
      task: { httpRequest: { url: `${target.url}/flaky` } },
    });

    await waitFor(
      () => requestsTo('/flaky').length === 3,
      10_000,
      () => 'three attempts',
    );
    const [first, second, third] = requestsTo('/flaky').map((r) => r.headers);

    expect(first?.['x-cloudtasks-taskretrycount']).toBe('0');
    expect(second).toMatchObject({
      'x-cloudtasks-taskretrycount': '1',
      'x-cloudtasks-taskexecutioncount': '1',
      'x-cloudtasks-taskpreviousresponse': '404',
      'x-cloudtasks-taskretryreason': 'HTTP status code 404',
    });
    // A 5xx counts as a retry but not as an execution.
    expect(third).toMatchObject({
      'x-cloudtasks-taskretrycount': '2',
      'x-cloudtasks-taskexecutioncount': '1',
      'x-cloudtasks-taskpreviousresponse': '503',
    });
  });

  it('aborts an attempt at its dispatch deadline and retries it', async () => {
    const queue = await queueWithRetry('deadline', {
      maxAttempts: 2,
      minBackoff: { nanos: 100_000_000 },
      maxBackoff: { nanos: 100_000_000 },
    });
    const [task] = await harness.client.createTask({
      parent: queue,
      task: {
        dispatchDeadline: { nanos: 300_000_000 },
        httpRequest: { url: `${target.url}/hang-once` },
      },
    });

    await waitFor(
      () => requestsTo('/hang-once').length === 2,
      10_000,
      () => 'a second attempt',
    );
    const [first, second] = requestsTo('/hang-once') as ReceivedRequest[];
    // The target never answered the first attempt: only the emulator
    // giving up can have closed it.
    await first?.closed;
    await waitFor(
      () => isGone(harness.client, nameOf(task)),
      10_000,
      () => 'the retried task to complete',
    );

    expect(second?.headers).toMatchObject({
      'x-cloudtasks-taskretrycount': '1',
      'x-cloudtasks-taskexecutioncount': '0',
    });
    expect(
      second?.headers['x-cloudtasks-taskpreviousresponse'],
    ).toBeUndefined();
    expect(second?.headers['x-cloudtasks-taskretryreason']).toContain(
      'dispatch deadline',
    );
  });

  it('records a timed-out attempt as DEADLINE_EXCEEDED', async () => {
    const queue = await queueWithRetry('deadline-status', {
      minBackoff: { seconds: 60 },
      maxBackoff: { seconds: 60 },
    });
    const [task] = await harness.client.createTask({
      parent: queue,
      task: {
        dispatchDeadline: { nanos: 200_000_000 },
        httpRequest: { url: `${target.url}/hang-once/status` },
      },
    });

    await waitFor(
      async () => {
        const [read] = await harness.client.getTask({ name: nameOf(task) });
        return read.lastAttempt?.responseStatus != null;
      },
      10_000,
      () => 'the failed attempt to be recorded',
    );
    const [read] = await harness.client.getTask({ name: nameOf(task) });

    expect(read.lastAttempt?.responseStatus?.code).toBe(
      Status.DEADLINE_EXCEEDED,
    );
    expect(read.dispatchCount).toBe(1);
    expect(read.responseCount).toBe(0);
  });
});
