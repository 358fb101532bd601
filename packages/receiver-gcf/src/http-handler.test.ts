import { setTimeout } from 'node:timers/promises';
import {
  createDispatcher,
  currentCall,
  type DispatchReceipt,
  PermanentError,
} from '@cloud-functions-dispatch/core';
import { http } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpHandler } from './http-handler.ts';
import type { PubSubPushBody } from './pubsub-message.ts';
import {
  captureJsonLog,
  createFrameCapture,
  startTestServer,
  TEST_KEYS,
  type TestServer,
  UNKNOWN_KEYS,
} from './test-support.ts';

/** What Cloud Tasks sends with an HTTP task on its third attempt. */
const CLOUD_TASKS_HEADERS = {
  'content-type': 'application/octet-stream',
  'x-cloudtasks-queuename': 'calls',
  'x-cloudtasks-taskname': 'task-0190f3a2',
  'x-cloudtasks-taskretrycount': '2',
  'x-cloudtasks-taskexecutioncount': '2',
  'x-cloudtasks-tasketa': '1717171717.123456',
} as const;

/** A Pub/Sub push body as the service sends it; `data` is filled in. */
const PUSH_BODY = {
  message: {
    data: '',
    attributes: { 'dispatch.function': 'completes' },
    messageId: '1001',
    publishTime: '2024-06-01T12:00:00.000Z',
  },
  subscription: 'projects/demo-project/subscriptions/calls-push',
} satisfies PubSubPushBody;

/** The older spelling, no attributes, a dead-letter attempt, extra fields. */
const SNAKE_CASE_PUSH_BODY = {
  message: {
    data: '',
    message_id: '1002',
    publish_time: '2024-06-01T12:00:01.000Z',
    orderingKey: '',
  },
  subscription: 'projects/demo-project/subscriptions/calls-push',
  deliveryAttempt: 4,
  somethingNew: { ignored: true },
} satisfies PubSubPushBody & Record<string, unknown>;

const TARGET = 'receiverHttpTest';

const signing = { keys: TEST_KEYS };
const capture = createFrameCapture();
const log = captureJsonLog();
const dispatcher = createDispatcher({
  transport: capture,
  signing: { keys: TEST_KEYS },
  logger: log.logger,
  maxAttempts: 5,
});
const runs: { label: string; attempt: number | undefined }[] = [];
const recordRun = (label: string) =>
  runs.push({ label, attempt: currentCall()?.attempt });

const completes = dispatcher.dispatch('completes', async (label: string) => {
  recordRun(label);
});
const fails = dispatcher.dispatch('fails', async (label: string) => {
  recordRun(label);
  throw new Error(`fails ${label} on purpose`);
});
const refuses = dispatcher.dispatch('refuses', async (label: string) => {
  recordRun(label);
  throw new PermanentError(`refuses ${label}`);
});

const strangerCapture = createFrameCapture();
const stranger = createDispatcher({
  transport: strangerCapture,
  signing: { keys: UNKNOWN_KEYS },
});
const forgedCompletes = stranger.dispatch(
  'completes',
  async (_label: string) => {},
);

// The same keys, but a function the worker does not have (deploy skew).
const newerCapture = createFrameCapture();
const newer = createDispatcher({
  transport: newerCapture,
  signing: { keys: TEST_KEYS },
});
const notDeployedYet = newer.dispatch(
  'notDeployedYet',
  async (_label: string) => {},
);

let server: TestServer;

beforeAll(async () => {
  http(TARGET, createHttpHandler({ dispatcher, logger: log.logger, signing }));
  server = await startTestServer(TARGET);
});

afterAll(() => server.stop());

beforeEach(() => {
  runs.length = 0;
  log.clear();
});

async function frameOf(sent: Promise<DispatchReceipt>): Promise<Uint8Array> {
  await sent;
  return capture.lastFrame();
}

function withData<T extends { message: object }>(body: T, frame: Uint8Array) {
  const data = Buffer.from(frame).toString('base64');
  return { ...body, message: { ...body.message, data } };
}

type Headers = Readonly<Record<string, string>>;

