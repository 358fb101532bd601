import { isDispatchError } from '@cloud-functions-dispatch/core';
import { describe, expect, it } from 'vitest';
import { createTransportFromEnv } from './from-env.ts';

const QUEUE = 'projects/p/locations/l/queues/q';

function failure(env: Record<string, string>): unknown {
  try {
    createTransportFromEnv(env);
  } catch (error) {
    return error;
  }
  throw new Error('createTransportFromEnv did not throw');
}

describe('createTransportFromEnv', () => {
  it('builds a transport for the queue the environment names', async () => {
    const transport = createTransportFromEnv({
      DISPATCH_CLOUDTASKS_QUEUE: QUEUE,
      DISPATCH_TARGET_URL: 'https://worker.example/dispatch',
      DISPATCH_CLOUDTASKS_SERVICE_ACCOUNT: 'a@p.iam.gserviceaccount.com',
    });
    await transport.close();

    expect(transport.queue).toBe(QUEUE);
  });

  it('reads the emulator address from the same environment', () => {
    const error = failure({
      DISPATCH_CLOUDTASKS_QUEUE: QUEUE,
      DISPATCH_TARGET_URL: 'https://worker.example/dispatch',
      CLOUD_TASKS_EMULATOR_HOST: 'no-port',
    });

    expect((error as Error).message).toContain('"no-port"');
  });

  it('names every missing variable', () => {
    const error = failure({});

    expect(isDispatchError(error, 'NO_TRANSPORT')).toBe(true);
    expect((error as Error).message).toContain(
      'DISPATCH_CLOUDTASKS_QUEUE and DISPATCH_TARGET_URL',
    );
  });

  it('refuses a queue that is not a full path', () => {
    const error = failure({
      DISPATCH_CLOUDTASKS_QUEUE: 'dispatch',
      DISPATCH_TARGET_URL: 'https://worker.example/dispatch',
    });

    expect(isDispatchError(error, 'INVALID_OPTIONS')).toBe(true);
  });
});
