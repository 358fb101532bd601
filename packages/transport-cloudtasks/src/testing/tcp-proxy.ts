import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy that counts the client connections it holds. */
export interface TcpProxy {
  /** `127.0.0.1:port` to connect to instead of the target. */
  readonly address: string;
  /** Client connections currently open. */
  openConnections(): number;
  stop(): Promise<void>;
}

/** Forwards every connection to `target` (`host:port`). */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const colon = target.lastIndexOf(':');
  const host = target.slice(0, colon);
  const port = Number(target.slice(colon + 1));
  const open = new Set<Socket>();

  const server = createServer((client) => {
    const upstream = createConnection({ host, port });
    open.add(client);
    client.pipe(upstream).pipe(client);
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', end).on('error', end);
    upstream.once('close', end).on('error', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: own } = server.address() as { port: number };

  return {
    address: `127.0.0.1:${own}`,
    openConnections: () => open.size,
    stop: async () => {
      for (const socket of open) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
