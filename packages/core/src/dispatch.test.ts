import { describe, expect, test } from 'vitest';
import { createDispatcher } from './dispatcher.ts';
import { isDispatchError } from './errors.ts';
import { createInProcessTransport } from './in-process-transport.ts';
import type { Transport } from './transport.ts';

/** A transport that only counts what it is asked to do. */
function createCountingTransport(name: string) {
  const counts = { sent: 0, flushed: 0, closed: 0 };
  const transport: Transport = {
    name,
    async send(message) {
      counts.sent += 1;
      return {
        id: String(counts.sent),
        callId: message.callId,
        deduplicated: false,
      };
    },
    flush: async () => {
      counts.flushed += 1;
    },
    close: async () => {
      counts.closed += 1;
    },
  };
  return { transport, counts };
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('dispatch() registration', () => {
  test('takes the name from fn.name when none is given', () => {
    const { dispatch } = createDispatcher();
    async function sendWelcomeMail(_to: string) {}
    expect(dispatch(sendWelcomeMail).functionName).toBe('sendWelcomeMail');
    expect(dispatch('explicit', sendWelcomeMail).functionName).toBe('explicit');
  });

  test('refuses an anonymous function with ANONYMOUS_FUNCTION', () => {
    const { dispatch } = createDispatcher();
    // An arrow inside an array literal gets no inferred name.
    const [unnamed] = [(_n: number) => {}];
    const error = errorOf(() => dispatch(unnamed as (n: number) => void));
    expect(isDispatchError(error, 'ANONYMOUS_FUNCTION')).toBe(true);
  });

  test('refuses a name registered twice with DUPLICATE_FUNCTION', () => {
    const { dispatch } = createDispatcher();
    dispatch('resize', async (_id: string) => {});
    const error = errorOf(() => dispatch('resize', async () => {}));
    expect(isDispatchError(error, 'DUPLICATE_FUNCTION')).toBe(true);
    expect((error as Error).message).toContain('"resize"');
  });

  test('keeps registries of separate dispatchers apart', () => {
    const first = createDispatcher();
    const second = createDispatcher();
    first.dispatch('same', async () => {});
    expect(second.dispatch('same', async () => {}).functionName).toBe('same');
  });

  test('refuses names that are empty, padded or too long', () => {
    const { dispatch } = createDispatcher();
    expect(
      isDispatchError(
        errorOf(() => dispatch('', async () => {})),
        'ANONYMOUS_FUNCTION',
      ),
    ).toBe(true);
    for (const name of [' padded', 'x'.repeat(257)]) {
      const error = errorOf(() => dispatch(name, async () => {}));
      expect(isDispatchError(error, 'INVALID_OPTIONS')).toBe(true);
    }
  });

  test.each([
    [{ maxAttempts: 0 }, 'maxAttempts'],
    [{ maxAttempts: 1.5 }, 'maxAttempts'],
    [{ timeout: -1 }, 'timeout'],
    [{ timeout: Number.POSITIVE_INFINITY }, 'timeout'],
    [{ transport: {} }, 'transport'],
    [{ codec: { name: 'x' } }, 'codec'],
    [{ retries: 3 }, 'retries'],
  ])('refuses dispatch options %o naming %s', (options, option) => {
    const { dispatch } = createDispatcher();
    const error = errorOf(() =>
      dispatch('job', async () => {}, options as never),
    );
    expect(isDispatchError(error, 'INVALID_OPTIONS')).toBe(true);
    expect((error as Error).message).toContain(`"${option}"`);
    expect((error as Error).message).toContain('job');
  });

  test('runLocally runs the body here and returns its result', async () => {
    const { dispatch } = createDispatcher();
    const add = dispatch('add', async (a: number, b: number) => a + b);
    await expect(add.runLocally(2, 3)).resolves.toBe(5);
  });

  test('one in-process transport cannot serve two dispatchers', () => {
    const transport = createInProcessTransport();
    createDispatcher({ transport });
    const error = errorOf(() => createDispatcher({ transport }));
    expect(isDispatchError(error, 'INVALID_OPTIONS')).toBe(true);
  });

  test('a refused configure keeps the previous transport', async () => {
    const taken = createInProcessTransport();
    createDispatcher({ transport: taken });
    const own = createInProcessTransport();
    const dispatcher = createDispatcher({ transport: own });
    const ping = dispatcher.dispatch('ping', () => {});

    const error = errorOf(() => dispatcher.configure({ transport: taken }));
    await ping();

    expect(isDispatchError(error, 'INVALID_OPTIONS')).toBe(true);
    expect((await own.drain()).completed).toBe(1);
    await dispatcher.close();
  });
});

describe('dispatcher lifecycle', () => {
  test('dispatcher.configure names itself in the errors it throws', async () => {
    const dispatcher = createDispatcher();

    const invalid = errorOf(() => dispatcher.configure({ maxAttempts: 0 }));
    await dispatcher.close();
    const closed = errorOf(() => dispatcher.configure({}));

    expect(invalid).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect((invalid as Error).message).toMatch(
      /^dispatcher\.configure: option "maxAttempts"/,
    );
    expect(closed).toMatchObject({ code: 'CLOSED' });
    expect((closed as Error).message).toMatch(/^dispatcher\.configure: /);
  });

  test('flush and close reach the default and per-function transports', async () => {
    const main = createCountingTransport('main');
    const side = createCountingTransport('side');
    const signing = { keys: [{ id: 'k', secret: new Uint8Array(32).fill(7) }] };
    const dispatcher = createDispatcher({ transport: main.transport, signing });
    const routed = dispatcher.dispatch('routed', (_n: number) => {}, {
      transport: side.transport,
    });

    await routed(1);
    await dispatcher.flush();
    await dispatcher.close();

    expect(side.counts).toEqual({ sent: 1, flushed: 1, closed: 1 });
    expect(main.counts).toEqual({ sent: 0, flushed: 1, closed: 1 });
    await expect(routed(2)).rejects.toMatchObject({ code: 'CLOSED' });
    expect(side.counts.sent).toBe(1);
  });
});

describe('.with() call options', () => {
  const { dispatch } = createDispatcher();
  const resize = dispatch('resize', async (_id: string) => {});

  test.each([
    [{ delay: 10, at: new Date() }, 'delay'],
    [{ delay: -1 }, 'delay'],
    [{ delay: Number.NaN }, 'delay'],
    [{ at: new Date(Number.NaN) }, 'at'],
    [{ at: '2030-01-01' }, 'at'],
    [{ expiresIn: Number.POSITIVE_INFINITY }, 'expiresIn'],
    [{ dedupeKey: '' }, 'dedupeKey'],
    [{ orderingKey: 7 }, 'orderingKey'],
    [{ metadata: { user: 42 } }, 'metadata["user"]'],
    [{ metadata: ['a'] }, 'metadata'],
    [
      { metadata: { 'dispatch.function': 'x' } },
      'metadata["dispatch.function"]',
    ],
    [{ priority: 1 }, 'priority'],
  ])('refuses %o naming %s and the function', (options, option) => {
    const error = errorOf(() => resize.with(options as never));
    expect(isDispatchError(error, 'INVALID_OPTIONS')).toBe(true);
    expect((error as Error).message).toContain(`"${option}"`);
    expect((error as Error).message).toContain('resize');
  });

  test('accepts valid options and keeps the function name', () => {
    const later = resize.with({
      delay: 0,
      expiresIn: 1000,
      dedupeKey: 'd',
      orderingKey: 'o',
      metadata: { tenant: 'acme' },
    });
    expect(later.functionName).toBe('resize');
    expect(later.with({ at: new Date() }).functionName).toBe('resize');
  });
});
