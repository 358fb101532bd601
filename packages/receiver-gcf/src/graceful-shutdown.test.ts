import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from '@cloud-functions-dispatch/core';
import {
  type ProcessExit,
  startWorker as startFrameworkWorker,
  type Worker,
  waitUntil,
} from '@cloud-functions-dispatch/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createFrameCapture } from './test-support.ts';

const WORKER = fileURLToPath(
  new URL('./fixtures/shutdown-worker.ts', import.meta.url),
);
const KEYS_TEXT = `shutdown=${randomBytes(32).toString('base64')}`;

/** What Cloud Tasks sends with an HTTP task. */
const TASK_HEADERS = {
  'content-type': 'application/octet-stream',
  'x-cloudtasks-queuename': 'calls',
  'x-cloudtasks-taskname': 'task-1',
} as const;

const capture = createFrameCapture();
const caller = createDispatcher({
  transport: capture,
  env: { DISPATCH_SIGNING_KEYS: KEYS_TEXT },
});
const sleep = caller.dispatch(
  'sleep',
  async (_label: string, _ms: number) => {},
);

let worker: Worker | undefined;

afterEach(async () => {
  await worker?.process.stop(0);
  worker = undefined;
});

async function startWorker(
  gracePeriodMs?: number,
  target: 'dispatch' | 'dispatchEvent' = 'dispatch',
): Promise<Worker> {
  const env: Record<string, string> = { DISPATCH_SIGNING_KEYS: KEYS_TEXT };
  if (gracePeriodMs !== undefined) {
    env.GRACE_PERIOD_MS = String(gracePeriodMs);
  }
  const signatureType = target === 'dispatch' ? 'http' : 'cloudevent';
  worker = await startFrameworkWorker({
    source: WORKER,
    target,
    signatureType,
    env,
  });
  return worker;
}

/** Posts `sleep(label, ms)` as a structured messagePublished event. */
async function postSleepEvent(url: string, label: string, ms: number) {
  await sleep(label, ms);
  const data = Buffer.from(capture.lastFrame()).toString('base64');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({
      specversion: '1.0',
      id: `event-${label}`,
      source: '//pubsub.googleapis.com/projects/p/topics/calls',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      datacontenttype: 'application/json',
      data: { message: { data, messageId: `m-${label}` } },
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function postSleep(url: string, label: string, ms: number) {
  await sleep(label, ms);
  const response = await fetch(url, {
    method: 'POST',
    headers: TASK_HEADERS,
    body: capture.lastFrame(),
  });
  return { status: response.status, body: await response.json() };
}

async function waitForOutput(running: Worker, text: string) {
  const seen = await waitUntil(() => running.process.output().includes(text), {
    timeoutMs: 10_000,
    intervalMs: 20,
  });
  if (!seen) {
    throw new Error(`no "${text}" in:\n${running.process.output()}`);
  }
}

/** The exit, or `'still running'` after a generous bound. */
async function exitOf(running: Worker): Promise<ProcessExit | string> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('still running'), 20_000);
  });
  try {
    return await Promise.race([running.process.exited, bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a worker that receives SIGTERM', () => {
  it('finishes the call in flight, answers it 200, turns new calls away with 503, then exits by itself', async () => {
    const running = await startWorker();
    const slow = postSleep(running.url, 'slow', 1_500);
    await waitForOutput(running, 'started slow');

    process.kill(running.process.pid, 'SIGTERM');
    await waitForOutput(running, 'receiver: SIGTERM');
    const late = await postSleep(running.url, 'late', 10);

    expect(late).toEqual({
      status: 503,
      body: { outcome: 'retry', reason: 'shutting-down' },
    });
    expect(await slow).toMatchObject({
      status: 200,
      body: { outcome: 'done', reason: 'completed', functionName: 'sleep' },
    });
    expect(await exitOf(running)).toEqual({ code: 0, signal: null });
    expect(running.process.output()).toContain('finished slow');
    expect(running.process.output()).not.toContain('started late');
  }, 30_000);

  it('answers a call still running when the grace period ends with 503 and exits', async () => {
    const running = await startWorker(300);
    const stuck = postSleep(running.url, 'stuck', 60_000);
    await waitForOutput(running, 'started stuck');

    process.kill(running.process.pid, 'SIGTERM');

    expect(await stuck).toEqual({
      status: 503,
      body: { outcome: 'retry', reason: 'shutting-down' },
    });
    expect(await exitOf(running)).toEqual({ code: 0, signal: null });
    expect(running.process.output()).toContain('"abandoned":1');
    expect(running.process.output()).not.toContain('finished stuck');
  }, 30_000);

  it('lets a CloudEvent in flight finish (204) and turns new events away with 500', async () => {
    const running = await startWorker(undefined, 'dispatchEvent');
    const slow = postSleepEvent(running.url, 'event-slow', 1_500);
    await waitForOutput(running, 'started event-slow');

    process.kill(running.process.pid, 'SIGTERM');
    await waitForOutput(running, 'receiver: SIGTERM');
    const late = await postSleepEvent(running.url, 'event-late', 10);

    expect(late).toBe(500);
    expect(await slow).toBe(204);
    expect(await exitOf(running)).toEqual({ code: 0, signal: null });
    expect(running.process.output()).not.toContain('started event-late');
  }, 30_000);

  it('exits at once when no call is in flight', async () => {
    const running = await startWorker();

    process.kill(running.process.pid, 'SIGTERM');

    expect(await exitOf(running)).toEqual({ code: 0, signal: null });
    expect(running.process.output()).toContain('"inFlight":0');
  }, 30_000);
});
