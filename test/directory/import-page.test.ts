import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import type { Knex } from 'knex';
import { startTestApp, csrfTokenFrom, type TestApp } from '../support/test-app.ts';
import { csv, STUDENT_HEADER, PERSON_HEADER, validStudents, teachersCsv, staffCsv } from './fixtures.ts';

/** Every row of the directory tables and every import in the audit log, to prove a refused import changed nothing. */
async function directorySnapshot(knex: Knex): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const table of ['student', 'enrolment', 'faculty', 'study_step', 'teacher', 'staff']) {
    const row = await knex.raw(`SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS state FROM ${table} t`);
    snapshot[table] = row.rows[0].state;
  }
  const imports = await knex('audit_log').where({ action: 'directory.import' }).count({ n: '*' }).first();
  snapshot.imports = String(imports?.n);
  return snapshot;
}

const countOf = async (knex: Knex, table: string) => Number((await knex(table).count({ n: '*' }).first())!.n);

describe('import of the people directory from the administration page', () => {
  let testApp: TestApp;
  let admin: TestAgent;
  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await testApp.signIn('admin');
  });
  afterAll(() => testApp.close());

  /** Posts the form as a browser does, and checks the answer's status. */
  async function post(kind: string, content: string | Buffer, status: number, fileName = 'etudiants.csv') {
    const token = await csrfTokenFrom(admin, '/admin/imports');
    return admin
      .post('/admin/imports')
      .field('_csrf', token)
      .field('kind', kind)
      .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), fileName)
      .expect(status);
  }

  it('shows the form, the expected columns and the administration menu entry to the super-admin', async () => {
    const home = await admin.get('/admin').expect(200);
    expect(home.text).toContain('href="/admin/imports"');
    expect(home.text).toMatch(/<nav class="main-menu"[\s\S]*href="\/admin"/);
    const page = await admin.get('/admin/imports').expect(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(page.text).toContain('<label for="field-kind">Annuaire');
    expect(page.text).toContain('<label for="field-file">Fichier CSV');
    for (const column of [...STUDENT_HEADER, ...PERSON_HEADER]) expect(page.text).toContain(`<code>${column}</code>`);
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|<style|\son[a-z]+=/);
  });

  it('imports students with their enrolments, then a re-import updates rather than duplicates', async () => {
    const studentsBefore = await countOf(testApp.knex, 'student');
    const page = await post('students', csv(STUDENT_HEADER, validStudents), 200);
    expect(page.text).toContain('Import terminé');
    expect(page.text).toMatch(/<th scope="row">Étudiants<\/th>\s*<td class="numeric">2<\/td>\s*<td class="numeric">1<\/td>\s*<td class="numeric">0<\/td>/);
    expect(page.text).toMatch(/<th scope="row">Inscriptions<\/th>\s*<td class="numeric">4<\/td>/);

    const knex = testApp.knex;
    expect(await countOf(knex, 'student')).toBe(studentsBefore + 2);
    const camille = await knex('student').where({ student_number: '30000001' }).first();
    expect(camille).toMatchObject({
      login: 'etu.lambert',
      birth_date: '2004-07-14',
      address: '3 rue de la Paix; bâtiment B',
      email: 'camille.lambert@etu.univ-demo.fr',
    });
    const camilleEnrolments = await knex('enrolment')
      .where({ student_id: camille.id })
      .orderBy('step_code')
      .select('academic_year', 'faculty_code', 'step_code');
    expect(camilleEnrolments).toEqual([
      { academic_year: '2030-2031', faculty_code: 'SCI', step_code: 'L3INFO' },
      { academic_year: '2030-2031', faculty_code: 'SCI', step_code: 'M1MATH' },
    ]);
    expect(await knex('study_step').where({ code: 'M1MATH' }).first()).toEqual({ code: 'M1MATH', label: 'Master 1 Mathématiques', faculty_code: 'SCI' });
    expect(await knex('faculty').where({ code: 'LET' }).first()).toEqual({ code: 'LET', label: 'UFR Lettres' });
    expect((await knex('student').where({ student_number: '22100001' }).first()).mobile_phone).toBe('07 00 00 00 01');

    const entry = await knex('audit_log').where({ action: 'directory.import' }).orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ actor_login: 'admin', entity: 'students' });
    expect(entry.after).toMatchObject({ file: 'etudiants.csv', counts: { students: { created: 2, updated: 1, unchanged: 0 }, enrolments: { created: 4 } } });

    const snapshot = await directorySnapshot(knex);
    const again = await post('students', csv(STUDENT_HEADER, validStudents), 200);
    expect(again.text).toMatch(/<th scope="row">Étudiants<\/th>\s*<td class="numeric">0<\/td>\s*<td class="numeric">0<\/td>\s*<td class="numeric">3<\/td>/);
    expect({ ...(await directorySnapshot(knex)), imports: snapshot.imports }).toEqual(snapshot);

    const renamed = validStudents.map((row) =>
      row.student_number === '30000002' ? { ...row, login: 'etu.roux2', email: 'jules.roux@etu.univ-demo.fr' } : row,
    );
    const updated = await post('students', csv(STUDENT_HEADER, renamed), 200);
    expect(updated.text).toMatch(/<th scope="row">Étudiants<\/th>\s*<td class="numeric">0<\/td>\s*<td class="numeric">1<\/td>\s*<td class="numeric">2<\/td>/);
    expect(await knex('student').where({ student_number: '30000002' }).first()).toMatchObject({ login: 'etu.roux2', email: 'jules.roux@etu.univ-demo.fr' });
    expect(await countOf(knex, 'student')).toBe(studentsBefore + 2);

    const history = await admin.get('/admin/imports').expect(200);
    expect(history.text).toContain('Derniers imports');
    expect(history.text).toContain('Étudiants : 0 créé(s), 1 mis à jour, 2 inchangé(s)');
  });

  it('imports teachers and staff, matched by login', async () => {
    const teachers = await post('teachers', teachersCsv, 200, 'enseignants.csv');
    expect(teachers.text).toMatch(/<th scope="row">Enseignants<\/th>\s*<td class="numeric">1<\/td>\s*<td class="numeric">1<\/td>/);
    expect(await testApp.knex('teacher').where({ login: 'prof.martin' }).first()).toMatchObject({ phone: '01 40 00 11 11', department: 'Informatique' });
    expect(await testApp.knex('teacher').where({ login: 'prof.leroy' }).first()).toMatchObject({ last_name: 'Leroy', phone: null });

    const staff = await post('staff', staffCsv, 200, 'personnels.csv');
    expect(staff.text).toMatch(/<th scope="row">Personnels<\/th>\s*<td class="numeric">1<\/td>/);
    expect(await testApp.knex('staff').where({ login: 'gest.lettres' }).first()).toMatchObject({ department: 'Scolarité Lettres' });
  });

  it('accepts a byte-order mark and the comma separator', async () => {
    const file = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('LOGIN,Last_Name,first_name,department\r\nprof.moulin,Moulin,"Anne, Marie","Physique"\r\n'),
    ]);
    const page = await post('teachers', file, 200, 'enseignants.csv');
    expect(page.text).toContain('Import terminé');
    expect(await testApp.knex('teacher').where({ login: 'prof.moulin' }).first()).toMatchObject({ first_name: 'Anne, Marie', department: 'Physique' });
  });

  it('rejects a file with broken lines, lists each line with its reasons, and writes nothing', async () => {
    // An address without separator, so that no quote of a valid value closes the quote left open on line 10.
    const base = { ...validStudents[0]!, student_number: '30000010', login: 'etu.valide', address: 'Bâtiment B' };
    const good = csv(STUDENT_HEADER, [base]).split('\r\n')[1]!;
    const line = (changes: Record<string, string>) => csv(STUDENT_HEADER, [{ ...base, ...changes }]).split('\r\n')[1]!;
    const file = [
      STUDENT_HEADER.join(';'),
      good, // 2
      line({ student_number: '30000011', login: 'etu.sansnom', last_name: '' }), // 3
      line({ student_number: '30000012', login: 'etu.mail', email: 'pas-une-adresse' }), // 4
      line({ student_number: '30000013', login: 'etu.date', birth_date: '31/02/2024' }), // 5
      good.split(';').slice(1).join(';'), // 6: a value missing
      line({ student_number: '30000015' }), // 7: login of line 2, another student number
      line({ student_number: '30000016', login: 'etu.quote' }).replace('Lambert', '"Lam"bert'), // 8
      line({ student_number: '30000017', login: 'etu.ok' }), // 9
      line({ student_number: '30000018', login: 'etu.ouvert' }).replace('Lambert', '"Lambert'), // 10: never closed
      line({ student_number: '30000019', login: 'etu.apres' }), // 11: swallowed by the open quote
    ].join('\n');
    const before = await directorySnapshot(testApp.knex);

    const page = await post('students', file, 422);
    expect(page.text).toContain('Aucune donnée n’a été enregistrée : 7 ligne(s)');
    const rejected = [...page.text.matchAll(/<th scope="row" class="numeric">(\d+)<\/th>\s*<td>([\s\S]*?)<\/td>/g)].map(
      (match) => [Number(match[1]), match[2]!.replace(/\s+/g, ' ')] as const,
    );
    expect(rejected.map(([number]) => number)).toEqual([3, 4, 5, 6, 7, 8, 10]);
    const reasons = new Map(rejected);
    expect(reasons.get(3)).toContain('last_name : Ce champ est obligatoire.');
    expect(reasons.get(4)).toContain('email : Adresse e-mail invalide');
    expect(reasons.get(5)).toContain('birth_date : Date inexistante ou mal écrite : « 31/02/2024 »');
    expect(reasons.get(6)).toContain('17 valeur(s) au lieu de 18');
    expect(reasons.get(7)).toContain('L’identifiant « etu.valide » est déjà utilisé ligne 2 par le numéro d’étudiant 30000010.');
    expect(reasons.get(8)).toContain('Du texte suit un guillemet fermant');
    expect(reasons.get(10)).toContain('jamais fermé');

    expect(await directorySnapshot(testApp.knex)).toEqual(before);
  });

  it('shows the first 500 rejected lines and says how many more there are', async () => {
    const lines = Array.from({ length: 501 }, (_, index) => `prof.sans${index};;Paul`);
    const page = await post('teachers', ['login;last_name;first_name', ...lines].join('\n'), 422, 'enseignants.csv');
    expect(page.text.match(/<th scope="row" class="numeric">/g)).toHaveLength(500);
    expect(page.text).toContain('… et 1 autre(s) ligne(s) rejetée(s), non affichées.');
  });

  it('refuses a request without a file, an empty file, a binary file, a file too large or an unknown kind', async () => {
    const before = await directorySnapshot(testApp.knex);
    const token = await csrfTokenFrom(admin, '/admin/imports');

    const noFile = await admin.post('/admin/imports').field('_csrf', token).field('kind', 'students').expect(400);
    expect(noFile.text).toMatch(/<p class="field__error" id="field-file-error">Choisissez le fichier CSV à importer.<\/p>/);
    expect(noFile.text).toContain('aria-invalid="true"');

    const empty = await post('students', Buffer.alloc(0), 400);
    expect(empty.text).toContain('Le fichier est vide.');

    const headerOnly = await post('students', `${STUDENT_HEADER.join(';')}\r\n`, 400);
    expect(headerOnly.text).toContain('Le fichier ne contient que la ligne d’en-tête');

    const binary = await post('students', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), 415, 'etudiants.xlsx');
    expect(binary.text).toContain('n’est pas un fichier texte CSV');

    const latin1 = await post('teachers', Buffer.from('login;last_name;first_name\nprof.x;Hélène;Zoé\n', 'latin1'), 415);
    expect(latin1.text).toContain('n’est pas encodé en UTF-8');

    const tooLarge = await post('students', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'), 413);
    expect(tooLarge.text).toContain('Le fichier dépasse 5 Mo.');

    const unknownKind = await post('eleves', csv(STUDENT_HEADER, validStudents), 400);
    expect(unknownKind.text).toMatch(/id="field-kind-error">Choisissez l’annuaire à importer/);

    expect(await directorySnapshot(testApp.knex)).toEqual(before);
  });

  it('refuses a post without its CSRF token, or with a forged one', async () => {
    const before = await directorySnapshot(testApp.knex);
    const withoutToken = await admin.post('/admin/imports').field('kind', 'teachers').attach('file', Buffer.from(teachersCsv), 'enseignants.csv').expect(403);
    expect(withoutToken.text).toContain('Le formulaire a expiré');
    await admin
      .post('/admin/imports')
      .field('_csrf', 'forged')
      .field('kind', 'teachers')
      .attach('file', Buffer.from(teachersCsv), 'enseignants.csv')
      .expect(403);
    expect(await directorySnapshot(testApp.knex)).toEqual(before);
  });
});

