import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DispatchError } from './errors.ts';
import type { Transport } from './transport.ts';

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The transports `DISPATCH_TRANSPORT` can name. */
export type EnvironmentTransportKind = 'pubsub' | 'cloudtasks' | 'in-process';

const TRANSPORT_PACKAGES = {
  pubsub: '@cloud-functions-dispatch/transport-pubsub',
  cloudtasks: '@cloud-functions-dispatch/transport-cloudtasks',
} as const;

const SETUP_HINT =
  'set DISPATCH_TRANSPORT (pubsub, cloudtasks or in-process) with ' +
  'DISPATCH_PUBSUB_TOPIC or DISPATCH_CLOUDTASKS_QUEUE and ' +
  'DISPATCH_TARGET_URL, or call configureDispatch({ transport })';

/**
 * The transport the environment asks for: `DISPATCH_TRANSPORT`, or else
 * the only one of `DISPATCH_PUBSUB_TOPIC` / `DISPATCH_CLOUDTASKS_QUEUE`
 * that is set. `undefined` when nothing is set.
 *
 * @throws DispatchError `INVALID_OPTIONS` for an unknown
 * `DISPATCH_TRANSPORT`, or for both destinations without one.
 */
export function transportKindFromEnv(
  env: Environment,
  functionName?: string,
): EnvironmentTransportKind | undefined {
  const target =
    functionName === undefined ? 'dispatch' : `dispatch ${functionName}`;
  const context = functionName === undefined ? {} : { functionName };
  const named = env.DISPATCH_TRANSPORT?.trim();
  if (named === 'pubsub' || named === 'cloudtasks' || named === 'in-process') {
    return named;
  }
  if (named !== undefined && named !== '') {
    throw new DispatchError(
      'INVALID_OPTIONS',
      `${target}: DISPATCH_TRANSPORT="${named}" is not one of pubsub, ` +
        'cloudtasks, in-process',
      context,
    );
  }

  const topic = Boolean(env.DISPATCH_PUBSUB_TOPIC);
  const queue = Boolean(env.DISPATCH_CLOUDTASKS_QUEUE);
  if (topic && queue) {
    throw new DispatchError(
      'INVALID_OPTIONS',
      `${target}: the transport is ambiguous: both DISPATCH_PUBSUB_TOPIC ` +
        'and DISPATCH_CLOUDTASKS_QUEUE are set; set DISPATCH_TRANSPORT ' +
        '(pubsub or cloudtasks) to choose one',
      context,
    );
  }
  if (topic) return 'pubsub';
  if (queue) return 'cloudtasks';
  return undefined;
}

/** The `NO_TRANSPORT` error for a call of `functionName`. */
export function noTransportError(functionName: string): DispatchError {
  return new DispatchError(
    'NO_TRANSPORT',
    `dispatch ${functionName}: no transport is configured; ${SETUP_HINT}. ` +
      'Calls never run locally by accident: use .runLocally() for that',
    { functionName },
  );
}

interface TransportModule {
  createTransportFromEnv(env: Environment): Transport;
}

/**
 * Imports the transport package for `kind` and builds its transport from
 * `env`. The package is an optional peer: it is looked up from the working
 * directory and the main script, then from core itself, so an
 * application that installs it next to core is found even when core is
 * linked.
 */
export async function loadTransportFromEnv(
  kind: keyof typeof TRANSPORT_PACKAGES,
  env: Environment,
  functionName: string,
): Promise<Transport> {
  const specifier = TRANSPORT_PACKAGES[kind];
  const module = await importFromAnywhere(specifier, functionName);
  if (typeof module.createTransportFromEnv !== 'function') {
    throw new DispatchError(
      'NO_TRANSPORT',
      `dispatch ${functionName}: ${specifier} does not export ` +
        'createTransportFromEnv; update it to match core',
      { functionName },
    );
  }
  try {
    return module.createTransportFromEnv(env);
  } catch (cause) {
    throw new DispatchError(
      'NO_TRANSPORT',
      `dispatch ${functionName}: ${specifier} could not be set up from ` +
        `the environment (${messageOf(cause)})`,
      { functionName, cause },
    );
  }
}

async function importFromAnywhere(
  specifier: string,
  functionName: string,
): Promise<Partial<TransportModule>> {
  // The application's copy first: in a workspace, core may be linked from
  // a folder that cannot see the application's dependencies.
  const resolved = lookupBases()
    .map((base) => tryResolve(base, specifier))
    .find((path) => path !== undefined);
  const target =
    resolved === undefined ? specifier : pathToFileURL(resolved).href;
  try {
    return (await import(target)) as Partial<TransportModule>;
  } catch (cause) {
    if (!isNotFound(cause, specifier)) {
      throw loadFailed(specifier, functionName, cause);
    }
    throw new DispatchError(
      'NO_TRANSPORT',
      `dispatch ${functionName}: the environment asks for ${specifier}, ` +
        `which is not installed; install it next to core (npm i ${specifier})`,
      { functionName, cause },
    );
  }
}

function lookupBases(): string[] {
  const bases = [join(process.cwd(), 'index.js')];
  const main = process.argv[1];
  if (main !== undefined) bases.push(join(dirname(main), 'index.js'));
  return bases;
}

function tryResolve(base: string, specifier: string): string | undefined {
  try {
    return createRequire(base).resolve(specifier);
  } catch {
    return undefined;
  }
}

/** True when `specifier` itself is missing, not one of its dependencies. */
function isNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const missing =
    code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return missing && messageOf(error).includes(`'${specifier}'`);
}

function loadFailed(
  specifier: string,
  functionName: string,
  cause: unknown,
): DispatchError {
  return new DispatchError(
    'NO_TRANSPORT',
    `dispatch ${functionName}: loading ${specifier} failed ` +
      `(${messageOf(cause)})`,
    { functionName, cause },
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
