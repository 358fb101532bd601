// Shared by the tests: an emulator with the official client pointed at it,
// and a node:http target that records what the emulator sends.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudTasksClient } from '@google-cloud/tasks';
import { grpc } from 'google-gax';
import {
  type CloudTasksEmulator,
  type CloudTasksEmulatorOptions,
  startCloudTasksEmulator,
} from './index.ts';

process.env.METADATA_SERVER_DETECTION ??= 'none';

/** The project and location every test queue lives in. */
export const LOCATION = 'projects/test-project/locations/here';

/** gRPC status codes, as the client reports them in `error.code`. */
export const Status: typeof grpc.status = grpc.status;

/** An emulator and an official client connected to it. */
export interface Harness {
  emulator: CloudTasksEmulator;
  client: CloudTasksClient;
  close(): Promise<void>;
}

/** Starts an emulator on a free port and connects a client. */
export async function startHarness(
  options: CloudTasksEmulatorOptions = {},
): Promise<Harness> {
  const emulator = await startCloudTasksEmulator(options);
  const client = new CloudTasksClient({
    servicePath: emulator.host,
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: 'test-project',
  });
  return {
    emulator,
    client,
    async close() {
      await client.close();
      await emulator.close();
    },
  };
}

/** A queue name no other test uses. */
export function uniqueQueueName(label: string): string {
  return `${LOCATION}/queues/${label}-${randomUUID().slice(0, 8)}`;
}

/** What the target received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  receivedAtMs: number;
  /** Resolves when the connection of this request closes. */
  closed: Promise<void>;
}

/** Answers one request; the default answers 200. */
export type Responder = (
  request: ReceivedRequest,
  response: ServerResponse,
) => void | Promise<void>;

/** A local HTTP server standing in for a task handler. */
export interface Target {
  /** Base URL, no trailing slash. */
  url: string;
  requests: ReceivedRequest[];
  /** Most requests open at the same time so far. */
  maxOpen: number;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(
    count: number,
    timeoutMs?: number,
  ): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** Starts a target on a free loopback port. */
export async function startTarget(
  respond: Responder = (_, response) => {
    response.end();
  },
): Promise<Target> {
  const requests: ReceivedRequest[] = [];
  let open = 0;
  const target: Partial<Target> = { requests, maxOpen: 0 };
  const server = createServer(async (incoming, response) => {
    const receivedAtMs = Date.now();
    open += 1;
    target.maxOpen = Math.max(target.maxOpen ?? 0, open);
    // Counted as finished once the answer is sent or the caller gave up.
    response.once('close', () => {
      open -= 1;
    });
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: ReceivedRequest = {
      method: incoming.method ?? '',
      path: incoming.url ?? '',
      headers: incoming.headers,
      body: Buffer.concat(chunks),
      receivedAtMs,
      closed: once(response, 'close').then(() => undefined),
    };
    requests.push(request);
    server.emit('recorded');
    await respond(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const { port } = server.address() as AddressInfo;
  return Object.assign(target, {
    url: `http://127.0.0.1:${port}`,
    waitForRequests: (count: number, timeoutMs = 10_000) =>
      waitFor(
        () => requests.length >= count,
        timeoutMs,
        () => `${count} requests (got ${requests.length})`,
      ).then(() => requests.slice(0, count)),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  }) as Target;
}

/**
 * Polls `condition` every 10 ms until it holds; rejects after `timeoutMs`
 * naming what it waited for.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what()}`);
    await sleep(10);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a GetTask for `name` answers NOT_FOUND. */
export async function isGone(
  client: CloudTasksClient,
  name: string,
): Promise<boolean> {
  try {
    await client.getTask({ name });
    return false;
  } catch (error) {
    if ((error as { code?: number }).code === Status.NOT_FOUND) return true;
    throw error;
  }
}

/** The name of a resource the client returned; throws if it has none. */
export function nameOf(resource: { name?: string | null }): string {
  if (!resource.name) throw new Error('The emulator returned no name');
  return resource.name;
}
