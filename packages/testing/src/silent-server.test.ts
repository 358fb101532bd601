import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SilentServer, startSilentServer } from './silent-server.ts';

describe('startSilentServer', () => {
  let server: SilentServer | undefined;

  afterEach(async () => {
    await server?.stop();
  });

  it('accepts and counts connections but never sends a byte', async () => {
    server = await startSilentServer();
    const socket = connect(server.port, '127.0.0.1');
    // Dropped with unread data, the client sees a reset.
    socket.on('error', () => {});
    let received = 0;
    socket.on('data', (chunk) => {
      received += chunk.length;
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('hello?');

    const closed = new Promise((resolve) => socket.once('close', resolve));
    await server.stop();
    await closed;

    expect(server.connections()).toBe(1);
    expect(received).toBe(0);
  });
});
