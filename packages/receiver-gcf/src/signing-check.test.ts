import {
  createDispatcher,
  isDispatchError,
  type Logger,
} from '@cloud-functions-dispatch/core';
import { http } from '@google-cloud/functions-framework';
import { describe, expect, it } from 'vitest';
import { createCloudEventHandler } from './cloud-event-handler.ts';
import { createHttpHandler } from './http-handler.ts';
import type { ReceiverOptions } from './receiver-options.ts';
import { registerHandlers } from './register-handlers.ts';
import {
  captureJsonLog,
  createFrameCapture,
  startTestServer,
  TEST_KEYS,
} from './test-support.ts';

const KEYS_TEXT = `k1=${Buffer.from(TEST_KEYS[0]?.secret ?? []).toString('base64')}`;

/** What creating a receiver threw, or `undefined`. */
function thrownBy(create: () => unknown): unknown {
  try {
    create();
    return undefined;
  } catch (error) {
    return error;
  }
}

const quiet = (): Logger => captureJsonLog().logger;

describe('a receiver without signing keys', () => {
  it.each([
    [
      'createHttpHandler',
      () => createHttpHandler({ env: {}, logger: quiet() }),
    ],
    [
      'createCloudEventHandler',
      () => createCloudEventHandler({ env: {}, logger: quiet() }),
    ],
    [
      'registerHandlers',
      () =>
        registerHandlers({
          env: {},
          logger: quiet(),
          httpTarget: 'noKeysHttp',
          cloudEventTarget: 'noKeysEvent',
          shutdown: false,
        }),
    ],
  ])(
    '%s refuses to start with NO_SIGNING_KEY naming DISPATCH_SIGNING_KEYS',
    (_name, create) => {
      const error = thrownBy(create);

      expect(isDispatchError(error, 'NO_SIGNING_KEY')).toBe(true);
      expect((error as Error).message).toContain('DISPATCH_SIGNING_KEYS');
      expect((error as Error).message).toContain('DISPATCH_DEVELOPMENT=1');
    },
  );

  it('refuses a DISPATCH_SIGNING_KEYS it cannot parse, without echoing it', () => {
    const text = 'k1=c2hvcnQ=';
    const error = thrownBy(() =>
      createHttpHandler({
        env: { DISPATCH_SIGNING_KEYS: text },
        logger: quiet(),
      }),
    );

    expect(isDispatchError(error, 'INVALID_OPTIONS')).toBe(true);
    expect((error as Error).message).toContain('DISPATCH_SIGNING_KEYS');
    expect((error as Error).message).not.toContain('c2hvcnQ');
  });

  it('starts with keys from DISPATCH_SIGNING_KEYS or given in code', () => {
    const env = { DISPATCH_SIGNING_KEYS: KEYS_TEXT };
    expect(() => createHttpHandler({ env, logger: quiet() })).not.toThrow();
    expect(() =>
      createHttpHandler({
        env: {},
        signing: { keys: TEST_KEYS },
        logger: quiet(),
      }),
    ).not.toThrow();
  });

  it('lets allowMissingKeys: false win over DISPATCH_DEVELOPMENT=1', () => {
    const error = thrownBy(() =>
      createHttpHandler({
        env: { DISPATCH_DEVELOPMENT: '1' },
        allowMissingKeys: false,
        logger: quiet(),
      }),
    );
    expect(isDispatchError(error, 'NO_SIGNING_KEY')).toBe(true);
  });
});

describe('a development run without signing keys', () => {
  it.each<[string, ReceiverOptions]>([
    ['DISPATCH_DEVELOPMENT=1', { env: { DISPATCH_DEVELOPMENT: '1' } }],
    ['allowMissingKeys: true', { env: {}, allowMissingKeys: true }],
  ])(
    '(%s) starts, warns once, and answers frames 500 no-signing-key as core does',
    async (_how, options) => {
      const log = captureJsonLog();
      const worker = createDispatcher({});
      worker.dispatch('greet', async (_name: string) => {});
      const target = `devRun${options.allowMissingKeys ? 'Option' : 'Env'}`;
      http(
        target,
        createHttpHandler({
          ...options,
          dispatcher: worker,
          logger: log.logger,
        }),
      );
      const server = await startTestServer(target);

      const capture = createFrameCapture();
      const caller = createDispatcher({
        transport: capture,
        signing: { keys: TEST_KEYS },
      });
      const greet = caller.dispatch('greet', async (_name: string) => {});
      const answers: unknown[] = [];
      try {
        for (const name of ['Ada', 'Grace']) {
          await greet(name);
          const response = await fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/octet-stream' },
            body: capture.lastFrame(),
          });
          const body = (await response.json()) as { reason: string };
          answers.push([response.status, body.reason]);
        }
      } finally {
        await server.stop();
      }

      expect(answers).toEqual([
        [500, 'no-signing-key'],
        [500, 'no-signing-key'],
      ]);
      const warnings = log
        .entries()
        .filter((entry) => String(entry.message).includes('development run'));
      expect(warnings).toEqual([
        expect.objectContaining({
          severity: 'WARNING',
          reason: 'no-signing-key',
        }),
      ]);
    },
  );
});
