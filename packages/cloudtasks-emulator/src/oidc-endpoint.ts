import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OidcIssuer } from './oidc-issuer.ts';

/** Where Google publishes its keys, and where this endpoint serves ours. */
export const JWKS_PATH = '/oauth2/v3/certs';
export const PEM_CERTS_PATH = '/oauth2/v1/certs';

/** A running key endpoint. */
export interface OidcEndpoint {
  /** e.g. `http://127.0.0.1:9000` */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Serves the issuer's public key at Google's two certificate paths, so an
 * unmodified google-auth-library can verify the tokens when its
 * `endpoints.oauth2FederatedSignon*CertsUrl` point here.
 */
export async function startOidcEndpoint(
  issuer: OidcIssuer,
  host: string,
  port: number,
): Promise<OidcEndpoint> {
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    const body =
      path === JWKS_PATH
        ? issuer.publicKeys()
        : path === PEM_CERTS_PATH
          ? issuer.publicKeyPems()
          : undefined;
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'public, max-age=3600',
    });
    response.end(JSON.stringify(body));
  });

  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  return {
    baseUrl: `http://${formatHost(host)}:${address.port}`,
    close: () => closeServer(server),
  };
}

/** `host` as it appears before `:port` (IPv6 in brackets). */
export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
