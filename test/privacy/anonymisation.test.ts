import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymise, ANONYMOUS_LOGIN } from '../../src/privacy/anonymisation.ts';
import { downloadCsv, exportedNumbers } from '../exports/support.ts';
import { countsOf, insertConventions } from '../statistics/support.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { NIR } from './support.ts';

/**
 * Anonymisation past the retention period (5 years by default). The fixture, in 2014-2015: an old
 * validated convention of etu.droit1, who also has a recent one (the demo's), with everything that
 * names them around it; and a student who left in 2015, with one old convention and nothing recent.
 */
const OLD_YEAR = '2014-2015';
const STATISTICS = ['first=faculty&second=conventionType', 'first=step&second=host', 'first=faculty&second=duration'];
const COLUMNS =
  'number,studentNumber,studentLastName,studentFirstName,studentAddress,studentPersonalEmail,socialSecurityNumber,stepLabel,hostName,startDate,endDate,subject,status';

interface Fixture {
  oldId: number;
  oldNumber: number;
  leaverConventionId: number;
  leaverId: number;
  recentId: number;
  amendmentId: number;
  droit1: { id: number; last_name: string; student_number: string };
}

async function insertFixture(knex: Knex): Promise<Fixture> {
  const [leaver] = (await knex('student')
    .insert({
      student_number: '20140001',
      login: 'etu.ancien',
      last_name: 'Ancienne',
      first_name: 'Camille',
      birth_date: '1995-04-02',
      email: 'camille.ancienne@univ-demo.fr',
      phone: '06 11 22 33 44',
    })
    .returning('id')) as { id: number }[];
  const [oldId, leaverConventionId] = await insertConventions(knex, [
    {
      centre: 'UFR Droit et économie',
      student: 'etu.droit1',
      step: 'L3DROIT',
      host: 'lefevre',
      start: '2015-01-05',
      end: '2015-03-27',
      year: OLD_YEAR,
      supervisor: 'prof.durand',
      status: 'submitted',
    },
    {
      centre: 'UFR Droit et économie',
      student: 'etu.ancien',
      step: 'L3DROIT',
      host: 'montreuil',
      start: '2015-04-01',
      end: '2015-06-30',
      year: OLD_YEAR,
      status: 'submitted',
    },
  ]);
  const droit1 = (await knex('student').where({ login: 'etu.droit1' }).first('id', 'last_name', 'student_number')) as Fixture['droit1'];
  await knex('convention').whereIn('id', [oldId!, leaverConventionId!]).update({
    student_address: '12 rue Oubliée',
    student_personal_email: 'perso@example.org',
    social_security_number: NIR.mainland,
    created_by: 'etu.droit1',
    submitted_by: 'etu.droit1',
  });
  // Validated once its personal data is in: from then on only the anonymisation may change it.
  await knex('convention').where({ id: oldId }).update({ status: 'validated' });
  const oldNumber = ((await knex('convention').where({ id: oldId }).first('number')) as { number: number }).number;
  const [amendment] = (await knex('amendment')
    .insert({
      convention_id: oldId,
      number: 1,
      status: 'validated',
      kind: 'changes',
      reason: `Arrêt maladie de ${droit1.last_name}`,
      other: 'Horaires aménagés',
      created_by: 'etu.droit1',
      updated_by: 'gest.droit',
      validated_at: new Date(),
      validated_by: 'gest.droit',
    })
    .returning('id')) as { id: number }[];
  await knex('convention_transition').insert([
    { convention_id: oldId, action: 'submit', from_status: 'draft', to_status: 'submitted', actor_login: 'etu.droit1' },
    {
      convention_id: oldId,
      action: 'refuse',
      from_status: 'submitted',
      to_status: 'refused',
      actor_login: 'gest.droit',
      reason: `Il manque l’attestation de ${droit1.last_name}`,
    },
  ]);
  await knex('audit_log').insert([
    {
      actor_login: 'etu.droit1',
      action: 'convention.student.update',
      entity: 'convention',
      entity_id: String(oldId),
      before: { student_address: '1 rue Ancienne' },
      after: { student_address: '12 rue Oubliée', student_id: droit1.id, subject: 'Veille' },
    },
    {
      actor_login: 'gest.droit',
      action: 'amendment.validate',
      entity: 'amendment',
      entity_id: String(amendment!.id),
      after: { reason: `Arrêt maladie de ${droit1.last_name}`, status: 'validated' },
    },
    {
      actor_login: 'import',
      action: 'student.update',
      entity: 'student',
      entity_id: String(leaver!.id),
      after: { last_name: 'Ancienne', first_name: 'Camille', email: 'camille.ancienne@univ-demo.fr' },
    },
    { actor_login: 'etu.ancien', action: 'session.sign_in', entity: 'session', after: { method: 'cas' } },
  ]);
  await knex('notification').insert({
    kind: 'validated',
    convention_id: oldId,
    recipient: 'etu.droit1@univ-demo.fr',
    subject: 'Convention validée',
    text_body: `Bonjour ${droit1.last_name}`,
    status: 'sent',
    sent_at: new Date(),
  });
  await knex('user_preference').insert({ login: 'etu.ancien', name: 'search', value: JSON.stringify({ lastName: 'x' }) });
  const recent = (await knex('convention').where({ student_id: droit1.id, status: 'validated' }).whereNot({ id: oldId }).first('id')) as { id: number };
  return { oldId: oldId!, oldNumber, leaverConventionId: leaverConventionId!, leaverId: leaver!.id, recentId: recent.id, amendmentId: amendment!.id, droit1 };
}