async function post(body: Uint8Array | string | undefined, headers: Headers) {
  const init = body === undefined ? {} : { body };
  const response = await fetch(server.url, {
    method: 'POST',
    headers,
    ...init,
  });
  const answer = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body: answer };
}

const postTask = (frame: Uint8Array, headers: Headers = CLOUD_TASKS_HEADERS) =>
  post(frame, headers);

const postJson = (body: unknown) =>
  post(JSON.stringify(body), { 'content-type': 'application/json' });

describe('createHttpHandler with a Cloud Tasks request', () => {
  it('runs the raw frame body and answers 200 done', async () => {
    const receipt = await completes('task');

    const answer = await postTask(capture.lastFrame());

    expect(answer).toEqual({
      status: 200,
      body: {
        outcome: 'done',
        reason: 'completed',
        callId: receipt.callId,
        functionName: 'completes',
      },
    });
    expect(runs.map((run) => run.label)).toEqual(['task']);
  });

  it('counts the attempt as the task retry count plus one', async () => {
    const frame = await frameOf(completes('third try'));

    await postTask(frame);

    expect(runs).toEqual([{ label: 'third try', attempt: 3 }]);
  });

  it('reads the bytes whatever non-JSON Content-Type the task carries', async () => {
    const frame = await frameOf(completes('as text'));

    const answer = await postTask(frame, {
      ...CLOUD_TASKS_HEADERS,
      'content-type': 'text/plain',
    });

    expect(answer.body.outcome).toBe('done');
    expect(runs.map((run) => run.label)).toEqual(['as text']);
  });

  it('answers 500 retry when the body throws', async () => {
    const frame = await frameOf(fails('flaky'));

    const answer = await postTask(frame);

    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ outcome: 'retry', reason: 'failed' });
  });

  it('answers 200 drop when the body throws a PermanentError', async () => {
    const frame = await frameOf(refuses('bad input'));

    const answer = await postTask(frame);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: 'drop', reason: 'permanent' });
  });

  it('answers 200 drop once the attempts are exhausted', async () => {
    const frame = await frameOf(fails('last try'));

    const answer = await postTask(frame, {
      ...CLOUD_TASKS_HEADERS,
      'x-cloudtasks-taskretrycount': '4',
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: 'drop', reason: 'exhausted' });
  });

  it('answers 500 retry for a function the worker does not have yet', async () => {
    await notDeployedYet('skew');

    const answer = await postTask(newerCapture.lastFrame());

    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({
      outcome: 'retry',
      reason: 'unknown-function',
      functionName: 'notDeployedYet',
    });
  });

  it('answers 200 drop for a call past its expiry, without running it', async () => {
    const frame = await frameOf(completes.with({ expiresIn: 1 })('stale'));
    await setTimeout(20);

    const answer = await postTask(frame);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: 'drop', reason: 'expired' });
    expect(runs).toEqual([]);
  });

  it('drops a frame signed with an unknown key without running it', async () => {
    const receipt = await forgedCompletes('forged');

    const answer = await postTask(strangerCapture.lastFrame());

    expect(answer).toEqual({
      status: 200,
      body: { outcome: 'drop', reason: 'bad-signature' },
    });
    expect(runs).toEqual([]);
    expect(JSON.stringify(log.entries())).not.toContain(receipt.callId);
  });
});

describe('createHttpHandler with a Pub/Sub push body', () => {
  it('runs the base64 frame of the message as the first attempt', async () => {
    const receipt = await completes('pushed');

    const answer = await postJson(withData(PUSH_BODY, capture.lastFrame()));

    expect(answer).toEqual({
      status: 200,
      body: {
        outcome: 'done',
        reason: 'completed',
        callId: receipt.callId,
        functionName: 'completes',
      },
    });
    expect(runs).toEqual([{ label: 'pushed', attempt: 1 }]);
  });

  it('reads snake_case ids, no attributes and a delivery attempt', async () => {
    const frame = await frameOf(completes('snake'));

    const answer = await postJson(withData(SNAKE_CASE_PUSH_BODY, frame));

    expect(answer.body.outcome).toBe('done');
    expect(runs).toEqual([{ label: 'snake', attempt: 4 }]);
    expect(log.entries()[0]).toMatchObject({ messageId: '1002' });
  });

  it('answers 500 retry when the body throws', async () => {
    const frame = await frameOf(fails('pushed flaky'));

    const answer = await postJson(withData(PUSH_BODY, frame));

    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ outcome: 'retry', reason: 'failed' });
  });
});

