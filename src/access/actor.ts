import type { Knex } from 'knex';

/**
 * Who is making a request, with everything rights depend on. Built from the directory and the
 * centre memberships at each request, so that a right withdrawn by an administrator takes effect at once.
 */
export type AccessRight = 'READ' | 'WRITE' | 'ADMIN';
export const ACCESS_RIGHTS: readonly AccessRight[] = ['READ', 'WRITE', 'ADMIN'];

export interface Membership {
  centreId: number;
  right: AccessRight;
}

export interface Actor {
  login: string;
  displayName: string;
  studentId: number | null;
  teacherId: number | null;
  staffId: number | null;
  superAdmin: boolean;
  memberships: Membership[];
}

/** The actor seen with the rights of one student only: what that student may see, even when staff act for them. */
export function actingAsStudent(actor: Actor, studentId: number): Actor {
  return { login: actor.login, displayName: actor.displayName, studentId, teacherId: null, staffId: null, superAdmin: false, memberships: [] };
}

interface PersonRow {
  kind: 'student' | 'teacher' | 'staff';
  id: number;
  last_name: string;
  first_name: string;
}

/** Returns null for a login that no directory knows and that is not a configured super-admin. */
export async function loadActor(knex: Knex, login: string, adminLogins: readonly string[]): Promise<Actor | null> {
  const people = (await knex
    .select(knex.raw("'student' AS kind"), 'id', 'last_name', 'first_name')
    .from('student')
    .where({ login })
    .unionAll((query) => query.select(knex.raw("'teacher'"), 'id', 'last_name', 'first_name').from('teacher').where({ login }))
    .unionAll((query) => query.select(knex.raw("'staff'"), 'id', 'last_name', 'first_name').from('staff').where({ login }))) as PersonRow[];

  const superAdmin = adminLogins.includes(login);
  if (people.length === 0 && !superAdmin) return null;

  const find = (kind: PersonRow['kind']) => people.find((person) => person.kind === kind) ?? null;
  const staff = find('staff');
  const memberships: Membership[] = staff
    ? (await knex('centre_member').select('centre_id', 'access_right').where({ staff_id: staff.id }).orderBy('centre_id')).map(
        (row: { centre_id: number; access_right: AccessRight }) => ({ centreId: row.centre_id, right: row.access_right }),
      )
    : [];
  const named = staff ?? find('teacher') ?? find('student');
  return {
    login,
    displayName: named ? `${named.first_name} ${named.last_name}` : login,
    studentId: find('student')?.id ?? null,
    teacherId: find('teacher')?.id ?? null,
    staffId: staff?.id ?? null,
    superAdmin,
    memberships,
  };
}
