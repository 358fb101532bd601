import { randomBytes } from 'node:crypto';
import {
  createDispatcher,
  parseSigningKeys,
} from '@cloud-functions-dispatch/core';
import { http } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHandler } from './http-handler.ts';
import {
  captureJsonLog,
  createFrameCapture,
  startTestServer,
  type TestServer,
} from './test-support.ts';

const key = (id: string) => `${id}=${randomBytes(32).toString('base64')}`;
const NEW = key('k3');
const OLD = key('k2');
const REMOVED = key('k1');

// The worker after rotation: the new key first, the old one kept until
// no frame signed with it is in flight; k1 was removed.
const WORKER_ENV = { DISPATCH_SIGNING_KEYS: `${NEW},${OLD}` };

const log = captureJsonLog();
const runs: string[] = [];
const worker = createDispatcher({ env: WORKER_ENV, logger: log.logger });
worker.dispatch('greet', async (name: string) => {
  runs.push(name);
});

/** A caller holding `keysText` (its first key signs). */
function callerWith(keysText: string) {
  const capture = createFrameCapture();
  const caller = createDispatcher({
    transport: capture,
    signing: { keys: parseSigningKeys(keysText) },
  });
  const greet = caller.dispatch('greet', async (_name: string) => {});
  return async (name: string) => {
    await greet(name);
    return capture.lastFrame();
  };
}

let server: TestServer;

beforeAll(async () => {
  http(
    'keyRotation',
    createHttpHandler({
      env: WORKER_ENV,
      dispatcher: worker,
      logger: log.logger,
    }),
  );
  server = await startTestServer('keyRotation');
});

afterAll(() => server.stop());

async function deliver(frame: Uint8Array) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: frame,
  });
  const body = (await response.json()) as { outcome: string; reason: string };
  return [response.status, body.outcome, body.reason];
}

describe('a worker holding [new, old] keys', () => {
  it('runs calls from a caller still signing with the old key', async () => {
    const frame = await callerWith(OLD)('old-caller');
    expect(await deliver(frame)).toEqual([200, 'done', 'completed']);
    expect(runs).toContain('old-caller');
  });

  it('runs calls from a caller already signing with the new key', async () => {
    const frame = await callerWith(`${NEW},${OLD}`)('new-caller');
    expect(await deliver(frame)).toEqual([200, 'done', 'completed']);
    expect(runs).toContain('new-caller');
  });

  it('drops a call signed with the removed key without running it', async () => {
    const frame = await callerWith(`${REMOVED},${OLD}`)('removed-caller');
    expect(await deliver(frame)).toEqual([200, 'drop', 'bad-signature']);
    expect(runs).not.toContain('removed-caller');
  });
});
