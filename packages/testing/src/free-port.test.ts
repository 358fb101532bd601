import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getFreePort } from './free-port.ts';

describe('getFreePort', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
    server = undefined;
  });

  it('returns a port a server can listen on at once', async () => {
    const port = await getFreePort();

    server = createServer();
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', resolve);
    });

    expect(port).toBeGreaterThan(0);
    expect(listening.address()).toMatchObject({ port });
  });
});
