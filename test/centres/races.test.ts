import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { tinyPng } from './support.ts';

/**
 * Two people changing the same centre at once. Each test holds, in a transaction of its own, the rows
 * that the other person's change holds in the application, sends the request, waits until it is
 * blocked on those rows, then commits: the request must then answer what the person would expect
 * (404 for a centre or member gone, 409 for a deletion now refused), never a 500 from a foreign key.
 */
async function untilARequestWaitsOnALock(knex: Knex): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const row = (await knex.raw("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) as {
      rows: { n: number }[];
    };
    if (row.rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the request never waited on a lock');
}

describe('changes racing each other on a centre', () => {
  let testApp: TestApp;
  let admin: TestAgent;
  let helene: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await testApp.signIn('admin');
    helene = (await testApp.knex('staff').where({ login: 'agent.stages' }).first('id')).id;
  });
  afterAll(() => testApp.close());

  let centreNumber = 0;
  async function newCentre(): Promise<number> {
    centreNumber += 1;
    const [row] = await testApp
      .knex('centre')
      .insert({ name: `Centre disputé ${centreNumber}`, level: 'ETAPE', phone: '01 02 03 04 05', created_by: 'test' })
      .returning('id');
    return row.id as number;
  }

  /** Sends the request while another transaction holds `hold`'s rows; commits that transaction once the request waits. */
  async function whileHeld(hold: (trx: Knex.Transaction) => Promise<void>, request: () => Promise<{ status: number; text: string }>) {
    const trx = await testApp.knex.transaction();
    try {
      await hold(trx);
      const pending = request();
      await untilARequestWaitsOnALock(testApp.knex);
      await trx.commit();
      return await pending;
    } catch (error) {
      if (!trx.isCompleted()) await trx.rollback();
      throw error;
    }
  }

  /** What deleteCentre does: lock the centre's row, then delete it (its criteria go with it). */
  const deletion = (centreId: number) => async (trx: Knex.Transaction) => {
    await trx('centre').where({ id: centreId }).forUpdate().first('id');
    await trx('centre').where({ id: centreId }).delete();
  };

  /** Posts with the CSRF token fetched beforehand, so that the post itself is what meets the lock. */
  async function poster(path: string, fields: Record<string, string>) {
    const token = await csrfTokenFrom(admin, '/');
    return () =>
      admin
        .post(path)
        .type('form')
        .send({ _csrf: token, ...fields })
        .then((response) => response);
  }

  const auditRows = (entity: string) =>
    testApp
      .knex('audit_log')
      .where({ entity })
      .count({ n: '*' })
      .first()
      .then((row) => Number(row!.n));

  it('answers 404 to a person attached to a centre that a super-admin deletes meanwhile', async () => {
    const centreId = await newCentre();
    const audits = await auditRows('centre_member');
    const post = await poster(`/centres/${centreId}/members`, { staff_id: String(helene), access_right: 'READ' });
    const response = await whileHeld(deletion(centreId), post);
    expect(response.status, response.text.slice(0, 300)).toBe(404);
    expect(response.text).toContain('Page introuvable');
    expect(await testApp.knex('centre_member').where({ centre_id: centreId })).toEqual([]);
    expect(await auditRows('centre_member')).toBe(audits);
  });

  it('answers 404 to a criterion added to a centre that a super-admin deletes meanwhile', async () => {
    const centreId = await newCentre();
    const audits = await auditRows('centre_criterion');
    const post = await poster(`/centres/${centreId}/criteria`, { kind: 'step', step_code: 'M1BIO' });
    const response = await whileHeld(deletion(centreId), post);
    expect(response.status, response.text.slice(0, 300)).toBe(404);
    expect(await testApp.knex('centre_criterion').where({ kind: 'step', code: 'M1BIO' }).first()).toBeUndefined();
    expect(await auditRows('centre_criterion')).toBe(audits);
  });

  it('answers 404, recording nothing, to the removal of a criterion whose centre is deleted meanwhile', async () => {
    const centreId = await newCentre();
    const [criterion] = await testApp.knex('centre_criterion').insert({ centre_id: centreId, kind: 'step', code: 'M2INFO' }).returning('id');
    const audits = await auditRows('centre_criterion');
    const post = await poster(`/centres/${centreId}/criteria/${criterion.id}/delete`, {});
    const response = await whileHeld(deletion(centreId), post);
    expect(response.status, response.text.slice(0, 300)).toBe(404);
    expect(await auditRows('centre_criterion')).toBe(audits);
  });

  it('answers 404 to the settings or the logo of a centre deleted meanwhile', async () => {
    for (const [path, fields] of [
      [
        '',
        {
          version: '1',
          name: 'Nouveau nom',
          level: 'ETAPE',
          phone: '01 02 03 04 05',
          student_print_rule: 'always',
          contacts_confidentiality: '0',
          previous_year_months: '12',
          copies: '3',
          alert_delay_days: '15',
        },
      ],
      ['/logo/delete', {}],
    ] as const) {
      const centreId = await newCentre();
      await testApp.knex('centre').where({ id: centreId }).update({ logo: tinyPng(), logo_mime_type: 'image/png' });
      const response = await whileHeld(deletion(centreId), await poster(`/centres/${centreId}${path}`, fields));
      expect(response.status, `${path}: ${response.text.slice(0, 300)}`).toBe(404);
    }
  });

  it('refuses the deletion of a centre to which a member was attached meanwhile', async () => {
    const centreId = await newCentre();
    const response = await whileHeld(
      async (trx) => {
        // What attachMember does: keep the centre from being deleted, then attach.
        await trx('centre').where({ id: centreId }).forKeyShare().first('id');
        await trx('centre_member').insert({ centre_id: centreId, staff_id: helene, access_right: 'READ', created_by: 'test' });
      },
      await poster(`/centres/${centreId}/delete`, {}),
    );
    expect(response.status, response.text.slice(0, 300)).toBe(409);
    expect(response.text).toContain('Ce centre ne peut pas être supprimé tant que des éléments y sont rattachés');
    expect(await testApp.knex('centre').where({ id: centreId }).first()).toBeDefined();
  });

  it('answers 404, recording nothing, to a member changed or detached while another administrator detaches them', async () => {
    for (const [suffix, fields] of [
      ['', { access_right: 'WRITE' }],
      ['/delete', {}],
    ] as const) {
      const centreId = await newCentre();
      const [member] = await testApp
        .knex('centre_member')
        .insert({ centre_id: centreId, staff_id: helene, access_right: 'READ', created_by: 'test' })
        .returning('id');
      const audits = await auditRows('centre_member');
      const response = await whileHeld(
        async (trx) => {
          // What detachMember does: lock the member's row, then delete it.
          await trx('centre_member').where({ id: member.id }).forUpdate().first('id');
          await trx('centre_member').where({ id: member.id }).delete();
        },
        await poster(`/centres/${centreId}/members/${member.id}${suffix}`, fields),
      );
      expect(response.status, `${suffix}: ${response.text.slice(0, 300)}`).toBe(404);
      expect(await auditRows('centre_member')).toBe(audits);
    }
  });
});
