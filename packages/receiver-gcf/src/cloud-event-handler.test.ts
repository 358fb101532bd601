import {
  createDispatcher,
  currentCall,
  type DispatchReceipt,
  PermanentError,
} from '@cloud-functions-dispatch/core';
import { cloudEvent } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCloudEventHandler } from './cloud-event-handler.ts';
import type { PubSubPushBody } from './pubsub-message.ts';
import {
  captureJsonLog,
  createFrameCapture,
  startTestServer,
  TEST_KEYS,
  type TestServer,
  UNKNOWN_KEYS,
} from './test-support.ts';

const TOPIC_PATH = '/projects/demo-project/topics/calls';
const PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

/** A structured-mode CloudEvent for a Pub/Sub message; `data` filled in. */
const STRUCTURED_EVENT = {
  specversion: '1.0',
  type: PUBLISHED,
  source: '//pubsub.googleapis.com/projects/demo-project/topics/calls',
  id: '2001',
  time: '2024-06-01T12:00:00.000Z',
  datacontenttype: 'application/json',
  data: {
    message: {
      data: '',
      attributes: { 'dispatch.function': 'completes' },
      messageId: '2001',
      publishTime: '2024-06-01T12:00:00.000Z',
    },
    subscription: 'projects/demo-project/subscriptions/eventarc-calls',
  } satisfies PubSubPushBody,
};

/** Binary-mode headers, as a gen 2 function with a topic trigger gets. */
const BINARY_HEADERS = {
  'content-type': 'application/json',
  'ce-specversion': '1.0',
  'ce-type': PUBLISHED,
  'ce-source': '//pubsub.googleapis.com/projects/demo-project/topics/calls',
  'ce-id': '2002',
  'ce-time': '2024-06-01T12:00:02.000Z',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
} as const;

/** Binary-mode data on a subscription with a dead-letter policy. */
const BINARY_DATA = {
  message: {
    data: '',
    message_id: '2002',
    publish_time: '2024-06-01T12:00:02.000Z',
  },
  subscription: 'projects/demo-project/subscriptions/eventarc-calls',
  deliveryAttempt: 3,
} satisfies PubSubPushBody;

/** What the Pub/Sub emulator pushes: both spellings of each field. */
const EMULATOR_PUSH_BODY = {
  subscription: 'projects/demo-project/subscriptions/calls-push',
  message: {
    data: '',
    attributes: { 'dispatch.function': 'completes' },
    messageId: '3',
    message_id: '3',
    publishTime: '2024-06-01T12:00:03.000Z',
    publish_time: '2024-06-01T12:00:03.000Z',
  },
} satisfies PubSubPushBody;

const TARGET = 'receiverCloudEventTest';

const signing = { keys: TEST_KEYS };
const capture = createFrameCapture();
const log = captureJsonLog();
const dispatcher = createDispatcher({
  transport: capture,
  signing: { keys: TEST_KEYS },
  logger: log.logger,
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
const failsWithoutError = dispatcher.dispatch(
  'failsWithoutError',
  async (label: string) => {
    recordRun(label);
    // What a careless body may do; it must still count as a failure.
    return Promise.reject(undefined);
  },
);
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

let server: TestServer;

beforeAll(async () => {
  cloudEvent(
    TARGET,
    createCloudEventHandler({ dispatcher, logger: log.logger, signing }),
  );
  server = await startTestServer(TARGET);
});

afterAll(() => server.stop());

beforeEach(() => {
  runs.length = 0;
  log.clear();
});

function base64(frame: Uint8Array): string {
  return Buffer.from(frame).toString('base64');
}

function structuredWith(data: string) {
  const message = { ...STRUCTURED_EVENT.data.message, data };
  return { ...STRUCTURED_EVENT, data: { ...STRUCTURED_EVENT.data, message } };
}

async function structuredEvent(sent: Promise<DispatchReceipt>) {
  await sent;
  return structuredWith(base64(capture.lastFrame()));
}

async function post(
  body: unknown,
  headers: Record<string, string>,
  path = '/',
) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

const postStructured = (event: unknown) =>
  post(event, { 'content-type': 'application/cloudevents+json' });

describe('createCloudEventHandler', () => {
  it('runs the frame of a structured messagePublished event', async () => {
    const status = await postStructured(await structuredEvent(completes('a')));

    expect(status).toBe(204);
    expect(runs).toEqual([{ label: 'a', attempt: 1 }]);
  });

  it('runs a binary-mode event and takes its delivery attempt', async () => {
    await completes('binary');
    const message = {
      ...BINARY_DATA.message,
      data: base64(capture.lastFrame()),
    };

    const status = await post({ ...BINARY_DATA, message }, BINARY_HEADERS);

    expect(status).toBe(204);
    expect(runs).toEqual([{ label: 'binary', attempt: 3 }]);
  });

  it('runs what the framework makes of an emulator push to a topic path', async () => {
    await completes('emulator');
    const message = {
      ...EMULATOR_PUSH_BODY.message,
      data: base64(capture.lastFrame()),
    };

    const status = await post(
      { ...EMULATOR_PUSH_BODY, message },
      { 'content-type': 'application/json' },
      TOPIC_PATH,
    );

    expect(status).toBe(204);
    expect(runs).toEqual([{ label: 'emulator', attempt: 1 }]);
  });

  it('throws when the body fails, so the framework answers 500', async () => {
    const status = await postStructured(await structuredEvent(fails('b')));

    expect(status).toBe(500);
    expect(runs.map((run) => run.label)).toEqual(['b']);
  });

  it('still answers 500 when the body rejects without an error', async () => {
    const event = await structuredEvent(failsWithoutError('c'));

    expect(await postStructured(event)).toBe(500);
  });

  it('resolves for a PermanentError, so the message is acknowledged', async () => {
    const status = await postStructured(await structuredEvent(refuses('d')));

    expect(status).toBe(204);
    expect(log.entries()).toEqual([
      expect.objectContaining({ severity: 'ERROR', reason: 'permanent' }),
    ]);
  });

  it('acknowledges a frame signed with an unknown key without running it', async () => {
    await forgedCompletes('forged');
    const event = structuredWith(base64(strangerCapture.lastFrame()));

    expect(await postStructured(event)).toBe(204);
    expect(runs).toEqual([]);
  });

  it('acknowledges and logs an event of another type', async () => {
    const event = {
      ...(await structuredEvent(completes('e'))),
      type: 'google.cloud.storage.object.v1.finalized',
    };

    expect(await postStructured(event)).toBe(204);
    expect(runs).toEqual([]);
    expect(log.entries()).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        reason: 'malformed',
        eventId: '2001',
        message: expect.stringContaining('google.cloud.storage'),
      }),
    ]);
  });

  it('acknowledges and logs event data without a message', async () => {
    const event = { ...STRUCTURED_EVENT, data: { subscription: 'x' } };

    expect(await postStructured(event)).toBe(204);
    expect(log.entries()[0]?.message).toContain('no "message"');
  });
});
