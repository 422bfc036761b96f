import type { Db } from '../db/knex.ts';
import { isThePerson } from '../access/policy.ts';
import type { Knex } from 'knex';
import type { Actor } from '../access/actor.ts';
import { findStaffPerson, searchStaff, type StaffPerson } from '../directory/staff-search.ts';
import { openCentre } from './access.ts';
import { recordChange, type ChangeContext } from '../audit/audit-log.ts';
import { type CentreAccess } from '../access/policy.ts';
import { NotFoundError, RuleViolation, violatedUniqueConstraint } from '../errors.ts';
import { deleteMember, findMember, insertMember, listMembers, updateMember, type MemberRow } from './members-repository.ts';
import type { CentreRecord } from './repository.ts';
import type { MemberRights, MemberSearch } from './schemas.ts';

export interface Candidate extends StaffPerson {
  alreadyMember: boolean;
}

export interface MembersPage {
  centre: CentreRecord;
  access: CentreAccess;
  members: MemberRow[];
  /** Results of a directory search, run only for those who may attach people. */
  search: { candidates: Candidate[]; truncated: boolean } | null;
}

export async function membersPage(db: Db, actor: Actor, centreId: number, search?: MemberSearch): Promise<MembersPage> {
  const { centre, access } = await openCentre(db, actor, centreId, 'read');
  const members = await listMembers(db, centreId);
  if (!search || access !== 'admin') return { centre, access, members, search: null };
  const attached = new Set(members.map((member) => member.staff_id));
  const found = await searchStaff(db, search);
  return {
    centre,
    access,
    members,
    search: { candidates: found.people.map((person) => ({ ...person, alreadyMember: attached.has(person.id) })), truncated: found.truncated },
  };
}

// The audit row names the person, so that it still reads right once the staff record is gone.
const memberSnapshot = (member: Pick<MemberRow, 'centre_id' | 'staff_id' | 'login' | 'access_right' | 'appears_on_conventions' | 'notify'>) => ({
  centre_id: member.centre_id,
  staff_id: member.staff_id,
  login: member.login,
  access_right: member.access_right,
  appears_on_conventions: member.appears_on_conventions,
  notify: member.notify,
});

const fullName = (person: { first_name: string; last_name: string }) => `${person.first_name} ${person.last_name}`;

/** Attaches a person of the staff directory to the centre; returns their name. */
export async function attachMember(knex: Knex, context: ChangeContext, centreId: number, staffId: number, rights: MemberRights): Promise<string> {
  return knex.transaction(async (trx) => {
    await openCentre(trx, context.actor, centreId, 'admin', { lock: 'key share' });
    const person = await findStaffPerson(trx, staffId);
    if (!person) throw RuleViolation.keyed('_form', 'centres.errors.staffUnknown');
    const id = await insertMember(trx, centreId, staffId, rights, context.actor.login).catch((error: unknown) => {
      throw violatedUniqueConstraint(error) !== undefined ? RuleViolation.keyed('_form', 'centres.errors.memberExists', undefined, 'conflict') : error;
    });
    await recordChange(trx, context, {
      action: 'centre_member.create',
      entity: 'centre_member',
      entityId: id,
      after: memberSnapshot({ centre_id: centreId, staff_id: staffId, login: person.login, ...rights }),
    });
    return `${person.firstName} ${person.lastName}`;
  });
}

/** The member, locked until the end of the transaction: of two changes or detachments at once, the second sees the first. */
async function openMember(trx: Knex.Transaction, actor: Actor, centreId: number, memberId: number): Promise<MemberRow> {
  await openCentre(trx, actor, centreId, 'admin', { lock: 'key share' });
  const member = await findMember(trx, centreId, memberId, { lock: true });
  if (!member) throw new NotFoundError('centre');
  return member;
}

export async function changeMember(knex: Knex, context: ChangeContext, centreId: number, memberId: number, rights: MemberRights): Promise<string> {
  return knex.transaction(async (trx) => {
    const before = await openMember(trx, context.actor, centreId, memberId);
    await updateMember(trx, centreId, memberId, rights);
    await recordChange(trx, context, {
      action: 'centre_member.update',
      entity: 'centre_member',
      entityId: memberId,
      before: memberSnapshot(before),
      after: memberSnapshot({ ...before, ...rights }),
    });
    return fullName(before);
  });
}

/** Detaches a member; says whether the actor detached themselves (and so may have lost the centre). */
export async function detachMember(knex: Knex, context: ChangeContext, centreId: number, memberId: number): Promise<{ name: string; self: boolean }> {
  return knex.transaction(async (trx) => {
    const before = await openMember(trx, context.actor, centreId, memberId);
    await deleteMember(trx, centreId, memberId);
    await recordChange(trx, context, { action: 'centre_member.delete', entity: 'centre_member', entityId: memberId, before: memberSnapshot(before) });
    return { name: fullName(before), self: isThePerson(context.actor, { kind: 'staff', id: before.staff_id }) };
  });
}
