import {
  afterAll,
  beforeAll,
  describe,
  expect,
  it,
  onTestFinished,
} from 'vitest';
import {
  type Harness,
  LOCATION,
  sleep,
  startHarness,
  startTarget,
  uniqueQueueName,
  waitFor,
} from './test-harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

async function pausedQueueWithTasks(
  label: string,
  rateLimits: object,
  url: string,
  count: number,
): Promise<string> {
  const name = uniqueQueueName(label);
  await harness.client.createQueue({
    parent: LOCATION,
    queue: { name, rateLimits },
  });
  await harness.client.pauseQueue({ name });
  for (let created = 0; created < count; created += 50) {
    const batch = Array.from({ length: Math.min(50, count - created) }, () =>
      harness.client.createTask({
        parent: name,
        task: { httpRequest: { url } },
      }),
    );
    await Promise.all(batch);
  }
  return name;
}

describe('rate limits', () => {
  it('never dispatches faster than maxDispatchesPerSecond plus the burst', async () => {
    const rate = 20;
    const burst = 5;
    const windowMs = 10_000;
    const target = await startTarget(async (_, response) => {
      await sleep(Math.random() * 40);
      response.end();
    });
    onTestFinished(() => target.close());
    // More tasks than the window can take, so the limit is what binds.
    const queue = await pausedQueueWithTasks(
      'rate',
      { maxDispatchesPerSecond: rate, maxBurstSize: burst },
      target.url,
      300,
    );

    await harness.client.resumeQueue({ name: queue });
    await sleep(windowMs);
    await harness.client.pauseQueue({ name: queue });

    const arrivals = target.requests.map((request) => request.receivedAtMs);
    const allowed = rate * (windowMs / 1000) * 1.1 + burst;
    const busiestWindow = Math.max(
      ...arrivals.map(
        (start) =>
          arrivals.filter((at) => at >= start && at < start + windowMs).length,
      ),
    );
    expect(arrivals.length).toBeGreaterThan(0);
    expect(busiestWindow).toBeLessThanOrEqual(allowed);
  }, 40_000);

  it('never has more than maxConcurrentDispatches attempts open', async () => {
    const target = await startTarget(async (_, response) => {
      await sleep(150);
      response.end();
    });
    onTestFinished(() => target.close());
    const queue = await pausedQueueWithTasks(
      'concurrency',
      { maxConcurrentDispatches: 2 },
      target.url,
      8,
    );

    await harness.client.resumeQueue({ name: queue });
    await waitFor(
      async () => {
        const [tasks] = await harness.client.listTasks({ parent: queue });
        return tasks.length === 0;
      },
      15_000,
      () => 'every task to complete',
    );

    expect(target.requests).toHaveLength(8);
    expect(target.maxOpen).toBe(2);
  });
});
