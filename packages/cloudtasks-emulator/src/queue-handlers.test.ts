import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  LOCATION,
  nameOf,
  Status,
  startHarness,
  uniqueQueueName,
} from './test-harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ queueNameReuseWindowMs: 60_000 });
});
afterAll(() => harness.close());

async function createQueue(label: string, settings: object = {}) {
  const name = uniqueQueueName(label);
  const [queue] = await harness.client.createQueue({
    parent: LOCATION,
    queue: { name, ...settings },
  });
  return queue;
}

describe('queues', () => {
  it('creates a queue with the service defaults and reads it back', async () => {
    const created = await createQueue('defaults');

    const [queue] = await harness.client.getQueue({ name: nameOf(created) });

    expect(queue).toEqual(created);
    expect(queue).toMatchObject({
      state: 'RUNNING',
      rateLimits: {
        maxDispatchesPerSecond: 500,
        maxBurstSize: 100,
        maxConcurrentDispatches: 1000,
      },
      retryConfig: {
        maxAttempts: 100,
        minBackoff: { seconds: '0', nanos: 100_000_000 },
        maxBackoff: { seconds: '3600', nanos: 0 },
        maxDoublings: 16,
      },
    });
  });

  it('keeps the rate limits and retry settings it was created with', async () => {
    const queue = await createQueue('custom', {
      rateLimits: { maxDispatchesPerSecond: 7, maxConcurrentDispatches: 3 },
      retryConfig: {
        maxAttempts: -1,
        minBackoff: { seconds: 2 },
        maxBackoff: { seconds: 60 },
        maxDoublings: 4,
        maxRetryDuration: { seconds: 600 },
      },
    });

    expect(queue.rateLimits).toMatchObject({
      maxDispatchesPerSecond: 7,
      maxConcurrentDispatches: 3,
    });
    expect(queue.retryConfig).toMatchObject({
      maxAttempts: -1,
      minBackoff: { seconds: '2' },
      maxBackoff: { seconds: '60' },
      maxDoublings: 4,
      maxRetryDuration: { seconds: '600' },
    });
  });

  it('lists the queues of a location page by page', async () => {
    const parent = 'projects/test-project/locations/listing';
    const names = ['a', 'b', 'c', 'd', 'e'].map(
      (id) => `${parent}/queues/${id}`,
    );
    for (const name of names) {
      await harness.client.createQueue({ parent, queue: { name } });
    }

    const [firstPage, next] = await harness.client.listQueues(
      { parent, pageSize: 2 },
      { autoPaginate: false },
    );
    const all = [];
    const pages = harness.client.listQueuesAsync(
      { parent, pageSize: 2 },
      { autoPaginate: false },
    );
    for await (const queue of pages) all.push(queue);

    expect(firstPage.map((queue) => queue.name)).toEqual(names.slice(0, 2));
    expect(next?.pageToken).toBeTruthy();
    expect(all.map((queue) => queue.name)).toEqual(names);
  });

  it('filters listed queues by state', async () => {
    const parent = 'projects/test-project/locations/filtering';
    const running = `${parent}/queues/running`;
    const paused = `${parent}/queues/paused`;
    await harness.client.createQueue({ parent, queue: { name: running } });
    await harness.client.createQueue({ parent, queue: { name: paused } });
    await harness.client.pauseQueue({ name: paused });

    const [queues] = await harness.client.listQueues({
      parent,
      filter: 'state: PAUSED',
    });

    expect(queues.map((queue) => queue.name)).toEqual([paused]);
  });

  it('updates only the fields named in the update mask', async () => {
    const queue = await createQueue('masked', {
      rateLimits: { maxDispatchesPerSecond: 10, maxConcurrentDispatches: 4 },
      retryConfig: { maxAttempts: 5 },
    });

    const [updated] = await harness.client.updateQueue({
      queue: {
        name: nameOf(queue),
        rateLimits: { maxDispatchesPerSecond: 50, maxConcurrentDispatches: 9 },
        retryConfig: { maxAttempts: 8 },
      },
      updateMask: { paths: ['rate_limits.max_dispatches_per_second'] },
    });

    expect(updated.rateLimits).toMatchObject({
      maxDispatchesPerSecond: 50,
      maxBurstSize: 10,
      maxConcurrentDispatches: 4,
    });
    expect(updated.retryConfig?.maxAttempts).toBe(5);
  });

  it('creates the queue when UpdateQueue names one that does not exist', async () => {
    const name = uniqueQueueName('upsert');

    await harness.client.updateQueue({
      queue: { name, retryConfig: { maxAttempts: 3 } },
    });
    const [queue] = await harness.client.getQueue({ name });

    expect(queue.retryConfig?.maxAttempts).toBe(3);
  });

  it('pauses and resumes a queue', async () => {
    const queue = await createQueue('pausing');

    const [paused] = await harness.client.pauseQueue({ name: nameOf(queue) });
    const [resumed] = await harness.client.resumeQueue({ name: nameOf(queue) });

    expect(paused.state).toBe('PAUSED');
    expect(resumed.state).toBe('RUNNING');
  });

  it('deletes a queue', async () => {
    const queue = await createQueue('deleting');

    await harness.client.deleteQueue({ name: nameOf(queue) });

    await expect(
      harness.client.getQueue({ name: nameOf(queue) }),
    ).rejects.toMatchObject({ code: Status.NOT_FOUND });
  });

  it('refuses to recreate a queue deleted within the reuse window', async () => {
    const queue = await createQueue('recreate');
    await harness.client.deleteQueue({ name: nameOf(queue) });

    await expect(
      harness.client.createQueue({
        parent: LOCATION,
        queue: { name: nameOf(queue) },
      }),
    ).rejects.toMatchObject({ code: Status.FAILED_PRECONDITION });
  });
});

