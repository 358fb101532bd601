import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  isGone,
  LOCATION,
  nameOf,
  Status,
  sleep,
  startHarness,
  startTarget,
  type Target,
  uniqueQueueName,
  waitFor,
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

describe('tasks', () => {
  it('creates a task with a generated name and reads it back', async () => {
    const queue = await pausedQueue('generated');

    const [created] = await harness.client.createTask({
      parent: queue,
      task: httpTask(),
    });
    const [read] = await harness.client.getTask({ name: nameOf(created) });

    expect(created.name).toMatch(new RegExp(`^${queue}/tasks/\\d+$`));
    expect(read).toMatchObject({
      name: nameOf(created),
      dispatchCount: 0,
      responseCount: 0,
      dispatchDeadline: { seconds: '600' },
      httpRequest: {
        url: `${target.url}/work`,
        httpMethod: 'POST',
        headers: { 'Content-Type': 'application/json' },
      },
    });
    expect(read.scheduleTime?.seconds).toBeTruthy();
    expect(read.createTime?.seconds).toBeTruthy();
  });

  it('keeps an explicit task name', async () => {
    const queue = await pausedQueue('named');

    const [task] = await harness.client.createTask({
      parent: queue,
      task: httpTask({ name: `${queue}/tasks/my_task-1` }),
    });

    expect(task.name).toBe(`${queue}/tasks/my_task-1`);
  });

  it('omits the body in the BASIC view and returns it in FULL', async () => {
    const queue = await pausedQueue('views');

    const [basic] = await harness.client.createTask({
      parent: queue,
      task: httpTask(),
    });
    const [full] = await harness.client.getTask({
      name: nameOf(basic),
      responseView: 'FULL',
    });
    const [listed] = await harness.client.listTasks({
      parent: queue,
      responseView: 'FULL',
    });

    expect(basic.view).toBe('BASIC');
    expect(basic.httpRequest?.body?.length ?? 0).toBe(0);
    expect(full.view).toBe('FULL');
    expect(Buffer.from(full.httpRequest?.body ?? [])).toEqual(BODY);
    expect(Buffer.from(listed[0]?.httpRequest?.body ?? [])).toEqual(BODY);
  });

  it('lists the tasks of a queue page by page', async () => {
    const queue = await pausedQueue('listing');
    const names: string[] = [];
    for (let index = 0; index < 5; index++) {
      const name = `${queue}/tasks/t${index}`;
      await harness.client.createTask({
        parent: queue,
        task: httpTask({ name }),
      });
      names.push(name);
    }

    const [firstPage] = await harness.client.listTasks(
      { parent: queue, pageSize: 2 },
      { autoPaginate: false },
    );
    const all = [];
    const pages = harness.client.listTasksAsync(
      { parent: queue, pageSize: 2 },
      { autoPaginate: false },
    );
    for await (const task of pages) all.push(task.name);

    expect(firstPage.map((task) => task.name)).toEqual(names.slice(0, 2));
    expect(all).toEqual(names);
  });

  it('deletes a task', async () => {
    const queue = await pausedQueue('delete');
    const [task] = await harness.client.createTask({
      parent: queue,
      task: httpTask(),
    });

    await harness.client.deleteTask({ name: nameOf(task) });

    expect(await isGone(harness.client, nameOf(task))).toBe(true);
  });

  it('purges every task of a queue and records the purge time', async () => {
    const queue = await pausedQueue('purge');
    for (let index = 0; index < 3; index++) {
      await harness.client.createTask({ parent: queue, task: httpTask() });
    }

    const [purged] = await harness.client.purgeQueue({ name: queue });
    const [tasks] = await harness.client.listTasks({ parent: queue });

    expect(tasks).toEqual([]);
    expect(purged.purgeTime?.seconds).toBeTruthy();
  });

  it('holds tasks while the queue is paused and sends them on resume', async () => {
    const queue = await pausedQueue('resume');
    const [task] = await harness.client.createTask({
      parent: queue,
      task: httpTask(),
    });
    const queueId = queue.slice(queue.lastIndexOf('/') + 1);
    const sent = () =>
      target.requests.filter(
        (request) => request.headers['x-cloudtasks-queuename'] === queueId,
      ).length;

    await sleep(300);
    const whilePaused = sent();
    await harness.client.resumeQueue({ name: queue });
    await waitFor(
      () => isGone(harness.client, nameOf(task)),
      5000,
      () => 'the resumed task to complete',
    );

    expect(whilePaused).toBe(0);
    expect(sent()).toBe(1);
  });

  it('runs a task at once with RunTask, even in a paused queue', async () => {
    const queue = await pausedQueue('run');
    const [task] = await harness.client.createTask({
      parent: queue,
      task: httpTask({ scheduleTime: { seconds: Date.now() / 1000 + 3600 } }),
    });

    const [running] = await harness.client.runTask({ name: nameOf(task) });
    await waitFor(
      () => isGone(harness.client, nameOf(task)),
      5000,
      () => 'the run task to complete',
    );

    expect(running.dispatchCount).toBe(1);
    const seen = target.requests.filter((request) =>
      nameOf(task).endsWith(`/${request.headers['x-cloudtasks-taskname']}`),
    );
    expect(seen).toHaveLength(1);
  });
});

describe('task names', () => {
  it('stays taken after the task is deleted', async () => {
    const queue = await pausedQueue('reserved');
    const name = `${queue}/tasks/once`;
    await harness.client.createTask({
      parent: queue,
      task: httpTask({ name }),
    });
    await harness.client.deleteTask({ name });

    await expect(
      harness.client.createTask({ parent: queue, task: httpTask({ name }) }),
    ).rejects.toMatchObject({ code: Status.ALREADY_EXISTS });
  });

  it('stays taken after the task completes', async () => {
    const queue = uniqueQueueName('completed');
    await harness.client.createQueue({
      parent: LOCATION,
      queue: { name: queue },
    });
    const name = `${queue}/tasks/done`;
    await harness.client.createTask({
      parent: queue,
      task: httpTask({ name }),
    });
    await waitFor(
      () => isGone(harness.client, name),
      5000,
      () => 'the task to complete',
    );

    await expect(
      harness.client.createTask({ parent: queue, task: httpTask({ name }) }),
    ).rejects.toMatchObject({ code: Status.ALREADY_EXISTS });
  });

  describe('with a short reuse window', () => {
    let shortWindow: Harness;
    beforeAll(async () => {
      shortWindow = await startHarness({ nameReuseWindowMs: 200 });
    });
    afterAll(() => shortWindow.close());

    it('is free again once the window has passed', async () => {
      const queue = uniqueQueueName('window');
      const { client } = shortWindow;
      await client.createQueue({ parent: LOCATION, queue: { name: queue } });
      await client.pauseQueue({ name: queue });
      const name = `${queue}/tasks/again`;
      await client.createTask({ parent: queue, task: httpTask({ name }) });
      await client.deleteTask({ name });

      await sleep(250);
      const [task] = await client.createTask({
        parent: queue,
        task: httpTask({ name }),
      });

      expect(task.name).toBe(name);
    });
  });
});
