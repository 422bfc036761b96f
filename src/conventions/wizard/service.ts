import { openConvention, type ConventionAccess, type OpenConvention, type StepName } from '../shared/open.ts';
import type { Db } from '../../db/knex.ts';
import type { Knex } from 'knex';
import { audit } from '../../audit/audit-log.ts';
import { effectiveOtherConventionFacts } from '../amendments/repository.ts';
import { resolveCentreForEnrolments } from '../../centres/resolution.ts';
import type { Actor } from '../../access/actor.ts';
import { entersConventionsFor, isTheStudent, mayUseEnrolment, startsConventionsAsStaff } from '../../access/policy.ts';
import type { ChangeContext } from '../../audit/audit-log.ts';
import { t } from '../../i18n/index.ts';
import type { ConventionCheckResult } from '../../rules/convention-checks.ts';
import { ForbiddenError, NotFoundError, RuleViolation, StaleVersionError } from '../../errors.ts';
import { ConventionWarningsError } from '../shared/errors.ts';
import type { OfferMatch } from './offer-hook.ts';
import { issuesAsErrors, loadLegalParameters, runChecks, type InternshipValues } from '../shared/legal.ts';
import {
  lockAtVersion,
  currentInternCount,
  deleteConventionRow,
  enrolmentsOf,
  findStudent,
  findTeacher,
  insertConvention,
  insertTransition,
  INTERNSHIP_COLUMNS,
  nextConventionNumber,
  otherConventionFacts,
  replaceInterruptions,
  searchStudents,
  STUDENT_COLUMNS,
  updateConvention,
  type ConventionDetails,
  type ConventionKey,
  type EnrolmentRow,
  type StudentCandidate,
} from '../shared/repository.ts';
import type { InternshipStep, StudentStep } from '../shared/schemas.ts';
import { maskedForAudit } from '../../privacy/nir.ts';
import { todayInFrance } from '../../rules/academic-year.ts';
import { decide, workflowRoleOf } from '../shared/workflow.ts';
import { queueNotifications } from '../../notifications/queue.ts';

// ---------------------------------------------------------------------------------------------------
// Who may create a convention for whom
// ---------------------------------------------------------------------------------------------------

export interface EnrolmentChoice extends EnrolmentRow {
  centreId: number;
  centreName: string;
  /** Whether the actor may put a convention on this enrolment. */
  allowed: boolean;
}

async function enrolmentChoices(db: Db, actor: Actor, studentId: number, purpose: 'create' | 'edit'): Promise<EnrolmentChoice[]> {
  const enrolments = await enrolmentsOf(db, [studentId]);
  const centres = await resolveCentreForEnrolments(
    db,
    enrolments.map((enrolment) => ({ facultyCode: enrolment.faculty_code, stepCode: enrolment.step_code })),
  );
  const ids = [...new Set(centres.map((centre) => centre.id))];
  const settings = new Map(
    ((await db('centre').whereIn('id', ids).select('id', 'students_may_create')) as { id: number; students_may_create: boolean }[]).map((row) => [
      row.id,
      row.students_may_create,
    ]),
  );
  return enrolments.map((enrolment, index) => {
    const centre = centres[index]!;
    const allowed = mayUseEnrolment(actor, studentId, centre.id, purpose, settings.get(centre.id) === true);
    return { ...enrolment, centreId: centre.id, centreName: centre.name, allowed };
  });
}

export interface CreationStart {
  /** The student the convention is for, when known. */
  student: Awaited<ReturnType<typeof findStudent>>;
  enrolments: EnrolmentChoice[];
  /** Staff choose the student first. */
  asStaff: boolean;
}

/**
 * What the first step needs for a new convention: the student (the actor, or the one staff chose)
 * and the enrolments the actor may use. Refused when the actor may create nothing for that student.
 */
