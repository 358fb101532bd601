import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import type { Environment } from './env-config.ts';
import { transportKindFromEnv } from './env-config.ts';
import type { Transport } from './transport.ts';

const run = promisify(execFile);
const secret = randomBytes(32).toString('base64');
const coreEntry = pathToFileURL(join(import.meta.dirname, 'index.ts')).href;

// A transport package as an application would install it next to core.
const FAKE_PUBSUB_PACKAGE = {
  'package.json': JSON.stringify({
    name: '@cloud-functions-dispatch/transport-pubsub',
    type: 'module',
    exports: './index.js',
  }),
  'index.js': `
export function createTransportFromEnv(env) {
  return {
    name: 'pubsub:' + env.DISPATCH_PUBSUB_TOPIC,
    async send(message) {
      process.stdout.write(JSON.stringify({
        topic: env.DISPATCH_PUBSUB_TOPIC,
        project: env.GOOGLE_CLOUD_PROJECT,
        functionName: message.functionName,
        frameBytes: message.frame.byteLength,
      }) + '\\n');
      return { id: 'message-1', callId: message.callId, deduplicated: false };
    },
    flush: async () => {},
    close: async () => {},
  };
}
`,
};

// Makes every transport package unresolvable, as in an application that
// installed none (in this workspace, core itself can see them).
const HIDE_TRANSPORTS = `
import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    if (specifier.startsWith('@cloud-functions-dispatch/transport-')) {
      const error = new Error("Cannot find package '" + specifier + "'");
      error.code = 'ERR_MODULE_NOT_FOUND';
      throw error;
    }
    return next(specifier, context);
  },
});
`;

const CALLER_SCRIPT = `
import { dispatch, closeDispatch } from ${JSON.stringify(coreEntry)};
const hello = dispatch('hello', async (n) => {});
try {
  const receipt = await hello(42);
  console.log(JSON.stringify({ receipt: receipt.id }));
} catch (error) {
  console.log(JSON.stringify({ code: error.code, message: error.message }));
}
await closeDispatch();
`;

let open: Dispatcher[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(open.map((dispatcher) => dispatcher.close()));
  open = [];
});

afterAll(async () => {
  await Promise.all(
    folders.map((folder) => rm(folder, { recursive: true, force: true })),
  );
});

