import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CloudTasksEmulator,
  startCloudTasksEmulator,
} from '@cloud-functions-dispatch/cloudtasks-emulator';
import { uniqueName, waitUntil } from '@cloud-functions-dispatch/testing';
import { CloudTasksClient, protos } from '@google-cloud/tasks';
import { grpc } from 'google-gax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALL_ID_HEADER,
  FUNCTION_HEADER,
  MAX_TASK_BYTES,
} from './task-request.ts';
import { makeMessage } from './testing/messages.ts';
import {
  type CloudTasksTransport,
  createCloudTasksTransport,
} from './transport.ts';

const LOCATION = 'projects/transport-test/locations/here';
const FULL = protos.google.cloud.tasks.v2.Task.View.FULL;

process.env.METADATA_SERVER_DETECTION ??= 'none';

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let emulator: CloudTasksEmulator;
let client: CloudTasksClient;
let target: Server;
let targetUrl: string;
const received: Received[] = [];
const transports: CloudTasksTransport[] = [];

beforeAll(async () => {
  emulator = await startCloudTasksEmulator({ port: 0 });
  client = new CloudTasksClient({
    servicePath: emulator.host,
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: 'transport-test',
  });
  target = await startTarget();
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/run`;
});

afterAll(async () => {
  await Promise.all(transports.map((transport) => transport.close()));
  await client?.close();
  await emulator?.close();
  target?.closeAllConnections();
  target?.close();
});

async function startTarget(): Promise<Server> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({ headers: request.headers, body: Buffer.concat(chunks) });
    response.writeHead(204).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** A fresh queue, paused unless asked otherwise, so tasks stay to be read. */
async function makeQueue(paused = true): Promise<string> {
  const name = `${LOCATION}/queues/${uniqueName('queue')}`;
  await client.createQueue({ parent: LOCATION, queue: { name } });
  if (paused) await client.pauseQueue({ name });
  return name;
}

function open(
  queue: string,
  options: Partial<Parameters<typeof createCloudTasksTransport>[0]> = {},
): CloudTasksTransport {
  const transport = createCloudTasksTransport({
    queue,
    url: targetUrl,
    emulatorHost: emulator.address,
    ...options,
  });
  transports.push(transport);
  return transport;
}

async function fullTask(name: string) {
  const [task] = await client.getTask({ name, responseView: FULL });
  return task;
}

describe('Cloud Tasks transport against the emulator', () => {
  it('creates a POST task with the frame as body and the dispatch headers', async () => {
    const queue = await makeQueue();
    const transport = open(queue, {
      headers: { 'X-Team': 'mail', 'content-type': 'text/plain' },
    });
    const message = makeMessage({}, 2048, 'send mail ✉');

    const receipt = await transport.send(message);
    const task = await fullTask(receipt.id);

    expect(receipt).toEqual({
      id: expect.stringMatching(`^${queue}/tasks/`),
      callId: message.callId,
      deduplicated: false,
    });
    const request = task.httpRequest;
    expect(request?.url).toBe(targetUrl);
    expect(request?.httpMethod).toBe('POST');
    expect(Buffer.from(request?.body ?? [])).toEqual(
      Buffer.from(message.frame),
    );
    expect(request?.headers).toMatchObject({
      'Content-Type': 'application/octet-stream',
      [FUNCTION_HEADER]: 'send%20mail%20%E2%9C%89',
      [CALL_ID_HEADER]: message.callId,
      'X-Team': 'mail',
    });
    expect(Object.keys(request?.headers ?? {})).not.toContain('content-type');
    expect(task.scheduleTime).toBeTruthy();
    expect(request?.oidcToken ?? null).toBeNull();
  });

  it('delivers the frame bytes unchanged to the target URL', async () => {
    const queue = await makeQueue(false);
    const transport = open(queue);
    const message = makeMessage({}, 50_000);

    const isOurs = (entry: Received) =>
      entry.headers['x-dispatch-call-id'] === message.callId;
    await transport.send(message);
    await waitUntil(() => received.some(isOurs), { timeoutMs: 10_000 });

    const delivery = received.find(isOurs);
    expect(delivery?.body.equals(Buffer.from(message.frame))).toBe(true);
    expect(delivery?.headers['content-type']).toBe('application/octet-stream');
    expect(delivery?.headers['x-dispatch-function']).toBe('sendMail');
  });

  it('schedules at as whole seconds plus nanos', async () => {
    const queue = await makeQueue();
    const transport = open(queue);
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_123);

    const receipt = await transport.send(makeMessage({ at }));
    const task = await fullTask(receipt.id);

    expect(Number(task.scheduleTime?.seconds)).toBe(Math.floor(+at / 1000));
    expect(task.scheduleTime?.nanos).toBe(123_000_000);
  });

  it('adds an OIDC token with the URL as default audience and the deadline', async () => {
    const queue = await makeQueue();
    const email = 'tasks@transport-test.iam.gserviceaccount.com';
    const transport = open(queue, {
      url: `${targetUrl}?from=tasks`,
      serviceAccountEmail: email,
      dispatchDeadline: 90_500,
    });

    const receipt = await transport.send(makeMessage());
    const task = await fullTask(receipt.id);

    expect(task.httpRequest?.oidcToken).toEqual({
      serviceAccountEmail: email,
      audience: targetUrl,
    });
    expect(Number(task.dispatchDeadline?.seconds)).toBe(90);
    expect(task.dispatchDeadline?.nanos).toBe(500_000_000);
  });

  it('keeps an explicit audience', async () => {
    const queue = await makeQueue();
    const transport = open(queue, {
      serviceAccountEmail: 'a@b.iam.gserviceaccount.com',
      audience: 'https://worker.example',
    });

    const receipt = await transport.send(makeMessage());
    const task = await fullTask(receipt.id);

    expect(task.httpRequest?.oidcToken?.audience).toBe(
      'https://worker.example',
    );
  });

  it('resolves a repeated dedupe key as deduplicated with the same task', async () => {
    const queue = await makeQueue();
    const transport = open(queue);
    const options = { dedupeKey: 'order-42' };

    const first = await transport.send(makeMessage(options));
    const second = await transport.send(makeMessage(options));
    const otherFunction = await transport.send(
      makeMessage(options, 64, 'sendInvoice'),
    );

    expect(first.deduplicated).toBe(false);
    expect(second).toMatchObject({ id: first.id, deduplicated: true });
    expect(otherFunction.deduplicated).toBe(false);
    const [tasks] = await client.listTasks({ parent: queue });
    expect(tasks).toHaveLength(2);
  });

  it('sends a task just under the size limit', async () => {
    const queue = await makeQueue();
    const transport = open(queue);
    const message = makeMessage({}, MAX_TASK_BYTES - 1_000);

    const receipt = await transport.send(message);
    const task = await fullTask(receipt.id);

    expect(task.httpRequest?.body?.length).toBe(MAX_TASK_BYTES - 1_000);
  });

  it('reports a missing queue as TRANSPORT_FAILED with the service error', async () => {
    const queue = `${LOCATION}/queues/${uniqueName('missing')}`;
    const transport = open(queue);
    const message = makeMessage();

    const error = await transport.send(message).catch((reason) => reason);

    expect(error.code).toBe('TRANSPORT_FAILED');
    expect(error.message).toContain(queue);
    expect(error.message).toContain(message.callId);
    expect(error.cause.code).toBe(grpc.status.NOT_FOUND);
  });
});
