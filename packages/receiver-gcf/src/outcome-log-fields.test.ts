import { createDispatcher } from '@cloud-functions-dispatch/core';
import {
  CALL_ID_HEADER,
  FUNCTION_HEADER,
} from '@cloud-functions-dispatch/transport-cloudtasks';
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

/** What Cloud Tasks sends with an HTTP task on its first attempt. */
const TASK_HEADERS = {
  'content-type': 'application/octet-stream',
  'x-cloudtasks-queuename': 'calls',
  'x-cloudtasks-taskname': 'task-0190f3a2',
  'x-cloudtasks-taskretrycount': '0',
} as const;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

const TARGET = 'receiverOutcomeLogFields';

const log = captureJsonLog();
const capture = createFrameCapture();
const worker = createDispatcher({
  transport: capture,
  signing: { keys: TEST_KEYS },
  logger: log.logger,
});
const greet = worker.dispatch('greet', async (_name: string) => {});

// Signs with a secret the worker does not have: nothing it claims holds.
const strangerCapture = createFrameCapture();
const stranger = createDispatcher({
  transport: strangerCapture,
  signing: { keys: UNKNOWN_KEYS },
});
const forgedGreet = stranger.dispatch('grüßen', async (_name: string) => {});

let server: TestServer;

beforeAll(async () => {
  http(
    TARGET,
    createHttpHandler({ dispatcher: worker, signing: { keys: TEST_KEYS } }),
  );
  server = await startTestServer(TARGET);
});

afterAll(() => server.stop());

beforeEach(() => log.clear());

async function post(
  body: Uint8Array | string,
  headers: Readonly<Record<string, string>>,
) {
  const response = await fetch(server.url, { method: 'POST', headers, body });
  await response.arrayBuffer();
  return response.status;
}

describe('outcome log lines of the HTTP handler', () => {
  it('carry the Cloud Logging trace of the call', async () => {
    await greet.with({ metadata: { traceparent: TRACEPARENT } })('Ada');

    await post(capture.lastFrame(), TASK_HEADERS);

    expect(log.entries()).toEqual([
      expect.objectContaining({
        severity: 'INFO',
        functionName: 'greet',
        'logging.googleapis.com/trace': `projects/demo-project/traces/${TRACE_ID}`,
        'logging.googleapis.com/spanId': SPAN_ID,
      }),
    ]);
  });

  it('name the call and function a task claims when its frame fails verification', async () => {
    const receipt = await forgedGreet('Mallory');

    const status = await post(strangerCapture.lastFrame(), {
      ...TASK_HEADERS,
      [CALL_ID_HEADER]: receipt.callId,
      [FUNCTION_HEADER]: encodeURIComponent('grüßen'),
    });

    expect(status).toBe(200);
    const [entry] = log.entries();
    expect(entry).toMatchObject({
      severity: 'ERROR',
      reason: 'bad-signature',
      security: true,
      unverifiedCallId: receipt.callId,
      unverifiedFunctionName: 'grüßen',
      message: 'a call claiming to be "grüßen" dropped (bad-signature)',
    });
    expect(entry).not.toHaveProperty('callId');
    expect(entry).not.toHaveProperty('functionName');
  });

  it('name the call and function a push message claims in its attributes', async () => {
    await forgedGreet('Mallory');
    const [sent] = strangerCapture.messages.slice(-1);
    const body: PubSubPushBody = {
      message: {
        data: Buffer.from(sent?.frame ?? []).toString('base64'),
        attributes: { ...sent?.attributes },
        messageId: '2001',
      },
      subscription: 'projects/demo-project/subscriptions/calls-push',
    };

    await post(JSON.stringify(body), { 'content-type': 'application/json' });

    expect(log.entries()).toEqual([
      expect.objectContaining({
        reason: 'bad-signature',
        messageId: '2001',
        unverifiedCallId: sent?.callId,
        unverifiedFunctionName: 'grüßen',
      }),
    ]);
  });
});
