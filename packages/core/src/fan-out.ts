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
  const next = createPuller(openIterator(source, functionName));
  const errors: FanOutError[] = [];
  let dispatched = 0;
  let failed = 0;

  const fail = (index: number, error: unknown): void => {
    failed += 1;
    if (errors.length < maxErrors) errors.push({ index, error });
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const item = await next();
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

/**
 * Serialises pulls: async iterators need not support overlapping `next()`
 * calls. Once the source ends or throws, every later pull is `done`.
 */
function createPuller<Args>(
  iterator: Iterator<Args> | AsyncIterator<Args>,
): () => Promise<Pulled<Args>> {
  let finished = false;
  let index = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const pullOne = async (): Promise<Pulled<Args>> => {
    if (finished) return { kind: 'done' };
    try {
      const result = await iterator.next();
      if (result.done) {
        finished = true;
        return { kind: 'done' };
      }
      return { kind: 'value', value: result.value, index: index++ };
    } catch (error) {
      finished = true;
      return { kind: 'error', error, index };
    }
  };

  return () => {
    const pulled = queue.then(pullOne);
    queue = pulled;
    return pulled;
  };
}

function openIterator<Args>(
  source: ArgumentSource<Args>,
  functionName: string,
): Iterator<Args> | AsyncIterator<Args> {
  if (source !== null && typeof source === 'object') {
    if (Symbol.asyncIterator in source) {
      return source[Symbol.asyncIterator]();
    }
    if (Symbol.iterator in source) return source[Symbol.iterator]();
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
