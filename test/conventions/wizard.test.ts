import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOffer, demoHost } from '../offers/support.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import {
  completeWizard,
  contactFields,
  enrolmentOf,
  expectRedirect,
  hostFields,
  internshipFields,
  post,
  postStep,
  serviceFields,
  studentFields,
} from './support.ts';

/** The eight-step wizard through HTTP, as a student and as staff. */
describe('the convention wizard', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('lets a student create a complete convention and get its number', async () => {
    const agent = await app.signIn('etu.sciences1');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('href="/conventions"');
    const list = await agent.get('/conventions').expect(200);
    expect(list.text).toContain('href="/conventions/new"');
    const instructions = await agent.get('/conventions/new').expect(200);
    expect(instructions.text).toContain('SIRET');
    expect(instructions.text).toContain('href="/conventions/new/student"');

    const { number } = await completeWizard(agent, app.knex, { login: 'etu.sciences1', create: true, supervisor: 'prof.martin' });
    const page = await agent.get(`/conventions/${number}`).expect(200);
    expect(page.text).toContain(`La convention a été créée sous le numéro ${number}.`);
    expect(page.text).toContain('Créée, en attente de validation');
    expect(page.text).toContain('Laboratoire Exemple');
    expect(page.text).toContain('Tina Tutrice');
    expect(page.text).toContain('Jeanne Martin');

    const row = await app.knex('convention').where({ number }).first();
    expect(row.status).toBe('submitted');
    expect(row.entered_by_staff).toBe(false);
    expect(row.submitted_by).toBe('etu.sciences1');
    expect(row.total_presence_minutes).toBeGreaterThan(308 * 60);
    expect(row.gratification_amount_cents).toBe(450);
    expect(row.days_per_week).toBe('5.0');
    expect(row.hours_per_week).toBe('35.00');
    const centre = await app.knex('centre').where({ id: row.centre_id }).first('name');
    expect(centre.name).toBe('UFR Sciences et techniques');
    const host = await app.knex('host').where({ id: row.host_id }).first();
    expect(host.to_check).toBe(true);
    expect(host.siret).toBe('73282932000074');

    // Every change is in the audit log.
    const actions = await app
      .knex('audit_log')
      .where({ entity: 'convention', entity_id: String(row.id) })
      .orderBy('id')
      .pluck('action');
    expect(actions).toEqual([
      'convention.draft.create',
      'convention.host.update',
      'convention.service.update',
      'convention.tutor.update',
      'convention.internship.update',
      'convention.internship.confirm',
      'convention.supervisor.update',
      'convention.signatory.update',
      'convention.submit',
    ]);

    const after = await agent.get('/conventions').expect(200);
    expect(after.text).toContain(`href="/conventions/${number}"`);
  });

  it('numbers conventions from a sequence, each number once', async () => {
    const agent = await app.signIn('etu.sciences1');
    const first = await completeWizard(agent, app.knex, {
      login: 'etu.sciences1',
      create: true,
      host: { siret: '', name: 'Organisme étranger', country_code: 'DE', postal_code: '10115', town: 'Berlin', phone: '+49 30 1234567' },
      internship: {
        start_date: '2027-07-05',
        end_date: '2027-07-30',
        gratification: 'no',
        gratification_amount: '',
        gratification_per: '',
        gratification_basis: '',
        gratification_payment_mode: '',
        internship_country: 'DE',
        print_language: 'de',
        gratification_currency: '',
      },
    });
    const numbers = (await app.knex('convention').whereNotNull('number').orderBy('number').pluck('number')) as number[];
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(first.number).toBe(Math.max(...numbers));
  });

  it('lets WRITE staff create a convention for a student of their centre found by number or name', async () => {
    const staff = await app.signIn('gest.sciences');
    const { studentId } = await enrolmentOf(app.knex, 'etu.sciences2');
    const { studentId: droitStudent } = await enrolmentOf(app.knex, 'etu.droit1');

    const start = await staff.get('/conventions/new/student').expect(200);
    expect(start.text).toContain('name="search"');
    const byName = await staff.get('/conventions/new/student?search=nguyen').expect(200);
    expect(byName.text).toContain(`href="/conventions/new/student?student=${studentId}"`);
    const byNumber = await staff.get('/conventions/new/student?search=22100002').expect(200);
    expect(byNumber.text).toContain(`?student=${studentId}`);
    // A student of another centre is not found, and cannot be reached by address.
    const other = await staff.get('/conventions/new/student?search=garcia').expect(200);
    expect(other.text).toContain('Aucun étudiant de vos centres');
    await staff.get(`/conventions/new/student?student=${droitStudent}`).expect(404);

    const form = await staff.get(`/conventions/new/student?student=${studentId}`).expect(200);
    expect(form.text).toContain('Nguyen');
    const { number } = await completeWizard(staff, app.knex, { login: 'etu.sciences2', studentId, create: true });
    const row = await app.knex('convention').where({ number }).first();
    expect(row.entered_by_staff).toBe(true);
    expect(row.student_id).toBe(studentId);

    // The student finds it in their list.
    const student = await app.signIn('etu.sciences2');
    const list = await student.get('/conventions').expect(200);
    expect(list.text).toContain(`href="/conventions/${number}"`);
  });

  it('keeps what was typed when going back and forth', async () => {
    const agent = await app.signIn('etu.sciences1');
    const { base } = await completeWizard(agent, app.knex, {
      login: 'etu.sciences1',
      internship: { interruption_1_start: '2027-04-12', interruption_1_end: '2027-04-16' },
    });

    const internship = await agent.get(`${base}/internship`).expect(200);
    expect(internship.text).toContain('value="Développement d’un outil de suivi"');
    expect(internship.text).toContain('name="hours_per_week" value="35"');
    expect(internship.text).toContain('name="gratification_amount" value="4.50"');
    expect(internship.text).toContain('name="interruption_1_start" value="2027-04-12"');
    expect(internship.text).toMatch(/<option value="5"\s*selected>/);
    const student = await agent.get(`${base}/student`).expect(200);
    expect(student.text).toContain('lea.moreau@example.org');
    expect(student.text).toContain('10 rue des Écoles');
    const host = await agent.get(`${base}/host`).expect(200);
    expect(host.text).toContain('Laboratoire Exemple');
    expect(host.text).toContain(`href="${base}/student"`);

    // Changing step 1 keeps the later steps.
    const { id: enrolmentId } = await enrolmentOf(app.knex, 'etu.sciences1');
    expectRedirect(
      await postStep(agent, base, 'student', { ...studentFields(enrolmentId), student_town: 'Lyon', student_postal_code: '69001' }),
      `${base}/host`,
    );
    const saved = await app
      .knex('convention')
      .where({ id: Number(base.split('/').pop()) })
      .first();
    expect(saved.student_town).toBe('Lyon');
    expect(saved.host_id).not.toBeNull();
    expect(saved.completed_steps).toEqual(expect.arrayContaining(['student', 'host', 'service', 'tutor', 'internship', 'supervisor', 'signatory']));
  });

  it('shows the current and the completed steps', async () => {
    const agent = await app.signIn('etu.sciences1');
    const { id } = await enrolmentOf(app.knex, 'etu.sciences1');
    const base = expectRedirect(await post(agent, '/conventions/new/student', studentFields(id), '/conventions/new/student')).replace(/\/host$/, '');
    const page = await agent.get(`${base}/host`).expect(200);
    expect(page.text).toContain('<nav class="steps" aria-label="Étapes">');
    expect(page.text).toMatch(/<span aria-current="step"><span class="steps__number">2<\/span> Établissement d’accueil<\/span>/);
    expect(page.text).toMatch(
      /<a href="[^"]+\/student"><span class="steps__number">1<\/span> Étudiant<\/a>\s*<span class="visually-hidden">\(étape terminée\)<\/span>/,
    );
    // The service cannot be chosen before the host.
    expect(page.text).not.toContain(`href="${base}/service"`);
  });

  it('finds a draft again after signing out and in', async () => {
    let agent = await app.signIn('etu.sciences2');
    const { id } = await enrolmentOf(app.knex, 'etu.sciences2');
    const base = expectRedirect(
      await post(agent, '/conventions/new/student', { ...studentFields(id), student_address: '3 impasse du Brouillon' }, '/conventions/new/student'),
    ).replace(/\/host$/, '');
    await post(agent, '/auth/logout', {}, '/conventions');
    expect((await agent.get('/conventions')).status).toBe(302);

    agent = await app.signIn('etu.sciences2');
    const list = await agent.get('/conventions').expect(200);
    expect(list.text).toContain(`href="${base}/summary"`);
    expect(list.text).toContain('Reprendre le brouillon');
    const summary = await agent.get(`${base}/summary`).expect(200);
    expect(summary.text).toContain('3 impasse du Brouillon');
    const student = await agent.get(`${base}/student`).expect(200);
    expect(student.text).toContain('3 impasse du Brouillon');
  });

  it('clears the service, tutor and signatory when the host changes, and the tutor when the service changes', async () => {
    const agent = await app.signIn('etu.sciences1');
    const { base } = await completeWizard(agent, app.knex, { login: 'etu.sciences1' });
    const id = Number(base.split('/').pop());
    // A signatory, then a second service of the same host.
    expectRedirect(
      await postStep(
        agent,
        base,
        'signatory/new',
        contactFields({ last_name: 'Signataire', first_name: 'Sam', service_id: String((await app.knex('convention').where({ id }).first()).service_id) }),
        `${base}/signatory/new`,
      ),
    );
    let row = await app.knex('convention').where({ id }).first();
    expect(row.signatory_id).not.toBeNull();
    expect(row.tutor_id).not.toBeNull();

    expectRedirect(await postStep(agent, base, 'service/new', serviceFields({ name: 'Autre service' }), `${base}/service/new`), `${base}/tutor`);
    row = await app.knex('convention').where({ id }).first();
    expect(row.tutor_id).toBeNull();
    expect(row.signatory_id).not.toBeNull();
    expect(row.completed_steps).not.toContain('tutor');

    expectRedirect(
      await postStep(
        agent,
        base,
        'host/new',
        hostFields({ name: 'Deuxième organisme', siret: '', country_code: 'BE', postal_code: '1000', town: 'Bruxelles', phone: '+32 2 123 45 67' }),
        `${base}/host/new`,
      ),
      `${base}/service`,
    );
    row = await app.knex('convention').where({ id }).first();
    expect(row.service_id).toBeNull();
    expect(row.tutor_id).toBeNull();
    expect(row.signatory_id).toBeNull();
    expect(row.completed_steps).not.toContain('service');
    expect(row.completed_steps).toContain('internship');

    // Choosing the same host again changes nothing else.
    const hostId = row.host_id;
    expectRedirect(await postStep(agent, base, 'service/new', serviceFields({ name: 'Accueil' }), `${base}/service/new`));
    expectRedirect(await postStep(agent, base, 'host', { host_id: String(hostId) }, `${base}/service/new`), `${base}/service`);
    row = await app.knex('convention').where({ id }).first();
    expect(row.service_id).not.toBeNull();
  });

  it('finds hosts of the directory from step 2 and picks one', async () => {
    const agent = await app.signIn('etu.sciences1');
    const { id } = await enrolmentOf(app.knex, 'etu.sciences1');
    const base = expectRedirect(await post(agent, '/conventions/new/student', studentFields(id), '/conventions/new/student')).replace(/\/host$/, '');
    const search = await agent.get(`${base}/host?name=laboratoire`).expect(200);
    const host = await app.knex('host').where({ name: 'Laboratoire Exemple' }).first('id');
    expect(search.text).toContain(`selected=${host.id}`);
    const selected = await agent.get(`${base}/host?name=laboratoire&selected=${host.id}`).expect(200);
    expect(selected.text).toContain('Choisir Laboratoire Exemple');
    expectRedirect(await postStep(agent, base, 'host', { host_id: String(host.id) }, `${base}/host?name=laboratoire&selected=${host.id}`), `${base}/service`);
    const services = await agent.get(`${base}/service`).expect(200);
    expect(services.text).toContain('Service informatique');
  });

  it('lets the owner and WRITE staff edit a created convention through its tabs', async () => {
    const agent = await app.signIn('etu.sciences1');
    const { number } = await completeWizard(agent, app.knex, {
      login: 'etu.sciences1',
      create: true,
      internship: { start_date: '2027-09-06', end_date: '2027-10-29' },
    });
    const base = `/conventions/${number}`;
    const tab = await agent.get(`${base}/internship`).expect(200);
    expect(tab.text).toContain('<nav class="tabs" aria-label="Parties de la convention">');
    expect(tab.text).toContain('aria-current="page">Stage</a>');
    expectRedirect(
      await postStep(agent, base, 'internship', internshipFields({ start_date: '2027-09-06', end_date: '2027-10-29', subject: 'Sujet modifié' })),
      `${base}/internship/confirm`,
    );
    expectRedirect(await postStep(agent, base, 'internship/confirm', {}), `${base}/internship`);
    const staff = await app.signIn('gest.sciences');
    expectRedirect(
      await postStep(staff, base, 'supervisor', { supervisor_teacher_id: String((await app.knex('teacher').where({ login: 'prof.petit' }).first('id')).id) }),
      `${base}/supervisor`,
    );
    const row = await app.knex('convention').where({ number }).first();
    expect(row.subject).toBe('Sujet modifié');
    expect(row.status).toBe('submitted');
    const saved = await staff.get(`${base}/supervisor`).expect(200);
    expect(saved.text).toContain('Modifications enregistrées.');
    expect(saved.text).toContain('Nadia Petit');
  });

  it('lets the owner cancel, and the owner or WRITE staff delete, with an audit row', async () => {
    const agent = await app.signIn('etu.sciences1');
    const { number } = await completeWizard(agent, app.knex, {
      login: 'etu.sciences1',
      create: true,
      internship: { start_date: '2028-01-10', end_date: '2028-02-04' },
    });
    const base = `/conventions/${number}`;
    await agent.get(`${base}/cancel`).expect(200);
    expectRedirect(await postStep(agent, base, 'cancel', {}, `${base}/cancel`), base);
    const cancelled = await app.knex('convention').where({ number }).first();
    expect(cancelled.status).toBe('cancelled');
    // A cancelled convention is no longer edited.
    const tab = await agent.get(`${base}/student`).expect(200);
    expect(tab.text).not.toContain(`action="${base}/student"`);

    const staff = await app.signIn('gest.sciences');
    expectRedirect(await post(staff, `${base}/delete`, {}, `${base}/delete`), '/conventions');
    expect(await app.knex('convention').where({ number }).first()).toBeUndefined();
    const deletion = await app
      .knex('audit_log')
      .where({ action: 'convention.delete', entity_id: String(cancelled.id) })
      .first();
    expect(deletion.actor_login).toBe('gest.sciences');
    expect(deletion.before.number).toBe(number);
    await agent.get(base).expect(404);
  });
});

