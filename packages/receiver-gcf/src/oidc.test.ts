import {
  type CloudTasksEmulator,
  startCloudTasksEmulator,
} from '@cloud-functions-dispatch/cloudtasks-emulator';
import { createDispatcher, currentCall } from '@cloud-functions-dispatch/core';
import { getFreePort, waitUntil } from '@cloud-functions-dispatch/testing';
import { createCloudTasksTransport } from '@cloud-functions-dispatch/transport-cloudtasks';
import { http } from '@google-cloud/functions-framework';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpHandler } from './http-handler.ts';
import {
  captureJsonLog,
  createFrameCapture,
  startTestServer,
  TEST_KEYS,
  type TestServer,
} from './test-support.ts';

process.env.METADATA_SERVER_DETECTION ??= 'none';

const QUEUE = 'projects/oidc-test/locations/here/queues/calls';
const SENDER = 'tasks-invoker@oidc-test.iam.gserviceaccount.com';
const STRANGER = 'someone-else@oidc-test.iam.gserviceaccount.com';
const GOOGLE_ISSUER = 'https://accounts.google.com';
const LOCAL_KID = 'local-test-key';

const signing = { keys: TEST_KEYS };
const log = captureJsonLog();
// The emulator retries refused tasks in the background: their lines go
// to a log of their own.
const emulatorLog = captureJsonLog();
const runs: string[] = [];
const worker = createDispatcher({ signing, logger: log.logger });
worker.dispatch('greet', async (name: string) => {
  runs.push(`${name}#${currentCall()?.attempt}`);
});

// A key of our own, for tokens the emulator cannot mint (expired ones).
const local = await generateKeyPair('RS256', { extractable: true });
const otherKey = await generateKeyPair('RS256');

let emulator: CloudTasksEmulator;
let emulatorServer: TestServer;
let localServer: TestServer;
let unreachableServer: TestServer;

beforeAll(async () => {
  emulator = await startCloudTasksEmulator({
    queues: [QUEUE],
    oidcKeysPort: 0,
  });
  const base = { dispatcher: worker, logger: log.logger, signing };
  http(
    'oidcByEmulatorCerts',
    createHttpHandler({
      ...base,
      logger: emulatorLog.logger,
      oidc: {
        audience: 'https://worker.example/tasks',
        email: SENDER,
        certsUrl: emulator.pemCertsUrl as string,
      },
    }),
  );
  http(
    'oidcByLocalCerts',
    createHttpHandler({
      ...base,
      oidc: {
        audience: ['https://worker.example/a', 'https://worker.example/b'],
        email: [SENDER],
        certs: { [LOCAL_KID]: await exportSPKI(local.publicKey) },
      },
    }),
  );
  const closedPort = await getFreePort();
  http(
    'oidcUnreachableCerts',
    createHttpHandler({
      ...base,
      oidc: {
        audience: 'https://worker.example/tasks',
        email: SENDER,
        certsUrl: `http://127.0.0.1:${closedPort}/oauth2/v1/certs`,
      },
    }),
  );
  emulatorServer = await startTestServer('oidcByEmulatorCerts');
  localServer = await startTestServer('oidcByLocalCerts');
  unreachableServer = await startTestServer('oidcUnreachableCerts');
});

afterAll(async () => {
  await emulator?.close();
  await emulatorServer?.stop();
  await localServer?.stop();
  await unreachableServer?.stop();
});

beforeEach(() => {
  runs.length = 0;
  log.clear();
  emulatorLog.clear();
});

/** A caller whose tasks carry an emulator-signed token. */
function callerFor(email: string, audience: string) {
  const caller = createDispatcher({
    signing,
    transport: createCloudTasksTransport({
      queue: QUEUE,
      url: `${emulatorServer.url}/`,
      serviceAccountEmail: email,
      audience,
      emulatorHost: emulator.address,
    }),
  });
  const greet = caller.dispatch('greet', async (_name: string) => {});
  return { greet, close: () => caller.close() };
}

interface TokenClaims {
  email?: string;
  email_verified?: boolean;
  audience?: string;
  issuer?: string;
  expiresAt?: number;
  issuedAt?: number;
}

async function localToken(
  claims: TokenClaims,
  key = local.privateKey,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    email: claims.email ?? SENDER,
    email_verified: claims.email_verified ?? true,
  })
    .setProtectedHeader({ alg: 'RS256', kid: LOCAL_KID, typ: 'JWT' })
    .setIssuer(claims.issuer ?? GOOGLE_ISSUER)
    .setAudience(claims.audience ?? 'https://worker.example/a')
    .setSubject('1234567890')
    .setIssuedAt(claims.issuedAt ?? now)
    .setExpirationTime(claims.expiresAt ?? now + 600)
    .sign(key);
}

/** A Cloud Tasks request carrying a real frame of `greet(name)`. */
async function taskRequest(name: string, authorization?: string) {
  const capture = createFrameCapture();
  const caller = createDispatcher({ signing, transport: capture });
  await caller.dispatch('greet', async (_name: string) => {})(name);
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'x-cloudtasks-taskname': `task-${name}`,
  };
  if (authorization !== undefined) headers.authorization = authorization;
  return { method: 'POST', headers, body: capture.lastFrame() };
}

