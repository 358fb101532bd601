export type { SqliteIdempotencyStoreOptions } from './options.ts';
export {
  createSqliteIdempotencyStore,
  type SqliteIdempotencyStore,
} from './sqlite-idempotency-store.ts';
