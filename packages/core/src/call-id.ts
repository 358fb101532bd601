import { v7 as uuidv7 } from 'uuid';

/**
 * A new time-ordered call id (UUIDv7). The `uuid` package keeps ids made
 * within one millisecond in order, so they sort as they were made within
 * a process.
 */
export function createCallId(): string {
  return uuidv7();
}
