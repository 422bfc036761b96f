import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Knex } from 'knex';
import type { Logger } from '../logger.ts';

/**
 * express-rate-limit's counters in PostgreSQL (`rate_limit_counter`, docs/schema.md), so that every
 * instance of the application behind the proxy counts the same attempts: with the default memory store,
 * each instance would allow the limit again.
 *
 * When the database cannot be reached, a hit is let through uncounted with a warning in the logs: the
 * limiter then fails open, since refusing every sign-in (or deposit) for want of a counter would turn an
 * outage of the database into an outage of sign-in too, and what those routes do next needs the
 * database anyway.
 */
export class DatabaseRateLimitStore implements Store {
  /** Hits counted here are seen by every instance. */
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly knex: Knex,
    name: string,
    private readonly logger: Logger,
  ) {
    this.prefix = `${name}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  /** One statement: the first hit of a key, or of a window that has ended, starts a new window. */
  async increment(key: string): Promise<ClientRateLimitInfo> {
    try {
      const { rows } = (await this.knex.raw(
        `INSERT INTO rate_limit_counter AS counter (key, hits, reset_at)
         VALUES (?, 1, now() + make_interval(secs => ?))
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN counter.reset_at <= now() THEN 1 ELSE counter.hits + 1 END,
           reset_at = CASE WHEN counter.reset_at <= now() THEN excluded.reset_at ELSE counter.reset_at END
         RETURNING hits, reset_at`,
        [this.prefix + key, this.windowMs / 1000],
      )) as { rows: { hits: number; reset_at: Date }[] };
      const { hits, reset_at: resetTime } = rows[0]!;
      // A new window is rare beside the hits counted in it: the moment to remove the windows that have ended.
      if (hits === 1) await this.knex('rate_limit_counter').where('reset_at', '<=', this.knex.fn.now()).delete();
      return { totalHits: hits, resetTime };
    } catch (error) {
      this.logger.warn({ err: error, limiter: this.prefix }, 'rate limit not applied: its counter could not be read from the database');
      return { totalHits: 1, resetTime: new Date(Date.now() + this.windowMs) };
    }
  }

  async decrement(key: string): Promise<void> {
    try {
      await this.knex('rate_limit_counter')
        .where({ key: this.prefix + key })
        .where('hits', '>', 0)
        .where('reset_at', '>', this.knex.fn.now())
        .decrement('hits', 1);
    } catch (error) {
      this.logger.warn({ err: error, limiter: this.prefix }, 'rate limit hit not taken back: the database could not be reached');
    }
  }

  async resetKey(key: string): Promise<void> {
    await this.knex('rate_limit_counter')
      .where({ key: this.prefix + key })
      .delete();
  }
}