describe('createHttpHandler with a request that carries no frame', () => {
  it.each([
    ['an empty octet-stream body', new Uint8Array(0), CLOUD_TASKS_HEADERS],
    ['no body and no Content-Type', undefined, {}],
    ['an empty JSON body', '', { 'content-type': 'application/json' }],
  ])(
    'answers 200 malformed and logs an error for %s',
    async (_, body, headers) => {
      const answer = await post(body, headers);

      expect(answer).toEqual({
        status: 200,
        body: { outcome: 'drop', reason: 'malformed' },
      });
      expect(log.entries()).toEqual([
        expect.objectContaining({
          severity: 'ERROR',
          reason: 'malformed',
          message: expect.stringContaining('body is empty or missing'),
        }),
      ]);
      expect(runs).toEqual([]);
    },
  );

  it.each([
    [
      'no message',
      { subscription: 'projects/p/subscriptions/s' },
      'no "message"',
    ],
    [
      'a message without data',
      { message: { messageId: '7' } },
      'message 7 has no data',
    ],
    ['a JSON array', [1, 2], 'not a JSON object'],
  ])(
    'answers 200 malformed for a push body with %s',
    async (_, body, problem) => {
      const answer = await postJson(body);

      expect(answer.body).toEqual({ outcome: 'drop', reason: 'malformed' });
      expect(log.entries()[0]?.message).toContain(problem);
    },
  );

  it('answers 200 malformed for data that is not a frame', async () => {
    const answer = await postJson(
      withData(PUSH_BODY, Buffer.from('not a signed frame')),
    );

    expect(answer.body).toEqual({ outcome: 'drop', reason: 'malformed' });
  });

  it('answers 405 to anything but POST', async () => {
    const response = await fetch(server.url);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('createHttpHandler log lines', () => {
  it('writes one JSON line per outcome naming the call', async () => {
    const receipt = await completes('logged');

    await postTask(capture.lastFrame());

    expect(log.entries()).toEqual([
      expect.objectContaining({
        severity: 'INFO',
        callId: receipt.callId,
        functionName: 'completes',
        attempt: 3,
        messageId: CLOUD_TASKS_HEADERS['x-cloudtasks-taskname'],
        source: 'cloudtasks',
      }),
    ]);
  });

  it('logs a failed attempt as a warning with the error', async () => {
    const receipt = await fails('warned');

    await postTask(capture.lastFrame());

    expect(log.entries()).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        callId: receipt.callId,
        attempt: 3,
        error: expect.objectContaining({ message: 'fails warned on purpose' }),
      }),
    ]);
  });
});

describe('createHttpHandler with a dispatcher that has no logger', () => {
  it("logs the outcome through the receiver's logger", async () => {
    const bareCapture = createFrameCapture();
    const bare = createDispatcher({
      transport: bareCapture,
      signing: { keys: TEST_KEYS },
    });
    const greet = bare.dispatch('greet', async (_name: string) => {});
    const receiverLog = captureJsonLog();
    http(
      'receiverHttpBare',
      createHttpHandler({
        dispatcher: bare,
        logger: receiverLog.logger,
        signing,
      }),
    );
    const bareServer = await startTestServer('receiverHttpBare');

    try {
      const receipt = await greet('Ada');
      const response = await fetch(bareServer.url, {
        method: 'POST',
        headers: CLOUD_TASKS_HEADERS,
        body: bareCapture.lastFrame(),
      });
      await response.arrayBuffer();

      expect(receiverLog.entries()).toEqual([
        expect.objectContaining({ severity: 'INFO', callId: receipt.callId }),
      ]);
    } finally {
      await bareServer.stop();
    }
  });
});