export async function creationStart(db: Db, actor: Actor, chosenStudentId: number | null): Promise<CreationStart> {
  const asStaff = startsConventionsAsStaff(actor);
  const studentId = chosenStudentId ?? (asStaff ? null : actor.studentId);
  if (studentId === null) {
    if (!asStaff) throw new ForbiddenError();
    return { student: undefined, enrolments: [], asStaff };
  }
  if (!asStaff && !isTheStudent(actor, studentId)) throw new NotFoundError('convention');
  const student = await findStudent(db, studentId);
  if (!student) throw new NotFoundError('convention');
  const enrolments = await enrolmentChoices(db, actor, studentId, 'create');
  if (!enrolments.some((enrolment) => enrolment.allowed)) {
    // Staff asking for a student of another centre learn nothing about that student.
    if (!isTheStudent(actor, studentId)) throw new NotFoundError('convention');
    throw new ForbiddenError('conventions.errors.creationClosed');
  }
  return { student, enrolments, asStaff: !isTheStudent(actor, studentId) };
}

export interface StudentSearchResult extends StudentCandidate {
  enrolments: EnrolmentChoice[];
}

const STUDENT_SEARCH_LIMIT = 20;

/** Students found by number or name whose enrolment belongs to one of the actor's WRITE centres. */
export async function searchStudentsForStaff(db: Db, actor: Actor, search: string): Promise<{ students: StudentSearchResult[]; truncated: boolean }> {
  if (!startsConventionsAsStaff(actor)) throw new ForbiddenError();
  const candidates = await searchStudents(db, search, 200);
  const enrolments = await enrolmentsOf(
    db,
    candidates.map((candidate) => candidate.id),
  );
  const centres = await resolveCentreForEnrolments(
    db,
    enrolments.map((enrolment) => ({ facultyCode: enrolment.faculty_code, stepCode: enrolment.step_code })),
  );
  const allowedByStudent = new Map<number, EnrolmentChoice[]>();
  enrolments.forEach((enrolment, index) => {
    const centre = centres[index]!;
    if (!entersConventionsFor(actor, centre.id)) return;
    allowedByStudent.set(enrolment.student_id, [
      ...(allowedByStudent.get(enrolment.student_id) ?? []),
      { ...enrolment, centreId: centre.id, centreName: centre.name, allowed: true },
    ]);
  });
  const students = candidates
    .filter((candidate) => allowedByStudent.has(candidate.id))
    .map((candidate) => ({ ...candidate, enrolments: allowedByStudent.get(candidate.id)! }));
  return { students: students.slice(0, STUDENT_SEARCH_LIMIT), truncated: students.length > STUDENT_SEARCH_LIMIT };
}

/** The enrolments offered on step 1 of an existing convention. */
export async function enrolmentsForConvention(db: Db, actor: Actor, convention: ConventionDetails): Promise<EnrolmentChoice[]> {
  const choices = await enrolmentChoices(db, actor, convention.student_id, convention.status === 'draft' ? 'create' : 'edit');
  return choices.map((choice) => (choice.id === convention.enrolment_id ? { ...choice, allowed: true } : choice));
}

// ---------------------------------------------------------------------------------------------------
// Saving steps
// ---------------------------------------------------------------------------------------------------

/**
 * Holds the row of a convention the route has already opened (and authorised) until the end of the
 * transaction, if nobody saved it since `version`: the opened values are then those of the row.
 */
async function lockOpened(trx: Knex.Transaction, opened: OpenConvention, version: number): Promise<OpenConvention> {
  if (opened.convention.version !== version || !(await lockAtVersion(trx, opened.convention.id, version))) throw new StaleVersionError();
  return opened;
}

const withStep = (steps: readonly string[], step: string) => (steps.includes(step) ? [...steps] : [...steps, step]);
const withoutSteps = (steps: readonly string[], ...removed: string[]) => steps.filter((step) => !removed.includes(step));

function changedColumns(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(after)) {
    if (JSON.stringify(before[column] ?? null) !== JSON.stringify(value ?? null)) {
      was[column] = before[column] ?? null;
      now[column] = value ?? null;
    }
  }
  return { before: was, after: now };
}

async function record(trx: Knex.Transaction, context: ChangeContext, action: string, conventionId: number, before?: unknown, after?: unknown): Promise<void> {
  await audit(trx, {
    actorLogin: context.actor.login,
    requestId: context.requestId,
    action,
    entity: 'convention',
    entityId: conventionId,
    before: maskedForAudit(before),
    after: maskedForAudit(after),
  });
}

/**
 * Saves columns of an opened convention in the transaction, if nobody saved it since `version`, and
 * records the change (only the columns that changed) in the audit log.
 */
