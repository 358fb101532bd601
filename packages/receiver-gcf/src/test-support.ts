// Helpers for this package's tests; not exported from the package.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type {
  DispatchReceipt,
  Logger,
  OutgoingMessage,
  SigningKey,
  Transport,
} from '@cloud-functions-dispatch/core';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { createJsonLogger } from './json-logger.ts';

/** Keys the tests sign with, and one the receiver does not know. */
export const TEST_KEYS: SigningKey[] = [
  { id: 'test-1', secret: Buffer.from('0123456789abcdef0123456789abcdef') },
];
export const UNKNOWN_KEYS: SigningKey[] = [
  { id: 'test-1', secret: Buffer.from('fedcba9876543210fedcba9876543210') },
];

/** A transport that keeps every frame it is given instead of sending it. */
export interface FrameCapture extends Transport {
  readonly messages: OutgoingMessage[];
  /** The frame of the last call sent. */
  lastFrame(): Uint8Array;
}

/** Creates a {@link FrameCapture}. */
export function createFrameCapture(): FrameCapture {
  const messages: OutgoingMessage[] = [];
  return {
    name: 'capture',
    messages,
    lastFrame() {
      const last = messages.at(-1);
      if (!last) throw new Error('createFrameCapture: nothing was sent');
      return last.frame;
    },
    async send(message): Promise<DispatchReceipt> {
      messages.push(message);
      return {
        id: `m-${messages.length}`,
        callId: message.callId,
        deduplicated: false,
      };
    },
    async flush() {},
    async close() {},
  };
}

/** A functions-framework test server for a registered target. */
export interface TestServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Serves a registered target on a free port of 127.0.0.1. */
export async function startTestServer(target: string): Promise<TestServer> {
  const server = getTestServer(target);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A JSON logger whose lines the test can read back. */
export interface CapturedLog {
  readonly logger: Logger;
  /** Every entry written so far, parsed. */
  entries(): Record<string, unknown>[];
  clear(): void;
}

/**
 * Creates a {@link CapturedLog} with project `demo-project`, at level info
 * (so the caller side's debug lines stay out).
 */
export function captureJsonLog(): CapturedLog {
  const lines: string[] = [];
  const sink = { write: (text: string) => lines.push(text) };
  const logger = createJsonLogger({
    projectId: 'demo-project',
    stdout: sink,
    stderr: sink,
  });
  return {
    logger,
    entries: () => lines.map((line) => JSON.parse(line)),
    clear: () => {
      lines.length = 0;
    },
  };
}
