import type { Db } from '../db/knex.ts';
import type { AccessRight } from '../access/actor.ts';

import type { MemberRights } from './schemas.ts';

export interface MemberRow {
  id: number;
  centre_id: number;
  staff_id: number;
  access_right: AccessRight;
  appears_on_conventions: boolean;
  /** Receives the e-mail notifications of the centre's conventions (opt-in). */
  notify: boolean;
  login: string;
  last_name: string;
  first_name: string;
  email: string | null;
  department: string | null;
}

// Every query names the centre: a member id is only ever looked up within the centre of the address.
const membersOf = (db: Db, centreId: number) =>
  db('centre_member as m')
    .join('staff as s', 's.id', 'm.staff_id')
    .where('m.centre_id', centreId)
    .select(
      'm.id',
      'm.centre_id',
      'm.staff_id',
      'm.access_right',
      'm.appears_on_conventions',
      'm.notify',
      's.login',
      's.last_name',
      's.first_name',
      's.email',
      's.department',
    );

export async function listMembers(db: Db, centreId: number): Promise<MemberRow[]> {
  return (await membersOf(db, centreId).orderBy(['s.last_name', 's.first_name', 'm.id'])) as MemberRow[];
}

/** `lock` holds the member's row until the end of the transaction, for a change or a detachment. */
export async function findMember(db: Db, centreId: number, memberId: number, options: { lock?: boolean } = {}): Promise<MemberRow | undefined> {
  const query = membersOf(db, centreId).where('m.id', memberId).first();
  if (options.lock) query.forUpdate('m');
  return (await query) as MemberRow | undefined;
}

export async function insertMember(db: Db, centreId: number, staffId: number, rights: MemberRights, login: string): Promise<number> {
  const [row] = (await db('centre_member')
    .insert({ centre_id: centreId, staff_id: staffId, ...rights, created_by: login })
    .returning('id')) as { id: number }[];
  return row!.id;
}

export async function updateMember(db: Db, centreId: number, memberId: number, rights: MemberRights): Promise<void> {
  await db('centre_member').where({ id: memberId, centre_id: centreId }).update(rights);
}

export async function deleteMember(db: Db, centreId: number, memberId: number): Promise<void> {
  await db('centre_member').where({ id: memberId, centre_id: centreId }).delete();
}
