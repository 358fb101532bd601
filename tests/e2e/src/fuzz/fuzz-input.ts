/** One status and reason the receiver may answer an input with. */
export type Answer = readonly [status: number, reason?: string];

/** One request the fuzz test sends, with the answers it accepts. */
export interface FuzzInput {
  /** Which generator made it, for the figures and failure messages. */
  readonly category: string;
  /** Default POST. */
  readonly method?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** Accepted answers; a reason of `undefined` accepts any body. */
  readonly expected: readonly Answer[];
}

/** The answers to a frame that must be refused without running. */
export const REFUSED: readonly Answer[] = [
  [200, 'malformed'],
  [200, 'bad-signature'],
];

/** functions-framework's body parser refusing a body it cannot parse. */
export const PARSER_REFUSED: Answer = [400];

/** What Cloud Tasks sends with an HTTP task (first attempt). */
export const TASK_HEADERS = {
  'content-type': 'application/octet-stream',
  'x-cloudtasks-queuename': 'fuzz',
  'x-cloudtasks-taskname': 'fuzz-task',
  'x-cloudtasks-taskretrycount': '0',
} as const;

/** A Pub/Sub push body around `data` (base64), as JSON bytes. */
export function pushBody(data: string, extra: object = {}): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      message: {
        data,
        messageId: 'fuzz-1',
        publishTime: '2024-06-01T12:00:00.000Z',
      },
      subscription: 'projects/fuzz/subscriptions/push',
      ...extra,
    }),
  );
}

/** The push-body form of a raw frame. */
export function asPush(frame: Uint8Array): {
  headers: Record<string, string>;
  body: Uint8Array;
} {
  return {
    headers: { 'content-type': 'application/json' },
    body: pushBody(Buffer.from(frame).toString('base64')),
  };
}
