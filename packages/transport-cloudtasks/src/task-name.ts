import { createHash } from 'node:crypto';

/**
 * The task name a dedupe key maps to: a SHA-256 of the function name and
 * the key, in hex (valid task-id characters), under the queue. Scoping by
 * function lets two functions use the same business key.
 */
export function dedupeTaskName(
  queue: string,
  functionName: string,
  dedupeKey: string,
): string {
  // JSON keeps the pair unambiguous whatever characters either holds.
  const hash = createHash('sha256')
    .update(JSON.stringify([functionName, dedupeKey]))
    .digest('hex');
  return `${queue}/tasks/${hash}`;
}