/** Everything the anonymisation may touch, to compare before and after a run that must change nothing. */
async function snapshot(knex: Knex) {
  return {
    conventions: await knex('convention').orderBy('id'),
    students: await knex('student').orderBy('id'),
    amendments: await knex('amendment').orderBy('id'),
    transitions: await knex('convention_transition').orderBy('id'),
    audit: await knex('audit_log').orderBy('id'),
    notifications: await knex('notification').orderBy('id'),
    preferences: await knex('user_preference').orderBy(['login', 'name']),
  };
}

describe('anonymisation past the retention period', () => {
  let app: TestApp;
  let fixture: Fixture;
  beforeAll(async () => {
    app = await startTestApp();
    fixture = await insertFixture(app.knex);
  });
  afterAll(() => app.close());

  const statistics = (criteria: string) => `/statistics?academicYear=${OLD_YEAR}&${criteria}`;

  it('anonymises, from the settings page after a confirmation, what ended more than 5 years ago', async () => {
    const admin = await app.signIn('admin');
    const recentBefore = await app.knex('convention').where({ id: fixture.recentId }).first();
    const statisticsBefore = await Promise.all(STATISTICS.map(async (criteria) => countsOf((await admin.get(statistics(criteria)).expect(200)).text)));
    const { rows: exportBefore } = await downloadCsv(admin, `/conventions/export.csv?academicYear=${OLD_YEAR}&columns=${COLUMNS}`);
    expect(exportBefore.find((row) => row[0] === String(fixture.oldNumber))).toEqual(
      expect.arrayContaining([
        `="${fixture.droit1.student_number}"`,
        fixture.droit1.last_name,
        '12 rue Oubliée',
        'perso@example.org',
        '1 ** ** ** *** *** 91',
        'Cabinet Lefèvre Avocats',
      ]),
    );
    expect(await exportedNumbers(admin, `lastName=${encodeURIComponent(fixture.droit1.last_name)}`)).toContain(fixture.oldNumber);

    // The preview, then the confirmation page.
    const settings = await admin.get('/admin/settings').expect(200);
    expect(settings.text).toMatch(/Conventions à anonymiser<\/dt><dd>2<\/dd>/);
    expect(settings.text).toMatch(/Fiches d’étudiants partis à anonymiser<\/dt><dd>1<\/dd>/);
    expect(settings.text).toContain('href="/admin/settings/anonymisation"');
    const token = await csrfTokenFrom(admin, '/admin/settings/anonymisation');
    const unconfirmed = await admin.post('/admin/settings/anonymisation').type('form').send({ _csrf: token });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toContain('Cochez la case pour confirmer l’anonymisation.');
    expect(await app.knex('convention').whereNotNull('anonymised_at')).toEqual([]);

    const done = await admin.post('/admin/settings/anonymisation').type('form').send({ _csrf: token, confirm: 'on' });
    expect(done.status, done.text.slice(0, 500)).toBe(302);
    expect((await admin.get('/admin/settings').expect(200)).text).toContain('Anonymisation terminée : 2 convention(s) et 1 fiche(s) d’étudiant anonymisées.');

    // Exports and searches no longer lead to the student; what statistics count is kept.
    const { rows: exportAfter } = await downloadCsv(admin, `/conventions/export.csv?academicYear=${OLD_YEAR}&columns=${COLUMNS}`);
    const old = exportAfter.find((row) => row[0] === String(fixture.oldNumber))!;
    expect(old).toEqual([
      String(fixture.oldNumber),
      'ANONYME',
      'Anonymisé',
      'Étudiant',
      '',
      '',
      '',
      'Licence 3 Droit',
      'Cabinet Lefèvre Avocats',
      '05/01/2015',
      '27/03/2015',
      exportBefore.find((row) => row[0] === String(fixture.oldNumber))![11],
      'Validée',
    ]);
    expect(exportAfter.flat().join(' ')).not.toMatch(new RegExp(`${fixture.droit1.last_name}|Ancienne|Oubliée|perso@`));
    const byName = await exportedNumbers(admin, `lastName=${encodeURIComponent(fixture.droit1.last_name)}`);
    expect(byName).not.toContain(fixture.oldNumber);
    expect(byName.length).toBeGreaterThan(0);
    expect(await exportedNumbers(admin, 'lastName=Ancienne')).toEqual([]);
    const statisticsAfter = await Promise.all(STATISTICS.map(async (criteria) => countsOf((await admin.get(statistics(criteria)).expect(200)).text)));
    expect(statisticsAfter).toEqual(statisticsBefore);

    // The recent convention is untouched; the old one is out of its student's reach.
    expect(await app.knex('convention').where({ id: fixture.recentId }).first()).toEqual(recentBefore);
    const student = await app.signIn('etu.droit1');
    await student.get(`/conventions/${fixture.oldNumber}/student`).expect(404);
    // The student tab: the summary runs the legal checks, which know no gratification rate before 2023.
    const page = await admin.get(`/conventions/${fixture.oldNumber}/student`).expect(200);
    expect(page.text).toContain('Les données personnelles de l’étudiant ont été anonymisées le');
    expect(page.text).not.toContain(fixture.droit1.last_name);
    // Nobody starts a new convention for the anonymised records.
    const search = await (await app.signIn('gest.droit')).get('/conventions/new/student?search=Anonymis').expect(200);
    expect(search.text).not.toContain('ANONYME');
  });

  it('leaves nothing that names the student in the rows around the convention', async () => {
    const { knex } = app;
    const old = await knex('convention').where({ id: fixture.oldId }).first();
    expect(old).toMatchObject({
      student_address: null,
      student_personal_email: null,
      social_security_number: null,
      created_by: ANONYMOUS_LOGIN,
      submitted_by: ANONYMOUS_LOGIN,
      status: 'validated',
      host_id: expect.any(Number),
    });
    expect(old.anonymised_at).toBeInstanceOf(Date);
    expect(await knex('amendment').where({ id: fixture.amendmentId }).first('reason', 'other', 'created_by', 'validated_by')).toEqual({
      reason: 'Donnée anonymisée',
      other: 'Donnée anonymisée',
      created_by: ANONYMOUS_LOGIN,
      validated_by: 'gest.droit',
    });
    expect(await knex('convention_transition').where({ convention_id: fixture.oldId }).orderBy('id').select('actor_login', 'reason')).toEqual([
      { actor_login: ANONYMOUS_LOGIN, reason: null },
      { actor_login: 'gest.droit', reason: 'Donnée anonymisée' },
    ]);
    const audit = JSON.stringify(await knex('audit_log').select('actor_login', 'before', 'after'));
    for (const personal of [fixture.droit1.last_name, 'Oubliée', '1 rue Ancienne', 'Ancienne', 'camille.', 'etu.ancien', `"student_id":${fixture.droit1.id}`])
      expect(audit).not.toContain(personal);
    expect(
      await knex('audit_log')
        .where({ entity: 'convention', entity_id: String(fixture.oldId) })
        .first('action', 'after'),
    ).toEqual({ action: 'convention.student.update', after: { subject: 'Veille' } });
    expect(await knex('notification').where({ convention_id: fixture.oldId })).toEqual([]);

    const leaver = await knex('student').where({ id: fixture.leaverId }).first();
    expect(leaver).toMatchObject({
      last_name: 'Anonymisé',
      first_name: 'Étudiant',
      birth_date: null,
      email: null,
      phone: null,
      student_number: `ANONYME-${fixture.leaverId}`,
    });
    expect(leaver.login).not.toBe('etu.ancien');
    expect(await knex('user_preference').where({ login: 'etu.ancien' })).toEqual([]);
    // Still enrolled this year: etu.droit1 keeps their directory record.
    expect(await knex('student').where({ id: fixture.droit1.id }).first('last_name', 'anonymised_at')).toEqual({
      last_name: fixture.droit1.last_name,
      anonymised_at: null,
    });
  });

  it('changes nothing the second time, nor in a dry run', async () => {
    const before = await snapshot(app.knex);
    expect(await anonymise(app.knex, { cutoff: '2021-12-01', actorLogin: 'test', dryRun: true })).toEqual({ conventions: 0, students: 0, dryRun: true });
    expect(await anonymise(app.knex, { cutoff: '2021-12-01', actorLogin: 'test' })).toEqual({ conventions: 0, students: 0, dryRun: false });
    expect(await snapshot(app.knex)).toEqual(before);
    expect((await (await app.signIn('admin')).get('/admin/settings').expect(200)).text).toContain('Aucune donnée n’a dépassé la durée de conservation.');
  });
});

