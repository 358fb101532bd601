import { describe, expectTypeOf, test } from 'vitest';
import { createDispatcher } from './dispatcher.ts';
import type { DispatchReceipt } from './transport.ts';

const { dispatch } = createDispatcher();

interface User {
  id: string;
  tags: readonly string[];
  joined: Date;
  nickname?: string;
  settings: Map<string, Set<number>>;
  avatar: Buffer;
}

interface Tree {
  value: bigint;
  children: Tree[];
}

class Account {
  balance = 0;
  deposit(amount: number): void {
    this.balance += amount;
  }
}

describe('dispatch() parameter types', () => {
  test('a dispatched function keeps its parameter types', () => {
    const update = dispatch(
      'update',
      async (_user: User, _at: Date, _tree?: Tree) => {},
    );
    expectTypeOf(update).parameters.toEqualTypeOf<
      [user: User, at: Date, tree?: Tree]
    >();
    expectTypeOf(update).returns.toEqualTypeOf<Promise<DispatchReceipt>>();
    expectTypeOf(update.with({ delay: 5 })).toEqualTypeOf(update);
  });

  test('every encodable kind of value is accepted', () => {
    const all = dispatch(
      'all',
      (
        _a: string | number | boolean | null | undefined,
        _b: bigint,
        _c: Uint8Array | Float64Array | BigInt64Array | ArrayBuffer,
        _d: ReadonlyMap<string, readonly [number, Date]>,
        _e: ReadonlySet<bigint>,
        _f: { nested: { list: Array<{ when: Date | null }> } },
        _g: unknown,
      ) => {},
    );
    expectTypeOf(all).parameter(1).toEqualTypeOf<bigint>();
  });

  test('runLocally returns what the body returns', () => {
    const add = dispatch('add', async (a: number, b: number) => a + b);
    expectTypeOf(add.runLocally).returns.toEqualTypeOf<Promise<number>>();
  });

  test('fanOut takes tuples of the parameters', () => {
    const send = dispatch('send', (_to: string, _n: number) => {});
    const tuples: Array<readonly [string, number]> = [['a', 1]];
    expectTypeOf(send.fanOut(tuples)).resolves.toHaveProperty('failed');
    // @ts-expect-error: wrong element types
    void send.fanOut([[1, 'a']]);
  });

  test('a function-valued parameter is a compile error', () => {
    // @ts-expect-error: functions cannot be encoded
    dispatch('callback', (_done: () => void) => {});
    // @ts-expect-error: nested functions cannot be encoded either
    dispatch('nested', (_options: { onDone: (n: number) => void }) => {});
  });

  test('symbols, promises and class instances with methods are errors', () => {
    // @ts-expect-error: symbols cannot be encoded
    dispatch('symbol', (_s: symbol) => {});
    // @ts-expect-error: promises cannot be encoded
    dispatch('promise', (_p: Promise<string>) => {});
    // @ts-expect-error: a class with methods cannot be encoded
    dispatch('account', (_a: Account) => {});
    // @ts-expect-error: a WeakMap cannot be encoded
    dispatch('weak', (_w: WeakMap<object, string>) => {});
  });

  test('maps and sets of unknown or object members are accepted', () => {
    const collections = dispatch(
      'collections',
      (
        _a: Map<unknown, string>,
        _b: Set<unknown>,
        _c: Set<object>,
        _d: Map<object, unknown>,
        _e: ReadonlyMap<unknown, unknown>,
        _f: { nested: Map<unknown, Set<unknown>> },
      ) => {},
    );
    expectTypeOf(collections).parameter(1).toEqualTypeOf<Set<unknown>>();
  });

  test('weak collections and references stay errors', () => {
    // @ts-expect-error: a WeakMap cannot be encoded
    dispatch('weakMap', (_w: WeakMap<object, unknown>) => {});
    // @ts-expect-error: a WeakSet cannot be encoded
    dispatch('weakSet', (_w: WeakSet<object>) => {});
    // @ts-expect-error: a WeakRef cannot be encoded
    dispatch('weakRef', (_w: WeakRef<object>) => {});
    // @ts-expect-error: nor can one nested in an object
    dispatch('nestedWeak', (_o: { seen: WeakSet<object> }) => {});
    // @ts-expect-error: nor a Map whose values cannot be encoded
    dispatch('mapOfWeak', (_m: Map<unknown, WeakSet<object>>) => {});
  });

  test('the unnamed form checks parameters too', () => {
    async function notify(_userId: string) {}
    expectTypeOf(dispatch(notify)).parameters.toEqualTypeOf<
      [_userId: string]
    >();
    // @ts-expect-error: functions cannot be encoded
    dispatch(function withCallback(_cb: () => void) {});
  });
});
