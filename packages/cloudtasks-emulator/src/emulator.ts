import { Server, ServerCredentials } from '@grpc/grpc-js';
import { describeBindFailure } from './bind-error.ts';
import { type DispatchLogger, stderrDispatchLogger } from './dispatch-log.ts';
import type { EmulatorContext } from './emulator-context.ts';
import { createServiceImplementation } from './grpc-service.ts';
import { createTargetAgents, type TargetAgents } from './http-attempt.ts';
import {
  formatHost,
  JWKS_PATH,
  type OidcEndpoint,
  PEM_CERTS_PATH,
  startOidcEndpoint,
} from './oidc-endpoint.ts';
import { type JsonWebKeySet, OidcIssuer } from './oidc-issuer.ts';
import { loadCloudTasksService } from './protos.ts';
import { resolveSettings } from './queue-config.ts';
import { checkQueueName } from './resource-names.ts';
import { Scheduler } from './scheduler.ts';
import { EmulatorStore } from './store.ts';
import { TaskDispatcher } from './task-dispatcher.ts';

/** Options of {@link startCloudTasksEmulator}. */
export interface CloudTasksEmulatorOptions {
  /** gRPC port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Full queue names (`projects/P/locations/L/queues/Q`) to create at start, with default settings. */
  queues?: readonly string[];
  /**
   * How long a task name stays taken after the task completed or was
   * deleted, ms. Default 3_600_000 (one hour, like the service); 0 frees
   * names at once.
   */
  nameReuseWindowMs?: number;
  /**
   * How long a queue name stays taken after DeleteQueue, ms. Default 0;
   * the service blocks a name for days (FAILED_PRECONDITION).
   */
  queueNameReuseWindowMs?: number;
  /**
   * Shortest `dispatchDeadline` CreateTask accepts, ms. Default 15_000 like
   * the service; lower it to test deadlines quickly.
   */
  minDispatchDeadlineMs?: number;
  /** Log each finished attempt: `true` for one line on stderr, or a function. Default off. */
  logDispatches?: boolean | DispatchLogger;
  /**
   * Also serve the OIDC public key over HTTP on this port (0 picks one),
   * at Google's paths `/oauth2/v3/certs` (JWKS) and `/oauth2/v1/certs`
   * (PEM). Default: not served.
   */
  oidcKeysPort?: number;
}

/** A running emulator. */
export interface CloudTasksEmulator {
  /** The interface it listens on. */
  readonly host: string;
  /** The gRPC port. */
  readonly port: number;
  /** `host:port`, the value for `CLOUD_TASKS_EMULATOR_HOST`. */
  readonly address: string;
  /** JWKS URL of the OIDC key, when `oidcKeysPort` was given. */
  readonly jwksUrl: string | undefined;
  /** PEM certificates URL of the OIDC key, when `oidcKeysPort` was given. */
  readonly pemCertsUrl: string | undefined;
  /** The key that signs OIDC tokens, as a JWKS (RS256, `kid` set). */
  publicKeys(): JsonWebKeySet;
  /** The same key as a PEM by key id (google-auth-library's format). */
  publicKeyPems(): Record<string, string>;
  /** Stops the server, aborts attempts under way and clears every timer. */
  close(): Promise<void>;
}

/**
 * Starts a Cloud Tasks v2 server on loopback that the official
 * `@google-cloud/tasks` client can use unmodified, and that dispatches
 * HTTP tasks the way the service does.
 *
 * @example
 * const emulator = await startCloudTasksEmulator({
 *   queues: ['projects/p/locations/l/queues/q'],
 * });
 * const client = new CloudTasksClient({
 *   servicePath: emulator.host,
 *   port: emulator.port,
 *   sslCreds: grpc.credentials.createInsecure(), // google-gax's grpc
 *   projectId: 'p',
 * });
 * // ...
 * await emulator.close();
 */
