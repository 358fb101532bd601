import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_ISSUER } from './index.ts';
import {
  type Harness,
  isGone,
  LOCATION,
  nameOf,
  type ReceivedRequest,
  Status,
  startHarness,
  startTarget,
  type Target,
  uniqueQueueName,
  waitFor,
} from './test-harness.ts';

const SERVICE_ACCOUNT = 'worker@test-project.iam.gserviceaccount.com';

let harness: Harness;
let target: Target;

beforeAll(async () => {
  harness = await startHarness({ oidcKeysPort: 0 });
  // Paths ending in /fail answer 500, everything else 200.
  target = await startTarget((request, response) => {
    response.statusCode = request.path.endsWith('/fail') ? 500 : 200;
    response.end();
  });
});
afterAll(async () => {
  await target.close();
  await harness.close();
});

async function createQueue(label: string, settings: object = {}) {
  const name = uniqueQueueName(label);
  await harness.client.createQueue({
    parent: LOCATION,
    queue: { name, ...settings },
  });
  return name;
}

function requestsFor(taskName: string): ReceivedRequest[] {
  const id = taskName.slice(taskName.lastIndexOf('/') + 1);
  return target.requests.filter(
    (request) => request.headers['x-cloudtasks-taskname'] === id,
  );
}

async function firstRequestFor(taskName: string): Promise<ReceivedRequest> {
  await waitFor(
    () => requestsFor(taskName).length > 0,
    10_000,
    () => `a request for ${taskName}`,
  );
  return requestsFor(taskName)[0] as ReceivedRequest;
}

describe('dispatch', () => {
  it('sends the task method, headers and body bytes unchanged', async () => {
    const queue = await createQueue('wire');
    const body = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)),
      randomBytes(64 * 1024),
    ]);
    const scheduleSeconds = Math.floor(Date.now() / 1000) + 1;
    const [task] = await harness.client.createTask({
      parent: queue,
      task: {
        name: `${queue}/tasks/wire-1`,
        scheduleTime: { seconds: scheduleSeconds, nanos: 250_000_000 },
        httpRequest: {
          url: `${target.url}/handler?x=1`,
          httpMethod: 'PUT',
          headers: {
            'Content-Type': 'application/octet-stream',
            'X-Custom': 'kept',
            Host: 'replaced.example',
            'User-Agent': 'replaced',
            'X-CloudTasks-TaskRetryCount': '99',
          },
          body,
        },
      },
    });

    const request = await firstRequestFor(nameOf(task));

    expect(request.method).toBe('PUT');
    expect(request.path).toBe('/handler?x=1');
    expect(request.body.equals(body)).toBe(true);
    expect(request.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'x-custom': 'kept',
      host: new URL(target.url).host,
      'user-agent': 'Google-Cloud-Tasks',
      'x-cloudtasks-queuename': queue.slice(queue.lastIndexOf('/') + 1),
      'x-cloudtasks-taskname': 'wire-1',
      'x-cloudtasks-taskretrycount': '0',
      'x-cloudtasks-taskexecutioncount': '0',
      'x-cloudtasks-tasketa': `${scheduleSeconds}.250000`,
      'content-length': String(body.length),
    });
    expect(
      request.headers['x-cloudtasks-taskpreviousresponse'],
    ).toBeUndefined();
    expect(request.headers['x-cloudtasks-taskretryreason']).toBeUndefined();
    expect(request.headers.authorization).toBeUndefined();
  });

  it('deletes a task once its target answers 2xx', async () => {
    const queue = await createQueue('complete');
    const [task] = await harness.client.createTask({
      parent: queue,
      task: { httpRequest: { url: `${target.url}/ok` } },
    });

    await waitFor(
      () => isGone(harness.client, nameOf(task)),
      10_000,
      () => 'the task to complete',
    );

    expect(requestsFor(nameOf(task))).toHaveLength(1);
  });

  it('records each attempt on the task', async () => {
    const queue = await createQueue('attempts', {
      retryConfig: { minBackoff: { seconds: 60 }, maxBackoff: { seconds: 60 } },
    });
    const [task] = await harness.client.createTask({
      parent: queue,
      task: { httpRequest: { url: `${target.url}/fail` } },
    });

    await firstRequestFor(nameOf(task));
    await waitFor(
      async () => {
        const [read] = await harness.client.getTask({ name: nameOf(task) });
        return read.responseCount === 1;
      },
      10_000,
      () => 'the response to be recorded',
    );
    const [read] = await harness.client.getTask({ name: nameOf(task) });

    expect(read.dispatchCount).toBe(1);
    expect(read.firstAttempt?.dispatchTime?.seconds).toBeTruthy();
    expect(read.lastAttempt).toMatchObject({
      dispatchTime: read.firstAttempt?.dispatchTime,
      responseStatus: {
        code: Status.INTERNAL,
        message: 'HTTP status code 500',
      },
    });
    expect(read.lastAttempt?.responseTime?.seconds).toBeTruthy();
    // The retry is a minute away; the schedule time says so.
    expect(Number(read.scheduleTime?.seconds)).toBeGreaterThanOrEqual(
      Number(read.lastAttempt?.responseTime?.seconds) + 60,
    );
  });

  it('never dispatches a task before its schedule time', async () => {
    const queue = await createQueue('schedule');
    const now = Date.now();
    const dueTimes = [300, 600, 900].map((offset) => now + offset);
    const names: string[] = [];
    for (const dueMs of dueTimes) {
      const [task] = await harness.client.createTask({
        parent: queue,
        task: {
          scheduleTime: {
            seconds: Math.floor(dueMs / 1000),
            nanos: (dueMs % 1000) * 1e6,
          },
          httpRequest: { url: `${target.url}/later` },
        },
      });
      names.push(nameOf(task));
    }

    const arrivals = [];
    for (const name of names) arrivals.push(await firstRequestFor(name));

    arrivals.forEach((request, index) => {
      expect(request.receivedAtMs).toBeGreaterThanOrEqual(
        dueTimes[index] as number,
      );
    });
  });

  it('attaches an OIDC token signed by the emulator key', async () => {
    const queue = await createQueue('oidc');
    const [task] = await harness.client.createTask({
      parent: queue,
      task: {
        httpRequest: {
          url: `${target.url}/secure`,
          oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT },
        },
      },
    });

    const request = await firstRequestFor(nameOf(task));
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const keys = createLocalJWKSet(harness.emulator.publicKeys());
    const { payload } = await jwtVerify(token, keys, {
      issuer: OIDC_ISSUER,
      audience: `${target.url}/secure`,
    });

    expect(payload).toMatchObject({
      email: SERVICE_ACCOUNT,
      email_verified: true,
    });
  });

  it('uses the OIDC audience of the task and serves its key over HTTP', async () => {
    const queue = await createQueue('audience');
    const [task] = await harness.client.createTask({
      parent: queue,
      task: {
        httpRequest: {
          url: `${target.url}/secure`,
          headers: { Authorization: 'Bearer replaced' },
          oidcToken: {
            serviceAccountEmail: SERVICE_ACCOUNT,
            audience: 'https://worker.example',
          },
        },
      },
    });

    const request = await firstRequestFor(nameOf(task));
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const jwksUrl = new URL(harness.emulator.jwksUrl ?? '');
    const { payload } = await jwtVerify(token, createRemoteJWKSet(jwksUrl), {
      issuer: OIDC_ISSUER,
      audience: 'https://worker.example',
    });

    expect(payload.email).toBe(SERVICE_ACCOUNT);
  });
});