describe('rights on the administration pages', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it.each(['gest.sciences', 'resp.sciences', 'lect.sciences', 'etu.sciences1', 'prof.martin'])('refuses %s (403) and writes nothing', async (login) => {
    const agent = await testApp.signIn(login);
    const home = await agent.get('/').expect(200);
    expect(home.text).not.toContain('href="/admin"');
    await agent.get('/admin').expect(403);
    await agent.get('/admin/imports').expect(403);

    const before = await countOf(testApp.knex, 'teacher');
    const token = await csrfTokenFrom(agent, '/');
    const refused = await agent
      .post('/admin/imports')
      .field('_csrf', token)
      .field('kind', 'teachers')
      .attach('file', Buffer.from(teachersCsv), 'enseignants.csv')
      .expect(403);
    expect(refused.text).toContain('Accès refusé');
    expect(await countOf(testApp.knex, 'teacher')).toBe(before);
  });

  it('sends anonymous visitors to sign-in', async () => {
    for (const path of ['/admin', '/admin/imports']) {
      const page = await testApp.anonymous().get(path).expect(302);
      expect(page.headers.location).toBe(`/auth/login?returnTo=${encodeURIComponent(path)}`);
    }
    await testApp.anonymous().post('/admin/imports').field('kind', 'teachers').attach('file', Buffer.from(teachersCsv), 'enseignants.csv').expect(401);
  });
});
