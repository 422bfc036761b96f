import type { Knex } from 'knex';

/**
 * Reference lists (reference items, faculties, study steps) change only through migrations, seeds and
 * the directory import, yet nearly every page reads them. Each process keeps what a loader returned
 * for a minute, per database: a change made by another process shows within that minute, one made
 * here as soon as `forget` is called. Inside a transaction the loader always reads the database, so a
 * transaction sees its own changes.
 */
export interface CachedLoader<T> {
  (db: Knex | Knex.Transaction): Promise<T>;
  forget(db: Knex): void;
}

export const REFERENCE_CACHE_TTL_MS = 60_000;

const loaders: CachedLoader<unknown>[] = [];

export function cachedPerDatabase<T>(load: (db: Knex | Knex.Transaction) => Promise<T>, ttlMs = REFERENCE_CACHE_TTL_MS): CachedLoader<T> {
  const entries = new WeakMap<Knex, { value: Promise<T>; until: number }>();
  const cached = ((db: Knex | Knex.Transaction) => {
    if (db.isTransaction) return load(db);
    const entry = entries.get(db);
    if (entry && entry.until > Date.now()) return entry.value;
    // The promise itself is kept, so that requests arriving together share one query.
    const value = load(db);
    entries.set(db, { value, until: Date.now() + ttlMs });
    value.catch(() => {
      if (entries.get(db)?.value === value) entries.delete(db);
    });
    return value;
  }) as CachedLoader<T>;
  cached.forget = (db) => entries.delete(db);
  loaders.push(cached as CachedLoader<unknown>);
  return cached;
}

/** After a change to the reference lists has been committed: every cached list of this database is read again. */
export function forgetCachedReferences(db: Knex): void {
  for (const loader of loaders) loader.forget(db);
}