async function post(server: TestServer, name: string, authorization?: string) {
  const response = await fetch(
    server.url,
    await taskRequest(name, authorization),
  );
  return {
    status: response.status,
    authenticate: response.headers.get('www-authenticate'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

const unauthenticated = (entry: Record<string, unknown>) =>
  entry.reason === 'unauthenticated';
const refusals = () => log.entries().filter(unauthenticated);
const emulatorRefusals = () => emulatorLog.entries().filter(unauthenticated);

describe('a receiver with oidc, fed by the Cloud Tasks emulator', () => {
  it("runs a task whose token the emulator signed for the receiver's audience and sender", async () => {
    const { greet, close } = callerFor(SENDER, 'https://worker.example/tasks');
    try {
      await greet('Ada');
      expect(await waitUntil(() => runs.length > 0, { timeoutMs: 10_000 }));
    } finally {
      await close();
    }
    expect(runs).toEqual(['Ada#1']);
    expect(emulatorRefusals()).toEqual([]);
  });

  it.each([
    [
      'another audience',
      SENDER,
      'https://elsewhere.example/',
      'Wrong recipient',
    ],
    ['another sender', STRANGER, 'https://worker.example/tasks', STRANGER],
  ])(
    'refuses a task whose token names %s, and runs nothing',
    async (_what, email, audience, problem) => {
      // The emulator keeps retrying the earlier case's refused task, so
      // look for this case's refusal among them.
      const ownRefusal = () =>
        emulatorRefusals().find((entry) =>
          JSON.stringify(entry.error).includes(problem),
        );
      const { greet, close } = callerFor(email, audience);
      try {
        await greet('Mallory');
        const refused = await waitUntil(() => ownRefusal() !== undefined, {
          timeoutMs: 10_000,
        });
        expect(refused).toBe(true);
      } finally {
        await close();
      }
      expect(runs).toEqual([]);
      expect(ownRefusal()).toMatchObject({
        severity: 'ERROR',
        security: true,
        source: 'cloudtasks',
        error: expect.objectContaining({
          code: 'BAD_SIGNATURE',
          message: expect.stringContaining(problem),
        }),
      });
    },
  );
});

describe('a receiver with oidc, answering requests directly', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a Basic Authorization header', 'Basic dXNlcjpwYXNz'],
    ['a Bearer value that is not a JWT', 'Bearer not-a-token'],
  ])('answers 401 to a request with %s', async (_what, authorization) => {
    const answer = await post(emulatorServer, 'Eve', authorization);

    expect(answer).toEqual({
      status: 401,
      authenticate: 'Bearer error="invalid_token"',
      body: { outcome: 'retry', reason: 'unauthenticated' },
    });
    expect(runs).toEqual([]);
  });

  it("answers 401 to a token signed by another key under the emulator key's id", async () => {
    const kid = Object.keys(emulator.publicKeyPems())[0] as string;
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ email: SENDER, email_verified: true })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(GOOGLE_ISSUER)
      .setAudience('https://worker.example/tasks')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(otherKey.privateKey);

    const answer = await post(emulatorServer, 'Eve', `Bearer ${forged}`);

    expect(answer.status).toBe(401);
    expect(runs).toEqual([]);
    const line = JSON.stringify(emulatorRefusals());
    expect(line).toContain('Invalid token signature');
    expect(line).not.toContain(forged);
  });

  it('runs a call whose token verifies against injected certificates', async () => {
    const token = await localToken({ audience: 'https://worker.example/b' });
    const answer = await post(localServer, 'Grace', `Bearer ${token}`);

    expect(answer.status).toBe(200);
    expect(runs).toEqual(['Grace#1']);
  });

  it.each([
    [
      'expired an hour ago',
      { expiresAt: Math.floor(Date.now() / 1000) - 3600 },
      'Token used too late',
    ],
    [
      'for another audience',
      { audience: 'https://worker.example/c' },
      'Wrong recipient',
    ],
    ['naming another sender', { email: STRANGER }, 'not an expected sender'],
    ['with an unverified email', { email_verified: false }, 'not verified'],
    [
      'from another issuer',
      { issuer: 'https://issuer.example' },
      'Invalid issuer',
    ],
  ])(
    'answers 401 to a token %s',
    async (_what, claims: TokenClaims, problem) => {
      const token = await localToken({
        ...claims,
        issuedAt: Math.floor((claims.expiresAt ?? Date.now() / 1000) - 600),
      });

      const answer = await post(localServer, 'Eve', `Bearer ${token}`);

      expect(answer.status).toBe(401);
      expect(runs).toEqual([]);
      expect(refusals()).toEqual([
        expect.objectContaining({
          error: expect.objectContaining({
            message: expect.stringContaining(problem),
          }),
        }),
      ]);
    },
  );

  it('answers 503 when the certificates cannot be fetched, so the task is retried', async () => {
    const token = await localToken({});
    const answer = await post(unreachableServer, 'Ada', `Bearer ${token}`);

    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      outcome: 'retry',
      reason: 'certs-unavailable',
    });
    expect(runs).toEqual([]);
  });
});