export async function startCloudTasksEmulator(
  options: CloudTasksEmulatorOptions = {},
): Promise<CloudTasksEmulator> {
  const host = options.host ?? '127.0.0.1';
  const oidc = await OidcIssuer.create();
  const context = createContext(options, oidc);
  createInitialQueues(context, options.queues ?? []);

  const server = new Server();
  server.addService(
    loadCloudTasksService(),
    createServiceImplementation(context),
  );
  const port = await bind(server, host, options.port ?? 0);
  const endpoint = await startEndpoint(oidc, host, options, server);

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    address: `${formatHost(host)}:${port}`,
    jwksUrl: endpoint && `${endpoint.baseUrl}${JWKS_PATH}`,
    pemCertsUrl: endpoint && `${endpoint.baseUrl}${PEM_CERTS_PATH}`,
    publicKeys: () => oidc.publicKeys(),
    publicKeyPems: () => oidc.publicKeyPems(),
    close() {
      closing ??= shutdown(context, server, endpoint);
      return closing;
    },
  };
}

// The handlers' context plus what only shutdown needs.
type RunningContext = EmulatorContext & { agents: TargetAgents };

function createContext(
  options: CloudTasksEmulatorOptions,
  oidc: OidcIssuer,
): RunningContext {
  const store = new EmulatorStore({
    taskNameReuseWindowMs: options.nameReuseWindowMs ?? 3_600_000,
    queueNameReuseWindowMs: options.queueNameReuseWindowMs ?? 0,
  });
  const agents = createTargetAgents();
  const logger =
    options.logDispatches === true
      ? stderrDispatchLogger
      : options.logDispatches || undefined;
  const dispatcher = new TaskDispatcher({
    store,
    oidc,
    agents,
    logger,
    onAttemptSettled: () => scheduler.wake(),
  });
  const scheduler = new Scheduler(store, (queue, task) =>
    dispatcher.start(queue, task),
  );
  const taskLimits = {
    minDispatchDeadlineMs: options.minDispatchDeadlineMs ?? 15_000,
  };
  return { store, scheduler, dispatcher, taskLimits, agents };
}

function createInitialQueues(
  context: EmulatorContext,
  names: readonly string[],
): void {
  const nowMs = Date.now();
  for (const name of names) {
    try {
      checkQueueName(name);
      context.store.addQueue(name, resolveSettings(name, {}), nowMs);
    } catch (error) {
      throw new Error(
        `startCloudTasksEmulator: cannot create queue "${name}": ` +
          (error as Error).message,
        { cause: error },
      );
    }
  }
}

function bind(server: Server, host: string, port: number): Promise<number> {
  const address = `${formatHost(host)}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(
      address,
      ServerCredentials.createInsecure(),
      (error, bound) => {
        if (error) {
          const reason = describeBindFailure(error);
          reject(
            new Error(
              `startCloudTasksEmulator: cannot listen on ${address}: ${reason}`,
              { cause: error },
            ),
          );
        } else {
          resolve(bound);
        }
      },
    );
  });
}

async function startEndpoint(
  oidc: OidcIssuer,
  host: string,
  options: CloudTasksEmulatorOptions,
  server: Server,
): Promise<OidcEndpoint | undefined> {
  if (options.oidcKeysPort === undefined) return undefined;
  try {
    return await startOidcEndpoint(oidc, host, options.oidcKeysPort);
  } catch (error) {
    server.forceShutdown();
    throw new Error(
      `startCloudTasksEmulator: cannot serve OIDC keys on port ` +
        `${options.oidcKeysPort}`,
      { cause: error },
    );
  }
}

async function shutdown(
  context: RunningContext,
  server: Server,
  endpoint: OidcEndpoint | undefined,
): Promise<void> {
  context.scheduler.close();
  context.dispatcher.close();
  context.agents.http.destroy();
  context.agents.https.destroy();
  server.forceShutdown();
  await endpoint?.close();
}
