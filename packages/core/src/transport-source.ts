import type { DispatcherOptions } from './dispatcher-options.ts';
import {
  loadTransportFromEnv,
  noTransportError,
  transportKindFromEnv,
} from './env-config.ts';
import { DispatchError } from './errors.ts';
import {
  createInProcessTransport,
  type FrameExecutor,
  isInProcessTransport,
} from './in-process-transport.ts';
import type { RegisteredFunction } from './registry.ts';
import {
  createLocalKeyRing,
  noSigningKeyError,
  resolveKeyRing,
} from './signing.ts';
import type { Transport } from './transport.ts';
import type { KeyRing } from './wire/index.ts';

/** Picks transports and keys for a dispatcher, and tracks what it used. */
export interface TransportSource {
  /** Tracks a transport; attaches the dispatcher if it is in-process. */
  adopt(transport: Transport | undefined): void;
  /** Forgets what came from the options or environment (on configure). */
  reset(): void;
  /**
   * The function's, the configured, or the environment's transport; a
   * promise only while the environment's is being loaded.
   */
  transportFor(entry: RegisteredFunction): Transport | Promise<Transport>;
  /** Keys to sign with; throws `NO_SIGNING_KEY` when none fit. */
  keyRingFor(transport: Transport, entry: RegisteredFunction): KeyRing;
  /** Keys to verify with; `local` frames may use the random key. */
  verifyingKeyRing(local: boolean): KeyRing | undefined;
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface TransportSourceOptions {
  options(): DispatcherOptions;
  /** Runs frames delivered by an in-process transport. */
  executor: FrameExecutor;
}

/** Creates the transport and key bookkeeping of one dispatcher. */
export function createTransportSource(
  source: TransportSourceOptions,
): TransportSource {
  const used = new Set<Transport>();
  let fromEnv: Promise<Transport> | undefined;
  let loadedFromEnv: Transport | undefined;
  let keys: { ring: KeyRing | undefined } | undefined;
  let localKeys: KeyRing | undefined;

  const adopt = (transport: Transport | undefined): void => {
    if (transport === undefined || used.has(transport)) return;
    if (isInProcessTransport(transport)) transport.attach(source.executor);
    used.add(transport);
  };

  const configuredKeys = (): KeyRing | undefined => {
    const { signing, env = {} } = source.options();
    keys ??= { ring: resolveKeyRing(signing, env) };
    return keys.ring;
  };

  const envTransport = (functionName: string): Promise<Transport> => {
    if (fromEnv !== undefined) return fromEnv;
    const loading = loadEnvTransport(source.options(), functionName, adopt);
    fromEnv = loading;
    // A failed load is tried again on the next call, not cached.
    loading.then(
      (transport) => {
        if (fromEnv === loading) loadedFromEnv = transport;
      },
      () => {
        if (fromEnv === loading) fromEnv = undefined;
      },
    );
    return loading;
  };

  return {
    adopt,
    reset() {
      fromEnv = undefined;
      loadedFromEnv = undefined;
      keys = undefined;
    },
    transportFor(entry) {
      const chosen = entry.options.transport ?? source.options().transport;
      return chosen ?? loadedFromEnv ?? envTransport(entry.name);
    },
    keyRingFor(transport, entry) {
      const ring = configuredKeys();
      if (ring !== undefined) return ring;
      if (!isInProcessTransport(transport)) {
        throw noSigningKeyError(entry.name, transport.name);
      }
      localKeys ??= createLocalKeyRing();
      return localKeys;
    },
    verifyingKeyRing(local) {
      const ring = configuredKeys();
      if (ring !== undefined || !local) return ring;
      localKeys ??= createLocalKeyRing();
      return localKeys;
    },
    flush: async () => {
      await Promise.all([...used].map((transport) => transport.flush()));
    },
    close: () => closeAll(used),
  };
}

async function loadEnvTransport(
  options: DispatcherOptions,
  functionName: string,
  adopt: (transport: Transport) => void,
): Promise<Transport> {
  const env = options.env ?? {};
  const kind = transportKindFromEnv(env, functionName);
  if (kind === undefined) throw noTransportError(functionName);
  const transport =
    kind === 'in-process'
      ? createInProcessTransport()
      : await loadTransportFromEnv(kind, env, functionName);
  adopt(transport);
  return transport;
}

async function closeAll(transports: Set<Transport>): Promise<void> {
  const results = await Promise.allSettled(
    [...transports].map((transport) => transport.close()),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure === undefined) return;
  throw new DispatchError(
    'TRANSPORT_FAILED',
    'close: a transport failed to close',
    { cause: failure.reason },
  );
}
