import { randomBytes } from 'node:crypto';

const PREFIX_PATTERN = /^[a-z][a-z0-9-]{1,13}$/;

let counter = 0;

/**
 * Returns a name unique to this run, such as `orders-mbx2k1z0-1a3f0`, valid
 * as a Pub/Sub topic or subscription id and as a project id (lowercase,
 * starts with a letter, at most 30 characters).
 *
 * @param prefix 2 to 14 characters: lowercase letters, digits and `-`,
 *   starting with a letter.
 */
export function uniqueName(prefix: string): string {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(
      `uniqueName: prefix ${JSON.stringify(prefix)} must match ${PREFIX_PATTERN}`,
    );
  }

  counter += 1;
  const time = Date.now().toString(36);
  const random = randomBytes(2).toString('hex');
  return `${prefix}-${time}-${counter.toString(36)}${random}`;
}