async function save(
  trx: Knex.Transaction,
  context: ChangeContext,
  convention: ConventionDetails,
  version: number,
  action: string,
  columns: Record<string, unknown>,
): Promise<void> {
  if (convention.version !== version) throw new StaleVersionError();
  const saved = await updateConvention(trx, convention.id, version, columns, context.actor.login);
  if (!saved) throw new StaleVersionError();
  const change = changedColumns(convention as unknown as Record<string, unknown>, columns);
  await record(trx, context, action, convention.id, change.before, change.after);
  // The centre and the supervisor hear of a student's change to a created convention; the
  // internship step is announced once, by its confirmation, which always follows it.
  const byStudent = convention.number !== null && isTheStudent(context.actor, convention.student_id);
  if (byStudent && !STUDENT_CHANGE_SILENT.has(action) && Object.keys(change.after).length > 0) {
    await queueNotifications(trx, { kind: 'changed_by_student', conventionId: convention.id, actorLogin: context.actor.login });
  }
}

const STUDENT_CHANGE_SILENT: ReadonlySet<string> = new Set(['convention.cancel', 'convention.internship.update', 'convention.submit']);

function studentColumns(values: StudentStep): Record<string, unknown> {
  const columns: Record<string, unknown> = Object.fromEntries(STUDENT_COLUMNS.map((column) => [column, values[column]]));
  // Absent when the institution does not collect it: a NIR entered before it was turned off stays.
  if (values.social_security_number !== undefined) columns.social_security_number = values.social_security_number;
  return columns;
}

/**
 * Step 1 of a new convention: creates the draft, on the centre of the chosen enrolment, linked to the
 * offer it answers if any — in one transaction, so that no draft is left without its offer. Returns its id.
 */
export async function createDraft(
  knex: Knex,
  context: ChangeContext,
  studentId: number,
  values: StudentStep,
  offer: OfferMatch | null = null,
): Promise<number> {
  return knex.transaction(async (trx) => {
    const start = await creationStart(trx, context.actor, studentId);
    const enrolment = start.enrolments.find((choice) => choice.id === values.enrolment_id);
    if (!enrolment?.allowed) throw new RuleViolation({ enrolment_id: t('conventions.errors.enrolmentNotAllowed') });
    const columns = {
      ...studentColumns(values),
      status: 'draft',
      student_id: studentId,
      centre_id: enrolment.centreId,
      academic_year: enrolment.academic_year,
      entered_by_staff: !isTheStudent(context.actor, studentId),
      completed_steps: ['student'],
    };
    const id = await insertConvention(trx, columns, context.actor.login);
    await record(trx, context, 'convention.draft.create', id, undefined, columns);
    if (offer) await attachOffer(trx, context, id, offer);
    return id;
  });
}

export async function saveStudentStep(knex: Knex, context: ChangeContext, opened: OpenConvention, version: number, values: StudentStep): Promise<void> {
  await knex.transaction(async (trx) => {
    const { convention } = await lockOpened(trx, opened, version);
    const choices = await enrolmentsForConvention(trx, context.actor, convention);
    const enrolment = choices.find((choice) => choice.id === values.enrolment_id);
    if (!enrolment?.allowed) throw new RuleViolation({ enrolment_id: t('conventions.errors.enrolmentNotAllowed') });
    await save(trx, context, convention, version, 'convention.student.update', {
      ...studentColumns(values),
      centre_id: enrolment.centreId,
      academic_year: enrolment.academic_year,
      completed_steps: withStep(convention.completed_steps, 'student'),
    });
  });
}

/** What the rules need besides the internship values: the other conventions, the centre, the role. */
async function checkContext(db: Db, context: ChangeContext, open: OpenConvention, withPeople: boolean) {
  const { convention, access } = open;
  const today = context.today ?? todayInFrance();
  // The other conventions count with their effective dates and hours (validated amendments applied).
  const others = await effectiveOtherConventionFacts(db, convention, await otherConventionFacts(db, convention));
  const [tutorInternCount, supervisorInternCount] = withPeople
    ? await Promise.all([
        convention.tutor_id === null ? null : currentInternCount(db, 'tutor_id', convention.tutor_id, convention.id, today),
        convention.supervisor_teacher_id === null
          ? null
          : currentInternCount(db, 'supervisor_teacher_id', convention.supervisor_teacher_id, convention.id, today),
      ])
    : [null, null];
  return { others, overlapsAllowed: convention.centre_overlapping_internships_allowed, role: access.role, today, tutorInternCount, supervisorInternCount };
}

