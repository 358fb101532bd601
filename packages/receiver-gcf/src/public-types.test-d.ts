// Checked by `tsc -p .`: the public types fit functions-framework and core.
import {
  createDispatcher,
  type Dispatcher,
  silentLogger,
} from '@cloud-functions-dispatch/core';
import type {
  CloudEventFunction,
  cloudEvent,
  HttpFunction,
  http,
} from '@google-cloud/functions-framework';
import { expectTypeOf, test } from 'vitest';
import {
  createCloudEventHandler,
  createHttpHandler,
  createJsonLogger,
  type Executor,
  type RegisteredTargets,
  registerHandlers,
} from './index.ts';

test('handlers register with functions-framework as they are', () => {
  expectTypeOf(createHttpHandler()).toEqualTypeOf<HttpFunction>();
  expectTypeOf(createCloudEventHandler()).toEqualTypeOf<
    CloudEventFunction<unknown>
  >();
  expectTypeOf<HttpFunction>().toMatchTypeOf<Parameters<typeof http>[1]>();
  expectTypeOf<CloudEventFunction<unknown>>().toMatchTypeOf<
    Parameters<typeof cloudEvent<unknown>>[1]
  >();
});

test('any core dispatcher can run the frames', () => {
  expectTypeOf<Dispatcher>().toMatchTypeOf<Executor>();
  createHttpHandler({ dispatcher: createDispatcher(), logger: silentLogger });
});

test('registerHandlers takes target names or false', () => {
  expectTypeOf(registerHandlers).returns.toEqualTypeOf<RegisteredTargets>();
  expectTypeOf(registerHandlers)
    .parameter(0)
    .toMatchTypeOf<{ httpTarget?: string | false } | undefined>();
  // @ts-expect-error a target is a name or false, never true
  registerHandlers({ httpTarget: true });
  // @ts-expect-error the JSON logger levels are debug, info, warn, error
  createJsonLogger({ level: 'warning' });
});
