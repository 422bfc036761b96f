import type { Db } from '../db/knex.ts';
import type { Actor } from '../access/actor.ts';
import { type ConventionStatus, LIST_STATUSES } from '../conventions/index.ts';
import { countedConventions } from './repository.ts';

/**
 * The headline figures of the staff home page, for the current academic year in the person's centres:
 * conventions by status, and — over the conventions that stand for an internship, submitted or
 * validated (not drafts, refused nor cancelled ones) — the share with a gratification, the average
 * effective calendar duration and the most frequent hosts. Two queries, both through the scoped search.
 */
export const STANDING_STATUSES: readonly ConventionStatus[] = ['submitted', 'pedagogically_validated', 'validated'];
export const TOP_HOSTS = 5;

export interface HeadlineFigures {
  academicYear: string;
  byStatus: { status: ConventionStatus; count: number }[];
  /** The conventions the share, the duration and the hosts are computed on. */
  standing: number;
  /** Between 0 and 1; null without any standing convention. */
  gratifiedShare: number | null;
  averageWeeks: number | null;
  topHosts: { name: string; town: string | null; count: number }[];
}

interface StatusRow {
  status: ConventionStatus;
  count: number;
  gratified: number;
  days: number | null;
  dated: number;
}

export async function headlineFigures(db: Db, actor: Actor, academicYear: string, today: string): Promise<HeadlineFigures> {
  const scope = { academicYear, status: null, centreIds: null };
  const [statusRows, topHosts] = await Promise.all([
    countedConventions(db, actor, scope, today)
      .groupBy('c.status')
      .select(
        'c.status',
        db.raw('count(*)::int AS count'),
        db.raw('(count(*) FILTER (WHERE c.effective_gratification))::int AS gratified'),
        db.raw('sum(c.effective_end_date - c.effective_start_date + 1)::int AS days'),
        db.raw('count(c.effective_end_date - c.effective_start_date)::int AS dated'),
      ) as Promise<StatusRow[]>,
    // Counted by host id first, so that only the five hosts shown are read (ties: the host known first).
    db
      .from(
        countedConventions(db, actor, scope, today)
          .whereIn('c.status', STANDING_STATUSES)
          .whereNotNull('c.host_id')
          .groupBy('c.host_id')
          .select('c.host_id', db.raw('count(*)::int AS count'))
          .orderByRaw('count(*) DESC, c.host_id')
          .limit(TOP_HOSTS)
          .as('top'),
      )
      .join('host as h', 'h.id', 'top.host_id')
      .select('h.name', 'h.town', 'top.count')
      .orderBy([{ column: 'top.count', order: 'desc' }, 'top.host_id']) as Promise<HeadlineFigures['topHosts']>,
  ]);
  const standing = statusRows.filter((row) => STANDING_STATUSES.includes(row.status));
  const sum = (rows: StatusRow[], field: 'count' | 'gratified' | 'days' | 'dated') => rows.reduce((total, row) => total + (row[field] ?? 0), 0);
  const standingCount = sum(standing, 'count');
  const dated = sum(standing, 'dated');
  return {
    academicYear,
    byStatus: LIST_STATUSES.map((status) => ({ status, count: statusRows.find((row) => row.status === status)?.count ?? 0 })),
    standing: standingCount,
    gratifiedShare: standingCount === 0 ? null : sum(standing, 'gratified') / standingCount,
    averageWeeks: dated === 0 ? null : sum(standing, 'days') / dated / 7,
    topHosts,
  };
}
