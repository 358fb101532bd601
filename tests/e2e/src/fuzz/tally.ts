import type { Answer, FuzzInput } from './fuzz-input.ts';
import type { Received } from './send.ts';

/** One input answered otherwise than expected. */
export interface Mismatch {
  readonly category: string;
  readonly expected: readonly Answer[];
  readonly received: Received;
  /** The first 200 bytes of the body, base64. */
  readonly body: string;
}

/** What the fuzz run saw, input by input. */
export interface Tally {
  /** Answers by input kind: `{ "garbage push body": { "200 malformed": n } }`. */
  readonly answers: Record<string, Record<string, number>>;
  /** The first 20 inputs answered off the table. */
  readonly mismatches: Mismatch[];
  readonly counts: { sent: number; crashes: number };
  record(input: FuzzInput, received: Received): void;
}

const KEPT_MISMATCHES = 20;

/** Creates an empty {@link Tally}. */
export function createTally(): Tally {
  const answers: Record<string, Record<string, number>> = {};
  const mismatches: Mismatch[] = [];
  const counts = { sent: 0, crashes: 0 };

  const record = (input: FuzzInput, received: Received) => {
    counts.sent += 1;
    if (received.crashed) counts.crashes += 1;
    const answer = `${received.status} ${received.reason ?? '(not JSON)'}`;
    const byAnswer = answers[input.category] ?? {};
    byAnswer[answer] = (byAnswer[answer] ?? 0) + 1;
    answers[input.category] = byAnswer;

    if (accepts(input.expected, received)) return;
    if (mismatches.length >= KEPT_MISMATCHES) return;
    mismatches.push({
      category: input.category,
      expected: input.expected,
      received,
      body: Buffer.from(input.body.subarray(0, 200)).toString('base64'),
    });
  };
  return { answers, mismatches, counts, record };
}

function accepts(expected: readonly Answer[], received: Received): boolean {
  return expected.some(
    ([status, reason]) =>
      status === received.status &&
      (reason === undefined || reason === received.reason),
  );
}
