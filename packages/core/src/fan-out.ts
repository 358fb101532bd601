import { DispatchError } from './errors.ts';
import { invalidOption, isIntegerAtLeast } from './validate.ts';

/** Options of `.fanOut()`. */
export interface FanOutOptions {
  /** Calls in flight at once, and items pulled ahead. Default 16. */
  concurrency?: number;
  /** Failures kept in `errors`; the rest are only counted. Default 100. */
  maxErrors?: number;
}

/** One failed item of a fan-out. */
export interface FanOutError {
  /** Position of the argument tuple in the source, from 0. */
  readonly index: number;
  readonly error: unknown;
}

/** What `.fanOut()` resolves to; it never rejects half way. */
export interface FanOutSummary {
  /** Calls the transport accepted. */
  readonly dispatched: number;
  /** Calls that failed, including those not kept in `errors`. */
  readonly failed: number;
  /** The first `maxErrors` failures, in the order they happened. */
  readonly errors: readonly FanOutError[];
}

/** A sync or async source of argument tuples. */
export type ArgumentSource<Args> = Iterable<Args> | AsyncIterable<Args>;

const DEFAULT_CONCURRENCY = 16;
const DEFAULT_MAX_ERRORS = 100;

/**
 * Pulls argument tuples one at a time and sends each with `send`, keeping
 * at most `concurrency` sends in flight. The source is never read ahead
 * of free capacity, so memory stays bounded by `concurrency`.
 */
export async function fanOut<Args>(
  source: ArgumentSource<Args>,
  send: (args: Args) => Promise<unknown>,
  options: FanOutOptions,
  functionName: string,
): Promise<FanOutSummary> {
  const { concurrency, maxErrors } = validateFanOutOptions(
    options,
    functionName,
  );
  const next = openPuller(source, functionName);
  const errors: FanOutError[] = [];
  let dispatched = 0;
  let failed = 0;

  const fail = (index: number, error: unknown): void => {
    failed += 1;
    if (errors.length < maxErrors) errors.push({ index, error });
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const pulled = next();
      const item = pulled instanceof Promise ? await pulled : pulled;
      if (item.kind === 'done') return;
      if (item.kind === 'error') return fail(item.index, item.error);
      try {
        await send(item.value);
        dispatched += 1;
      } catch (error) {
        fail(item.index, error);
      }
    }
  };

  await Promise.all(Array.from({ length: concurrency }, worker));
  return { dispatched, failed, errors };
}

type Pulled<Args> =
  | { kind: 'value'; value: Args; index: number }
  | { kind: 'error'; error: unknown; index: number }
  | { kind: 'done' };

type Puller<Args> = () => Pulled<Args> | Promise<Pulled<Args>>;

/**
 * Pulls a sync iterator at once, with no promise per item. Serialises
 * pulls of an async one: async iterators need not support overlapping
 * `next()` calls. Once the source ends or throws, every later pull is
 * `done`.
 */
function createPuller<Args>(
  iterator: Iterator<Args> | AsyncIterator<Args>,
  isAsync: boolean,
): Puller<Args> {
  let finished = false;
  let index = 0;
  const settle = (result: IteratorResult<Args>): Pulled<Args> => {
    if (result.done) {
      finished = true;
      return DONE;
    }
    return { kind: 'value', value: result.value, index: index++ };
  };
  const fail = (error: unknown): Pulled<Args> => {
    finished = true;
    return { kind: 'error', error, index };
  };

  if (!isAsync) {
    return () => {
      if (finished) return DONE;
      try {
        return settle((iterator as Iterator<Args>).next());
      } catch (error) {
        return fail(error);
      }
    };
  }

  let queue: Promise<unknown> = Promise.resolve();
  const pullOne = async (): Promise<Pulled<Args>> => {
    if (finished) return DONE;
    try {
      return settle(await iterator.next());
    } catch (error) {
      return fail(error);
    }
  };
  return () => {
    const pulled = queue.then(pullOne);
    queue = pulled;
    return pulled;
  };
}

const DONE = { kind: 'done' } as const;

function openPuller<Args>(
  source: ArgumentSource<Args>,
  functionName: string,
): Puller<Args> {
  if (source !== null && typeof source === 'object') {
    if (Symbol.asyncIterator in source) {
      return createPuller(source[Symbol.asyncIterator](), true);
    }
    if (Symbol.iterator in source) {
      return createPuller(source[Symbol.iterator](), false);
    }
  }
  throw new DispatchError(
    'INVALID_OPTIONS',
    `${functionName}.fanOut(): the source must be an iterable or ` +
      'async iterable of argument arrays',
    { functionName },
  );
}

function validateFanOutOptions(
  options: FanOutOptions,
  functionName: string,
): Required<FanOutOptions> {
  const target = `${functionName}.fanOut()`;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  if (!isIntegerAtLeast(concurrency, 1)) {
    invalidOption('concurrency', target, 'an integer >= 1', functionName);
  }
  if (!isIntegerAtLeast(maxErrors, 0)) {
    invalidOption('maxErrors', target, 'an integer >= 0', functionName);
  }
  return { concurrency, maxErrors };
}
