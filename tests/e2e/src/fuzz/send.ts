import { Agent, request } from 'node:http';
import type { FuzzInput } from './fuzz-input.ts';

/** What the receiver answered to one input. */
export interface Received {
  readonly status: number;
  /** `reason` of a JSON answer, else undefined. */
  readonly reason: string | undefined;
  /** functions-framework marks a thrown handler with this header. */
  readonly crashed: boolean;
}

/** Sends inputs over kept-alive connections to one URL. */
export interface Sender {
  send(input: FuzzInput): Promise<Received>;
  close(): void;
}

/** Creates a {@link Sender} with at most `sockets` connections. */
export function createSender(url: string, sockets: number): Sender {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const target = new URL(url);

  const send = (input: FuzzInput) =>
    new Promise<Received>((resolve, reject) => {
      const outgoing = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: input.method ?? 'POST',
          agent,
          headers: { ...input.headers, 'content-length': input.body.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            resolve({
              status: response.statusCode ?? 0,
              reason: reasonOf(Buffer.concat(chunks)),
              crashed: response.headers['x-google-status'] === 'crash',
            });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(input.body);
    });

  return { send, close: () => agent.destroy() };
}

function reasonOf(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const reason = (parsed as { reason?: unknown }).reason;
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}