export function savedInternship(convention: ConventionDetails): InternshipValues {
  return {
    start_date: convention.start_date,
    end_date: convention.end_date,
    days_per_week: convention.days_per_week,
    hours_per_week: convention.hours_per_week,
    interruptions: convention.interruptions,
    gratification: convention.gratification,
    gratification_amount_cents: convention.gratification_amount_cents,
    gratification_basis: convention.gratification_basis,
    gratification_per: convention.gratification_per,
  };
}

/**
 * Step 5: the legal checks run on the typed values; a blocking issue refuses the step (nothing saved),
 * otherwise the values and the computed hours of presence are saved, to be confirmed on the next page.
 */
export async function saveInternshipStep(knex: Knex, context: ChangeContext, opened: OpenConvention, version: number, values: InternshipStep): Promise<void> {
  const parameters = await loadLegalParameters(knex);
  await knex.transaction(async (trx) => {
    const open = await lockOpened(trx, opened, version);
    const result = runChecks(values, await checkContext(trx, context, open, false), parameters);
    if (!result || result.blocking.length > 0 || !result.presence) throw new RuleViolation(issuesAsErrors(result?.blocking ?? []));
    const { interruptions, ...rest } = values;
    const columns: Record<string, unknown> = Object.fromEntries(
      INTERNSHIP_COLUMNS.filter((column) => column in rest).map((column) => [column, (rest as Record<string, unknown>)[column]]),
    );
    columns.total_presence_minutes = result.presence.totalMinutes;
    columns.completed_steps = withoutSteps(open.convention.completed_steps, 'internship');
    await save(trx, context, open.convention, version, 'convention.internship.update', columns);
    const previous = JSON.stringify(open.convention.interruptions);
    if (previous !== JSON.stringify(interruptions)) {
      await replaceInterruptions(trx, open.convention.id, interruptions);
      await record(trx, context, 'convention.interruptions.update', open.convention.id, open.convention.interruptions, interruptions);
    }
  });
}

export interface InternshipReview extends OpenConvention {
  result: ConventionCheckResult | null;
}

/** The saved internship with its computed hours, obligation, minimum and warnings (confirmation page, summary). */
export async function reviewConvention(db: Db, context: ChangeContext, key: ConventionKey, withPeople = true): Promise<InternshipReview> {
  const open = await openConvention(db, context.actor, key, 'view');
  const parameters = await loadLegalParameters(db);
  const result = runChecks(savedInternship(open.convention), await checkContext(db, context, open, withPeople), parameters);
  return { ...open, result };
}

/** The confirmation page of step 5: the person has read the hours and the warnings. */
export async function confirmInternship(knex: Knex, context: ChangeContext, opened: OpenConvention, version: number): Promise<void> {
  const parameters = await loadLegalParameters(knex);
  await knex.transaction(async (trx) => {
    const open = await lockOpened(trx, opened, version);
    const result = runChecks(savedInternship(open.convention), await checkContext(trx, context, open, false), parameters);
    if (!result) throw new RuleViolation({ _form: t('conventions.errors.internshipMissing') });
    if (result.blocking.length > 0) throw new RuleViolation(issuesAsErrors(result.blocking));
    await save(trx, context, open.convention, version, 'convention.internship.confirm', {
      completed_steps: withStep(open.convention.completed_steps, 'internship'),
      total_presence_minutes: result.presence?.totalMinutes ?? open.convention.total_presence_minutes,
    });
  });
}

/** Step 6: the academic supervisor chosen, or the step skipped when the centre allows it. */
export async function saveSupervisor(knex: Knex, context: ChangeContext, opened: OpenConvention, version: number, teacherId: number | null): Promise<void> {
  await knex.transaction(async (trx) => {
    const { convention } = await lockOpened(trx, opened, version);
    if (teacherId === null && convention.centre_supervisor_mandatory) throw new RuleViolation({ lastName: t('conventions.errors.supervisorMandatory') });
    if (teacherId !== null && !(await findTeacher(trx, teacherId))) throw new RuleViolation({ supervisor_teacher_id: t('conventions.errors.teacherUnknown') });
    await save(trx, context, convention, version, teacherId === null ? 'convention.supervisor.skip' : 'convention.supervisor.update', {
      supervisor_teacher_id: teacherId,
      completed_steps: withStep(convention.completed_steps, 'supervisor'),
    });
  });
}