function dispatcherFrom(env: Environment, transport?: Transport): Dispatcher {
  const dispatcher = createDispatcher(
    transport === undefined ? { env } : { env, transport },
  );
  open.push(dispatcher);
  return dispatcher;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Runs the caller script in a fresh folder, with or without the package. */
async function runCaller(withPackage: boolean): Promise<string[]> {
  const folder = await mkdtemp(join(tmpdir(), 'dispatch-env-'));
  folders.push(folder);
  if (withPackage) {
    const dir = join(
      folder,
      'node_modules/@cloud-functions-dispatch/transport-pubsub',
    );
    await mkdir(dir, { recursive: true });
    for (const [file, text] of Object.entries(FAKE_PUBSUB_PACKAGE)) {
      await writeFile(join(dir, file), text);
    }
  }
  await writeFile(join(folder, 'main.mjs'), CALLER_SCRIPT);
  await writeFile(join(folder, 'hide.mjs'), HIDE_TRANSPORTS);

  const hide = withPackage ? [] : ['--import', './hide.mjs'];
  const { stdout } = await run(process.execPath, [...hide, 'main.mjs'], {
    cwd: folder,
    timeout: 20_000,
    env: {
      PATH: process.env.PATH,
      METADATA_SERVER_DETECTION: 'none',
      DISPATCH_TRANSPORT: 'pubsub',
      DISPATCH_PUBSUB_TOPIC: 'calls',
      GOOGLE_CLOUD_PROJECT: 'demo-project',
      DISPATCH_SIGNING_KEYS: `k1=${secret}`,
    },
  });
  return stdout.trim().split('\n');
}

describe('configuration from the environment', () => {
  test('a call with no transport configured rejects with NO_TRANSPORT', async () => {
    const hello = dispatcherFrom({}).dispatch('hello', async () => {});
    const error = await hello().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'NO_TRANSPORT',
      functionName: 'hello',
    });
    expect((error as Error).message).toMatch(/hello.*DISPATCH_TRANSPORT/s);
  });

  test('DISPATCH_TRANSPORT=in-process runs calls here with a random key', async () => {
    const dispatcher = dispatcherFrom({ DISPATCH_TRANSPORT: 'in-process' });
    const { promise, resolve } = deferred<Date>();
    const stamp = dispatcher.dispatch('stamp', (at: Date) => resolve(at));

    await stamp(new Date(0));

    expect(await promise).toEqual(new Date(0));
  });

  test('DISPATCH_SIGNING_KEYS signs and verifies in-process calls', async () => {
    const dispatcher = dispatcherFrom({
      DISPATCH_TRANSPORT: 'in-process',
      DISPATCH_SIGNING_KEYS: `k2=${secret}`,
    });
    const { promise, resolve } = deferred<string>();
    const echo = dispatcher.dispatch('echo', (text: string) => resolve(text));

    await echo('signed');

    expect(await promise).toBe('signed');
  });

  test('an unknown DISPATCH_TRANSPORT rejects with INVALID_OPTIONS', async () => {
    const call = dispatcherFrom({ DISPATCH_TRANSPORT: 'kafka' }).dispatch(
      'call',
      async () => {},
    );
    await expect(call()).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      functionName: 'call',
    });
  });

  test('a transport that leaves the process needs a key: NO_SIGNING_KEY', async () => {
    const outside: Transport = {
      name: 'outside',
      send: async (message) => ({
        id: '1',
        callId: message.callId,
        deduplicated: false,
      }),
      flush: async () => {},
      close: async () => {},
    };
    const call = dispatcherFrom({}, outside).dispatch('call', async () => {});
    await expect(call()).rejects.toMatchObject({
      code: 'NO_SIGNING_KEY',
      functionName: 'call',
    });
  });

  test('infers the transport from the only destination variable set', () => {
    expect(transportKindFromEnv({ DISPATCH_PUBSUB_TOPIC: 't' })).toBe('pubsub');
    expect(transportKindFromEnv({ DISPATCH_CLOUDTASKS_QUEUE: 'q' })).toBe(
      'cloudtasks',
    );
    expect(
      transportKindFromEnv({
        DISPATCH_TRANSPORT: 'cloudtasks',
        DISPATCH_PUBSUB_TOPIC: 't',
        DISPATCH_CLOUDTASKS_QUEUE: 'q',
      }),
    ).toBe('cloudtasks');
    expect(transportKindFromEnv({})).toBeUndefined();
  });

  test('both destination variables without DISPATCH_TRANSPORT reject as ambiguous', async () => {
    const hello = dispatcherFrom({
      DISPATCH_PUBSUB_TOPIC: 't',
      DISPATCH_CLOUDTASKS_QUEUE: 'q',
    }).dispatch('hello', async () => {});

    const error = await hello().catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      code: 'INVALID_OPTIONS',
      functionName: 'hello',
    });
    const { message } = error as Error;
    expect(message).toMatch(/hello.*ambiguous/);
    expect(message).toContain('DISPATCH_PUBSUB_TOPIC');
    expect(message).toContain('DISPATCH_CLOUDTASKS_QUEUE');
    expect(message).toMatch(/DISPATCH_TRANSPORT.*choose/);
    expect(message).not.toContain('no transport is configured');
  });

  test('the default dispatcher loads the transport package named by the environment', async () => {
    const lines = await runCaller(true);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        topic: 'calls',
        project: 'demo-project',
        functionName: 'hello',
        frameBytes: expect.any(Number),
      },
      { receipt: 'message-1' },
    ]);
  });

  test('a missing transport package is a NO_TRANSPORT error naming it', async () => {
    const [line] = await runCaller(false);
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      code: 'NO_TRANSPORT',
      message: expect.stringMatching(
        /@cloud-functions-dispatch\/transport-pubsub, which is not installed/,
      ),
    });
  });
});
