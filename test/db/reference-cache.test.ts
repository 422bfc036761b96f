import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex.ts';
import { cachedPerDatabase, forgetCachedReferences, REFERENCE_CACHE_TTL_MS } from '../../src/db/reference-cache.ts';

// No query is sent: the loaders below count their calls instead of reading a database.
const databases = [createKnex('postgres://nobody@127.0.0.1:1/one'), createKnex('postgres://nobody@127.0.0.1:1/two')] as const;

function countingLoader() {
  let calls = 0;
  const loader = cachedPerDatabase(async () => {
    calls += 1;
    return { calls };
  });
  return { loader, calls: () => calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('reference lists kept per database', () => {
  it('reads a database once for requests arriving together, and again after the time to live', async () => {
    vi.useFakeTimers();
    const { loader, calls } = countingLoader();
    const [first, second] = await Promise.all([loader(databases[0]), loader(databases[0])]);
    expect(first).toBe(second);
    expect(calls()).toBe(1);
    vi.advanceTimersByTime(REFERENCE_CACHE_TTL_MS - 1);
    await loader(databases[0]);
    expect(calls()).toBe(1);
    vi.advanceTimersByTime(2);
    expect(await loader(databases[0])).toEqual({ calls: 2 });
  });

  it('keeps each database apart, and reads again at once what forgetCachedReferences was told about', async () => {
    const { loader, calls } = countingLoader();
    await loader(databases[0]);
    await loader(databases[1]);
    expect(calls()).toBe(2);
    forgetCachedReferences(databases[0]);
    expect(await loader(databases[0])).toEqual({ calls: 3 });
    expect(await loader(databases[1])).toEqual({ calls: 2 });
  });

  it('always reads inside a transaction, which must see its own changes', async () => {
    const { loader, calls } = countingLoader();
    const transaction = Object.assign(() => undefined, { isTransaction: true }) as unknown as Knex.Transaction;
    await loader(transaction);
    await loader(transaction);
    expect(calls()).toBe(2);
  });

  it('does not keep a failure: the next request tries again', async () => {
    let attempts = 0;
    const loader = cachedPerDatabase(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('database unavailable');
      return 'lists';
    });
    await expect(loader(databases[0])).rejects.toThrow('database unavailable');
    expect(await loader(databases[0])).toBe('lists');
  });
});
