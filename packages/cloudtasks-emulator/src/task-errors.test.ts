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
  nameOf,
  Status,
  sleep,
  startHarness,
  startTarget,
  type Target,
  uniqueQueueName,
} from './test-harness.ts';

const BODY = Buffer.from('{"hello":"world"}');

let harness: Harness;
let target: Target;

beforeAll(async () => {
  harness = await startHarness({ nameReuseWindowMs: 60_000 });
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
  await harness.close();
});

// Tasks in a paused queue stay put, so these tests see them as created.
async function pausedQueue(label: string): Promise<string> {
  const name = uniqueQueueName(label);
  await harness.client.createQueue({ parent: LOCATION, queue: { name } });
  await harness.client.pauseQueue({ name });
  return name;
}

function httpTask(extra: object = {}) {
  return {
    httpRequest: {
      url: `${target.url}/work`,
      headers: { 'Content-Type': 'application/json' },
      body: BODY,
    },
    ...extra,
  };
}

describe('task errors', () => {
  let queue: string;
  beforeAll(async () => {
    queue = await pausedQueue('errors');
  });

  const create = (parent: string, task: object) =>
    harness.client.createTask({ parent, task });

  const cases: [string, (queue: string) => Promise<unknown>, number, string][] =
    [
      [
        'CreateTask in a missing queue',
        () => create(`${LOCATION}/queues/missing`, httpTask()),
        Status.NOT_FOUND,
        `${LOCATION}/queues/missing`,
      ],
      [
        'CreateTask with an invalid task id',
        (queue) =>
          create(queue, httpTask({ name: `${queue}/tasks/not valid` })),
        Status.INVALID_ARGUMENT,
        'not valid',
      ],
      [
        'CreateTask named for another queue',
        (queue) =>
          create(queue, httpTask({ name: `${LOCATION}/queues/other/tasks/x` })),
        Status.INVALID_ARGUMENT,
        `${LOCATION}/queues/other`,
      ],
      [
        'CreateTask without a URL scheme',
        (queue) => create(queue, { httpRequest: { url: 'example.com/work' } }),
        Status.INVALID_ARGUMENT,
        'http://',
      ],
      [
        'CreateTask of a GET with a body',
        (queue) =>
          create(queue, {
            httpRequest: { url: target.url, httpMethod: 'GET', body: BODY },
          }),
        Status.INVALID_ARGUMENT,
        'GET',
      ],
      [
        'CreateTask more than 30 days ahead',
        (queue) =>
          create(
            queue,
            httpTask({
              scheduleTime: {
                seconds: Math.floor(Date.now() / 1000) + 31 * 86400,
              },
            }),
          ),
        Status.INVALID_ARGUMENT,
        '30 days',
      ],
      [
        'CreateTask with a deadline under 15 seconds',
        (queue) =>
          create(queue, httpTask({ dispatchDeadline: { seconds: 5 } })),
        Status.INVALID_ARGUMENT,
        'dispatchDeadline',
      ],
      [
        'CreateTask of an App Engine task',
        (queue) =>
          create(queue, { appEngineHttpRequest: { relativeUri: '/' } }),
        Status.UNIMPLEMENTED,
        'App Engine',
      ],
      [
        'GetTask of a missing task',
        (queue) => harness.client.getTask({ name: `${queue}/tasks/missing` }),
        Status.NOT_FOUND,
        'missing',
      ],
      [
        'DeleteTask of a missing task',
        (queue) =>
          harness.client.deleteTask({ name: `${queue}/tasks/missing` }),
        Status.NOT_FOUND,
        'missing',
      ],
    ];

  it.each(cases)('%s answers its status code', async (_, call, code, named) => {
    const error = await call(queue).then(
      () => undefined,
      (rejection: { code?: number; details?: string }) => rejection,
    );

    expect(error?.code).toBe(code);
    expect(error?.details).toContain(named);
  });

  it('answers FAILED_PRECONDITION to RunTask while an attempt is under way', async () => {
    const slow = await startTarget(async (_, response) => {
      await sleep(500);
      response.end();
    });
    onTestFinished(() => slow.close());
    const [task] = await harness.client.createTask({
      parent: queue,
      task: { httpRequest: { url: slow.url } },
    });
    await harness.client.runTask({ name: nameOf(task) });

    await expect(
      harness.client.runTask({ name: nameOf(task) }),
    ).rejects.toMatchObject({ code: Status.FAILED_PRECONDITION });
  });
});