/** The host-side choices of steps 2, 3, 4 and 7, (saveHostChoice clears what a change makes stale). */
export type HostChoice =
  | { step: 'host'; hostId: number }
  | { step: 'service'; serviceId: number }
  | { step: 'tutor'; contactId: number | null }
  | { step: 'signatory'; contactId: number | null };

export interface HostRecordCheck {
  /** Whether the service belongs to the host. */
  serviceOfHost(db: Db, serviceId: number, hostId: number): Promise<boolean>;
  /** Whether the contact belongs to the service (tutor) or to the host (signatory). */
  contactOf(db: Db, contactId: number, scope: { serviceId?: number; hostId: number }): Promise<boolean>;
  hostExists(db: Db, hostId: number): Promise<boolean>;
}

/**
 * Saves a choice of steps 2, 3, 4 or 7. Changing the host clears the service, the tutor and the
 * signatory; changing the service clears the tutor.
 */
export async function saveHostChoice(
  knex: Knex,
  context: ChangeContext,
  key: ConventionKey,
  version: number,
  choice: HostChoice,
  records: HostRecordCheck,
): Promise<void> {
  await knex.transaction(async (trx) => {
    const { convention, access } = await openConvention(trx, context.actor, key, 'edit', { lock: true });
    const steps = convention.completed_steps;
    let columns: Record<string, unknown>;
    switch (choice.step) {
      case 'host': {
        if (!(await records.hostExists(trx, choice.hostId))) throw new RuleViolation({ host_id: t('conventions.errors.hostUnknown') });
        const changed = convention.host_id !== choice.hostId;
        columns = changed
          ? {
              host_id: choice.hostId,
              service_id: null,
              tutor_id: null,
              signatory_id: null,
              completed_steps: withStep(withoutSteps(steps, 'service', 'tutor', 'signatory'), 'host'),
            }
          : { host_id: choice.hostId, completed_steps: withStep(steps, 'host') };
        break;
      }
      case 'service': {
        if (convention.host_id === null) throw new RuleViolation({ _form: t('conventions.errors.hostFirst') });
        if (!(await records.serviceOfHost(trx, choice.serviceId, convention.host_id)))
          throw new RuleViolation({ service_id: t('conventions.errors.serviceUnknown') });
        const changed = convention.service_id !== choice.serviceId;
        columns = changed
          ? { service_id: choice.serviceId, tutor_id: null, completed_steps: withStep(withoutSteps(steps, 'tutor'), 'service') }
          : { completed_steps: withStep(steps, 'service') };
        break;
      }
      case 'tutor': {
        if (convention.service_id === null || convention.host_id === null) throw new RuleViolation({ _form: t('conventions.errors.serviceFirst') });
        if (!access.tutorEntry) throw new ForbiddenError('conventions.errors.tutorByStaff');
        if (choice.contactId === null && convention.centre_tutor_mandatory) throw new RuleViolation({ contact_id: t('conventions.errors.tutorMandatory') });
        if (choice.contactId !== null && !(await records.contactOf(trx, choice.contactId, { serviceId: convention.service_id, hostId: convention.host_id }))) {
          throw new RuleViolation({ contact_id: t('conventions.errors.contactUnknown') });
        }
        columns = { tutor_id: choice.contactId, completed_steps: withStep(steps, 'tutor') };
        break;
      }
      case 'signatory': {
        if (convention.host_id === null) throw new RuleViolation({ _form: t('conventions.errors.hostFirst') });
        if (choice.contactId !== null && !(await records.contactOf(trx, choice.contactId, { hostId: convention.host_id }))) {
          throw new RuleViolation({ contact_id: t('conventions.errors.contactUnknown') });
        }
        columns = { signatory_id: choice.contactId, completed_steps: withStep(steps, 'signatory') };
        break;
      }
    }
    await save(trx, context, convention, version, `convention.${choice.step}.update`, columns);
  });
}

