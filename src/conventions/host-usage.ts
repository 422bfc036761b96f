import type { ConventionUsage } from '../hosts/usage.ts';

/**
 * Which records of the host directory conventions use, so that the directory refuses deleting them
 * and shows the number of conventions of a host.
 */
export const conventionHostUsage: ConventionUsage = {
  async conventionCounts(db, hostIds) {
    if (hostIds.length === 0) return new Map();
    const rows = (await db('convention').whereIn('host_id', hostIds).groupBy('host_id').select('host_id', db.raw('count(*)::int AS count'))) as {
      host_id: number;
      count: number;
    }[];
    return new Map(rows.map((row) => [row.host_id, row.count]));
  },
  async serviceInUse(db, serviceId) {
    return (await db('convention').where({ service_id: serviceId }).first('id')) !== undefined;
  },
  async contactInUse(db, contactId) {
    return (
      (await db('convention')
        .where({ status: 'validated' })
        .andWhere((scope) => scope.where({ tutor_id: contactId }).orWhere({ signatory_id: contactId }))
        .first('id')) !== undefined
    );
  },
};