describe('a dry run', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await insertFixture(app.knex);
  });
  afterAll(() => app.close());

  it('counts what a run would anonymise and changes nothing', async () => {
    const before = await snapshot(app.knex);
    expect(await anonymise(app.knex, { cutoff: '2021-12-01', actorLogin: 'test', dryRun: true })).toEqual({ conventions: 2, students: 1, dryRun: true });
    expect(await snapshot(app.knex)).toEqual(before);
  });

  it('keeps what a shorter-lived cut-off does not reach', async () => {
    expect(await anonymise(app.knex, { cutoff: '2015-03-27', actorLogin: 'test', dryRun: true })).toEqual({ conventions: 0, students: 0, dryRun: true });
    expect(await anonymise(app.knex, { cutoff: '2015-03-28', actorLogin: 'test', dryRun: true })).toEqual({ conventions: 1, students: 0, dryRun: true });
  });

  it('lets no other transaction change a validated convention, its history or the audit log', async () => {
    const { knex } = app;
    const validated = (await knex('convention').where({ status: 'validated' }).first('id')) as { id: number };
    await expect(knex('convention').where({ id: validated.id }).update({ student_address: null, anonymised_at: new Date() })).rejects.toThrow(/validated/);
    await expect(knex('convention_transition').where({ convention_id: validated.id }).update({ reason: 'x' })).rejects.toThrow(/append-only/);
    await expect(knex('audit_log').update({ after: null })).rejects.toThrow(/append-only/);
    // Declared, the anonymisation still may not change what statistics count.
    await expect(
      knex.transaction(async (trx) => {
        await trx.raw("SET LOCAL conventio.anonymising = 'on'");
        await trx('convention').where({ id: validated.id }).update({ start_date: '2000-01-03', anonymised_at: new Date() });
      }),
    ).rejects.toThrow(/validated/);
    await expect(
      knex.transaction(async (trx) => {
        await trx.raw("SET LOCAL conventio.anonymising = 'on'");
        await trx('audit_log').update({ action: 'x' });
      }),
    ).rejects.toThrow(/append-only/);
  });
});