describe('queue errors', () => {
  const cases: [string, () => Promise<unknown>, number, string][] = [
    [
      'GetQueue of a missing queue',
      () => harness.client.getQueue({ name: `${LOCATION}/queues/missing` }),
      Status.NOT_FOUND,
      `${LOCATION}/queues/missing`,
    ],
    [
      'CreateQueue with a malformed name',
      () =>
        harness.client.createQueue({
          parent: LOCATION,
          queue: { name: `${LOCATION}/queues/no_underscores` },
        }),
      Status.INVALID_ARGUMENT,
      'no_underscores',
    ],
    [
      'CreateQueue outside its parent',
      () =>
        harness.client.createQueue({
          parent: 'projects/test-project/locations/elsewhere',
          queue: { name: `${LOCATION}/queues/misplaced` },
        }),
      Status.INVALID_ARGUMENT,
      `${LOCATION}/queues/misplaced`,
    ],
    [
      'CreateQueue above 500 dispatches per second',
      () =>
        harness.client.createQueue({
          parent: LOCATION,
          queue: {
            name: `${LOCATION}/queues/too-fast`,
            rateLimits: { maxDispatchesPerSecond: 501 },
          },
        }),
      Status.INVALID_ARGUMENT,
      'maxDispatchesPerSecond',
    ],
    [
      'CreateQueue with minBackoff above maxBackoff',
      () =>
        harness.client.createQueue({
          parent: LOCATION,
          queue: {
            name: `${LOCATION}/queues/backwards`,
            retryConfig: {
              minBackoff: { seconds: 10 },
              maxBackoff: { seconds: 1 },
            },
          },
        }),
      Status.INVALID_ARGUMENT,
      'minBackoff',
    ],
    [
      'UpdateQueue of an output-only field',
      () =>
        harness.client.updateQueue({
          queue: { name: `${LOCATION}/queues/any`, state: 'PAUSED' },
          updateMask: { paths: ['state'] },
        }),
      Status.INVALID_ARGUMENT,
      'state',
    ],
    [
      'PauseQueue of a missing queue',
      () => harness.client.pauseQueue({ name: `${LOCATION}/queues/missing` }),
      Status.NOT_FOUND,
      'missing',
    ],
    [
      'GetIamPolicy',
      () => harness.client.getIamPolicy({ resource: `${LOCATION}/queues/any` }),
      Status.UNIMPLEMENTED,
      'GetIamPolicy',
    ],
  ];

  it.each(cases)('%s answers its status code', async (_, call, code, named) => {
    const error = await call().then(
      () => undefined,
      (rejection: { code?: number; details?: string }) => rejection,
    );

    expect(error?.code).toBe(code);
    expect(error?.details).toContain(named);
  });

  it('answers ALREADY_EXISTS for a second queue of the same name', async () => {
    const queue = await createQueue('twice');

    await expect(
      harness.client.createQueue({
        parent: LOCATION,
        queue: { name: nameOf(queue) },
      }),
    ).rejects.toMatchObject({ code: Status.ALREADY_EXISTS });
  });
});
