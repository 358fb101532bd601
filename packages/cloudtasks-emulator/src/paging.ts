import { invalidArgument } from './rpc-error.ts';

/** One page of a list and the token for the next (empty on the last). */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/**
 * Pages through `items`, sorted by `nameOf`. The token is the last name
 * returned, so paging stays correct while items come and go. A page size
 * of 0 means the maximum.
 */
export function paginate<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  request: { pageSize?: number; pageToken?: string },
  maxPageSize: number,
): Page<T> {
  const pageSize = request.pageSize ?? 0;
  if (pageSize < 0) {
    throw invalidArgument(`page_size must not be negative, got ${pageSize}.`);
  }
  const size = Math.min(pageSize || maxPageSize, maxPageSize);
  const after = decodeToken(request.pageToken ?? '');

  const start = after === undefined ? 0 : firstAfter(items, nameOf, after);
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  const hasMore = start + size < items.length && last !== undefined;
  return {
    items: page,
    nextPageToken: hasMore ? encodeToken(nameOf(last)) : '',
  };
}

function firstAfter<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  after: string,
): number {
  const index = items.findIndex((item) => nameOf(item) > after);
  return index === -1 ? items.length : index;
}

function encodeToken(name: string): string {
  return Buffer.from(`after:${name}`).toString('base64url');
}

function decodeToken(token: string): string | undefined {
  if (token === '') return undefined;
  const text = Buffer.from(token, 'base64url').toString();
  if (text.startsWith('after:')) return text.slice('after:'.length);
  throw invalidArgument(`page_token "${token}" is not a token from this list.`);
}
