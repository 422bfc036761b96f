import { describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex.ts';
import { freePort } from '../support/ports.ts';

describe('the connection pool when the database is unreachable', () => {
  it('fails every waiting request at once, not one every 200 ms', async () => {
    // Nothing listens on this port: every connection attempt is refused at once, as by a stopped server.
    const knex = createKnex(`postgres://nobody:secret@127.0.0.1:${await freePort()}/conventio`, { poolMax: 2 });
    try {
      const started = performance.now();
      const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => knex.raw('SELECT 1')));
      const elapsed = performance.now() - started;
      expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
      // tarn alone would hand its error to one of the 30 every 200 ms: 6 seconds for the last.
      expect(elapsed).toBeLessThan(1500);
    } finally {
      await knex.destroy();
    }
  });
});
