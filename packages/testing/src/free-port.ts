import { createServer } from 'node:net';

/**
 * Finds a TCP port that is free on 127.0.0.1 right now, by listening on
 * port 0 and closing again. Another process may take it before you do, so
 * starters that use it retry on `EADDRINUSE`.
 */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
