import { createServer, type Socket } from 'node:net';

/** A TCP server that accepts connections and never answers. */
export interface SilentServer {
  readonly port: number;
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** How many connections it has accepted so far. */
  connections(): number;
  /** Drops every connection and closes the server. */
  stop(): Promise<void>;
}

/**
 * Starts a TCP server on a free port of 127.0.0.1 that accepts every
 * connection and never sends a byte: a hung service, for timeout tests,
 * and a witness that no connection was made at all.
 */
export function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        host: `127.0.0.1:${port}`,
        connections: () => accepted,
        stop,
      });
    });
  });
}
