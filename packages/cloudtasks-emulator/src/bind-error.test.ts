import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { logVerbosity, setLogVerbosity } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudTasksEmulator } from './emulator.ts';

// TEST-NET-1 (RFC 5737): documentation only, never on an interface.
const UNASSIGNED_ADDRESS = '192.0.2.1';

// grpc-js prints its own line on a failed bind; the message is what counts.
setLogVerbosity(logVerbosity.NONE);

let holder: Server;
let takenPort: number;

beforeAll(async () => {
  holder = createServer().listen(0, '127.0.0.1');
  await once(holder, 'listening');
  takenPort = (holder.address() as { port: number }).port;
});

afterAll(async () => {
  holder.close();
  await once(holder, 'close');
});

async function startFailure(host: string, port: number): Promise<Error> {
  const started = startCloudTasksEmulator({ host, port });
  return started.then(
    async (emulator) => {
      await emulator.close();
      throw new Error(`the emulator started on ${host}:${port}`);
    },
    (error: Error) => error,
  );
}

describe('startCloudTasksEmulator on an address it cannot use', () => {
  it('says the address is in use when another process holds the port', async () => {
    const error = await startFailure('127.0.0.1', takenPort);

    expect(error.message).toBe(
      `startCloudTasksEmulator: cannot listen on 127.0.0.1:${takenPort}: ` +
        'address in use: another process listens on this port (EADDRINUSE)',
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('says it cannot assign an address no interface has', async () => {
    const error = await startFailure(UNASSIGNED_ADDRESS, 0);

    expect(error.message).toContain(`cannot listen on ${UNASSIGNED_ADDRESS}:0`);
    expect(error.message).toMatch(
      /cannot assign address: .* \(EADDRNOTAVAIL\)$/,
    );
  });
});