/** Links a new draft to the published offer it answers: host pre-selected, tasks pre-filled (offer hook). */
async function attachOffer(trx: Knex.Transaction, context: ChangeContext, draftId: number, offer: OfferMatch): Promise<void> {
  const { convention } = await openConvention(trx, context.actor, { id: draftId }, 'edit', { lock: true });
  const columns: Record<string, unknown> = { offer_id: offer.offerId };
  if (offer.hostId !== null) {
    columns.host_id = offer.hostId;
    columns.completed_steps = withStep(convention.completed_steps, 'host');
  }
  if (offer.activities) columns.activities = offer.activities;
  await save(trx, context, convention, convention.version, 'convention.offer.attach', columns);
}

// ---------------------------------------------------------------------------------------------------
// Create, cancel, delete
// ---------------------------------------------------------------------------------------------------

/** The steps still to complete before Create, for this person, by the centre settings. */
export function missingSteps(convention: ConventionDetails, access: ConventionAccess): StepName[] {
  const required: StepName[] = ['student', 'host', 'service', 'internship'];
  if (convention.centre_tutor_mandatory && access.tutorEntry) required.push('tutor');
  if (convention.centre_supervisor_mandatory) required.push('supervisor');
  return required.filter((step) => !convention.completed_steps.includes(step));
}

/**
 * Create: the draft gets its number from the sequence and becomes `submitted`. Refused while a step is
 * missing or a blocking rule fails; warnings must have been confirmed.
 */
export async function submitConvention(
  knex: Knex,
  context: ChangeContext,
  opened: OpenConvention,
  version: number,
  warningsConfirmed: boolean,
): Promise<number> {
  const parameters = await loadLegalParameters(knex);
  return knex.transaction(async (trx) => {
    const open = await lockOpened(trx, opened, version);
    const { convention, access } = open;
    const missing = missingSteps(convention, access);
    if (missing.length > 0) {
      throw new RuleViolation({ _form: t('conventions.errors.stepsMissing', { steps: missing.map((step) => t(`conventions.steps.${step}`)).join(', ') }) });
    }
    const result = runChecks(savedInternship(convention), await checkContext(trx, context, open, true), parameters);
    if (!result) throw new RuleViolation({ _form: t('conventions.errors.internshipMissing') });
    if (result.blocking.length > 0) throw new RuleViolation(issuesAsErrors(result.blocking));
    if (result.warnings.length > 0 && !warningsConfirmed) throw new ConventionWarningsError(result.warnings);
    const number = await nextConventionNumber(trx);
    await save(trx, context, convention, version, 'convention.submit', {
      number,
      status: 'submitted',
      submitted_at: new Date(),
      submitted_by: context.actor.login,
      total_presence_minutes: result.presence?.totalMinutes ?? convention.total_presence_minutes,
    });
    await insertTransition(trx, { conventionId: convention.id, action: 'submit', from: 'draft', to: 'submitted', actorLogin: context.actor.login });
    await queueNotifications(trx, { kind: 'submitted', conventionId: convention.id, actorLogin: context.actor.login });
    return number;
  });
}

/** Cancel (the owner): a transition of the state machine, recorded in the history. */
export async function cancelConvention(knex: Knex, context: ChangeContext, number: number, version: number): Promise<void> {
  await knex.transaction(async (trx) => {
    const { convention } = await openConvention(trx, context.actor, { number }, 'cancel', { lock: true });
    const decision = decide(
      'cancel',
      { status: convention.status, pedagogicalValidationRequired: convention.centre_pedagogical_validation_required },
      workflowRoleOf(context.actor, convention),
    );
    if (!decision.allowed) throw new ForbiddenError();
    await save(trx, context, convention, version, 'convention.cancel', { status: decision.to });
    await insertTransition(trx, { conventionId: convention.id, action: 'cancel', from: convention.status, to: decision.to, actorLogin: context.actor.login });
  });
}

/** Deletes a convention that is not validated (the audit log keeps what it was). */
export async function deleteConvention(knex: Knex, context: ChangeContext, key: ConventionKey): Promise<void> {
  await knex.transaction(async (trx) => {
    const { convention } = await openConvention(trx, context.actor, key, 'delete', { lock: true });
    await deleteConventionRow(trx, convention.id);
    await record(trx, context, 'convention.delete', convention.id, convention);
  });
}