describe('the offer hook of step 1', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('links the convention to an offer published for the student, pre-selecting the host and the activities', async () => {
    const staff = await app.signIn('gest.sciences');
    const offerId = await createOffer(staff, app.knex, { title: 'Stage robotique sous-marine', missions: 'Tâches de l’offre', publish_now: 'on', months: '2' });
    const { hostId } = await demoHost(app.knex);

    const agent = await app.signIn('etu.sciences1');
    const form = await agent.get('/conventions/new/student').expect(200);
    expect(form.text).toContain('Le stage répond-il à une offre publiée ?');
    const { id } = await enrolmentOf(app.knex, 'etu.sciences1');
    const unknown = await post(agent, '/conventions/new/student', { ...studentFields(id), offer_reference: 'inconnue' }, '/conventions/new/student');
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Aucune offre publiée ne correspond');
    const linked = await post(agent, '/conventions/new/student', { ...studentFields(id), offer_reference: String(offerId) }, '/conventions/new/student');
    const target = expectRedirect(linked, /^\/conventions\/drafts\/\d+\/service$/);
    const row = await app
      .knex('convention')
      .where({ id: Number(target.split('/')[3]) })
      .first();
    expect(row).toMatchObject({ offer_id: offerId, host_id: hostId, activities: 'Tâches de l’offre' });
    expect(row.completed_steps).toEqual(['student', 'host']);

    // A title keyword of 5 characters or more finds it too.
    const byTitle = await post(agent, '/conventions/new/student', { ...studentFields(id), offer_reference: 'robotique' }, '/conventions/new/student');
    expectRedirect(byTitle, /^\/conventions\/drafts\/\d+\/service$/);
  });

  it('lets staff link the convention they enter to an offer, among those published for the student', async () => {
    const sciences = await app.signIn('gest.sciences');
    const forSciences = await createOffer(sciences, app.knex, { title: 'Stage capteurs connectés', publish_now: 'on', months: '2' });
    const droit = await app.signIn('gest.droit');
    const { id, studentId } = await enrolmentOf(app.knex, 'etu.droit1');
    const newPage = `/conventions/new/student?student=${studentId}`;
    const fields = { ...studentFields(id), student_id: String(studentId) };
    // gest.droit may not see it, and etu.droit1 is not among its audience: refused.
    const refused = await post(droit, '/conventions/new/student', { ...fields, offer_reference: String(forSciences) }, newPage);
    expect(refused.status).toBe(422);
    const forDroit = await createOffer(sciences, app.knex, {
      title: 'Stage capteurs pour juristes',
      missions: 'Rédiger les conditions d’usage des capteurs',
      publish_now: 'on',
      months: '2',
      all_centres: 'on',
    });
    const linked = await post(droit, '/conventions/new/student', { ...fields, offer_reference: String(forDroit) }, newPage);
    const target = expectRedirect(linked, /^\/conventions\/drafts\/\d+\/service$/);
    expect(
      await app
        .knex('convention')
        .where({ id: Number(target.split('/')[3]) })
        .first('offer_id', 'activities'),
    ).toEqual({ offer_id: forDroit, activities: 'Rédiger les conditions d’usage des capteurs' });
  });

  it('never links a student to an offer not published for their centre', async () => {
    const staff = await app.signIn('gest.sciences');
    const offerId = await createOffer(staff, app.knex, { title: 'Stage réservé aux sciences', publish_now: 'on', months: '2' });
    const agent = await app.signIn('etu.droit1');
    const { id } = await enrolmentOf(app.knex, 'etu.droit1');
    const refused = await post(agent, '/conventions/new/student', { ...studentFields(id), offer_reference: String(offerId) }, '/conventions/new/student');
    expect(refused.status).toBe(422);
    expect(await app.knex('convention').where({ offer_id: offerId }).count({ count: '*' }).first()).toEqual({ count: 0 });
  });
});
