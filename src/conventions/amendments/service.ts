import type { Db } from '../../db/knex.ts';
import { AMENDMENT_TRANSITIONS, amendmentActionAllowed, amendmentEditable } from './life-cycle.ts';
import type { Knex } from 'knex';
import { audit } from '../../audit/audit-log.ts';
import type { Actor } from '../../access/actor.ts';
import { t } from '../../i18n/index.ts';
import { queueNotifications } from '../../notifications/queue.ts';
import { todayInFrance } from '../../rules/academic-year.ts';
import { computePresence } from '../../rules/presence-hours.ts';
import {
  amendmentsOf,
  deleteAmendmentRow,
  effectiveOtherConventionFacts,
  findAmendment,
  hostPlaces,
  insertAmendment,
  nextAmendmentNumber,
  unchangedAmendment,
  updateAmendment,
  type AmendmentRow,
  type AmendmentValues,
} from './repository.ts';
import { formInterruptions, type AmendmentForm } from './schemas.ts';
import { clipInterruptions, effectiveValues, type EffectiveValues } from '../shared/effective-values.ts';
import { ForbiddenError, NotFoundError, RuleViolation, StaleVersionError } from '../../errors.ts';
import { issuesAsErrors, loadLegalParameters, runChecks } from '../shared/legal.ts';
import { findTeacher, otherConventionFacts, type ConventionDetails } from '../shared/repository.ts';
import { openConvention, type OpenConvention } from '../shared/open.ts';
import type { ChangeContext } from '../../audit/audit-log.ts';

// ---------------------------------------------------------------------------------------------------
// Rights
// ---------------------------------------------------------------------------------------------------

export interface AmendmentAccess {
  /** Create, edit or delete an amendment not validated: the owner or WRITE staff, on a validated convention. */
  write: boolean;
  /** Validate, validate at once, withdraw: WRITE staff of the centre. */
  validate: boolean;
}

export function amendmentAccessOf(open: OpenConvention): AmendmentAccess {
  const validated = open.convention.status === 'validated';
  return { write: validated && (open.access.owner || open.access.staffWrite), validate: validated && open.access.staffWrite };
}

export interface AmendmentsView extends OpenConvention {
  amendments: AmendmentRow[];
  effective: EffectiveValues;
  rights: AmendmentAccess;
  /** The number of the latest validated amendment (the one that may be withdrawn). */
  latestValidated: number | null;
}

async function viewOf(db: Db, open: OpenConvention): Promise<AmendmentsView> {
  const amendments = await amendmentsOf(db, open.convention.id);
  const validated = amendments.filter((row) => row.status === 'validated');
  return {
    ...open,
    amendments,
    effective: effectiveValues(open.convention, amendments),
    rights: amendmentAccessOf(open),
    latestValidated: validated.length > 0 ? validated[validated.length - 1]!.number : null,
  };
}

/** The amendments of a convention the actor may see, with its effective values. */
export async function amendmentsView(db: Db, actor: Actor, number: number): Promise<AmendmentsView> {
  return viewOf(db, await openConvention(db, actor, { number }, 'view'));
}

/** The effective values of a convention already opened by the actor (convention page). */
export async function effectiveOf(db: Db, convention: ConventionDetails): Promise<{ effective: EffectiveValues; amendments: AmendmentRow[] }> {
  const amendments = await amendmentsOf(db, convention.id, 'validated');
  return { effective: effectiveValues(convention, amendments), amendments };
}

export async function amendmentView(
  db: Db,
  actor: Actor,
  number: number,
  amendmentNumber: number,
): Promise<AmendmentsView & { amendment: AmendmentRow; before: EffectiveValues }> {
  return amendmentOf(db, await openConvention(db, actor, { number }, 'view'), amendmentNumber);
}

/** One amendment of a convention the actor has already opened, with the effective values before it. */
export async function amendmentOf(
  db: Db,
  open: OpenConvention,
  amendmentNumber: number,
): Promise<AmendmentsView & { amendment: AmendmentRow; before: EffectiveValues }> {
  const view = await viewOf(db, open);
  const amendment = view.amendments.find((row) => row.number === amendmentNumber);
  if (!amendment) throw new NotFoundError('convention');
  const before = effectiveValues(
    view.convention,
    view.amendments.filter((row) => row.number < amendmentNumber),
  );
  return { ...view, amendment, before };
}

/** The choices of the form: the services and contacts of the convention's host. */
export async function formChoices(db: Db, convention: ConventionDetails) {
  return convention.host_id === null ? { services: [], contacts: [] } : hostPlaces(db, convention.host_id);
}

// ---------------------------------------------------------------------------------------------------
// Checking the typed amendment
// ---------------------------------------------------------------------------------------------------

const sameInterruptions = (a: readonly { start: string; end: string }[], b: readonly { start: string; end: string }[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Turns the form into the amendment's values against the current effective values, or throws
 * RuleViolation with a French message next to each field: each change must differ from the
 * current value, a new place needs a new tutor, the new dates and gratification pass the legal checks.
 */
export async function amendmentValuesFrom(
  db: Db,
  context: ChangeContext,
  open: OpenConvention,
  current: EffectiveValues,
  form: AmendmentForm,
): Promise<AmendmentValues> {
  const { convention } = open;
  const errors: Record<string, string> = {};
  const same = t('conventions.amendments.errors.same');
  const values = unchangedAmendment(form.kind, form.reason);
  let after = { ...current };

  if (form.kind === 'termination') {
    if (form.termination_date === null) errors.termination_date = t('conventions.amendments.errors.terminationDate');
    else if (
      current.start_date === null ||
      current.end_date === null ||
      form.termination_date < current.start_date ||
      form.termination_date >= current.end_date
    ) {
      errors.termination_date = t('conventions.amendments.errors.terminationOutside', { start: current.start_date ?? '', end: current.end_date ?? '' });
    } else {
      values.termination_date = form.termination_date;
      values.termination_comment = form.termination_comment;
      after = { ...after, end_date: form.termination_date, interruptions: clipInterruptions(current.interruptions, form.termination_date) };
    }
  } else {
    let changes = 0;
    if (form.change_dates) {
      changes += 1;
      const start = form.start_date;
      const end = form.end_date;
      if (start === null) errors.start_date = t('conventions.amendments.errors.dateRequired');
      if (end === null) errors.end_date = t('conventions.amendments.errors.dateRequired');
      const interruptions: { start: string; end: string }[] = [];
      for (const row of formInterruptions(form)) {
        if (row.start === null || row.end === null || row.end < row.start || (start && row.start < start) || (end && row.end > end)) {
          errors[`interruption_${row.row}_start`] = t('conventions.amendments.errors.interruption');
        } else interruptions.push({ start: row.start, end: row.end });
      }
      if (start && end && end < start) errors.end_date = t('conventions.amendments.errors.endBeforeStart');
      if (start && end && !errors.start_date && !errors.end_date && !Object.keys(errors).some((key) => key.startsWith('interruption_'))) {
        if (start === current.start_date && end === current.end_date && sameInterruptions(interruptions, current.interruptions)) errors.start_date = same;
        else {
          values.start_date = start;
          values.end_date = end;
          if (!sameInterruptions(interruptions, current.interruptions)) values.interruptions = interruptions;
          after = { ...after, start_date: start, end_date: end, interruptions };
        }
      }
    }
    if (form.subject !== null) {
      changes += 1;
      if (form.subject === (current.subject ?? '').trim()) errors.subject = same;
      else values.subject = form.subject;
    }
    if (form.change_gratification) {
      changes += 1;
      if (form.gratification === null) errors.gratification = t('conventions.amendments.errors.gratification');
      else if (form.gratification === 'yes' && (form.gratification_amount === null || form.gratification_amount <= 0))
        errors.gratification_amount = t('conventions.amendments.errors.amount');
      else if (form.gratification === 'yes' && form.gratification_per === null) errors.gratification_per = t('conventions.amendments.errors.per');
      else if (form.gratification === 'yes' && form.gratification_basis === null) errors.gratification_basis = t('conventions.amendments.errors.basis');
      else {
        const paid = form.gratification === 'yes';
        const next = {
          gratification: paid,
          gratification_amount_cents: paid ? form.gratification_amount : null,
          gratification_per: paid ? form.gratification_per : null,
          gratification_basis: paid ? form.gratification_basis : null,
        };
        const unchanged =
          Boolean(current.gratification) === paid &&
          (!paid ||
            (next.gratification_amount_cents === current.gratification_amount_cents &&
              next.gratification_per === current.gratification_per &&
              next.gratification_basis === current.gratification_basis));
        if (unchanged) errors.gratification = same;
        else {
          Object.assign(values, next, { gratification_changed: true });
          after = { ...after, ...next };
        }
      }
    }
    const places = await formChoices(db, convention);
    if (form.service_id !== null) {
      changes += 1;
      if (!places.services.some((service) => service.id === form.service_id)) errors.service_id = t('conventions.amendments.errors.serviceUnknown');
      else if (form.service_id === current.service_id) errors.service_id = same;
      else if (form.tutor_id === null) errors.tutor_id = t('conventions.amendments.errors.tutorForPlace');
      else values.service_id = form.service_id;
    }
    if (form.tutor_id !== null) {
      if (form.service_id === null) changes += 1;
      const serviceId = form.service_id ?? current.service_id;
      const contact = places.contacts.find((row) => row.id === form.tutor_id);
      if (!contact || (contact.service_id !== null && contact.service_id !== serviceId)) errors.tutor_id = t('conventions.amendments.errors.tutorUnknown');
      else if (form.tutor_id === current.tutor_id) errors.tutor_id = same;
      else values.tutor_id = form.tutor_id;
    }
    if (form.supervisor_teacher_id !== null) {
      changes += 1;
      if (!(await findTeacher(db, form.supervisor_teacher_id))) errors.supervisor_teacher_id = t('conventions.errors.teacherUnknown');
      else if (form.supervisor_teacher_id === current.supervisor_teacher_id) errors.supervisor_teacher_id = same;
      else values.supervisor_teacher_id = form.supervisor_teacher_id;
    }
    if (form.other !== null) {
      changes += 1;
      values.other = form.other;
    }
    if (changes === 0) errors._form = t('conventions.amendments.errors.noChange');
  }
  if (Object.keys(errors).length > 0) throw new RuleViolation(errors);

  // The legal checks of the new period and gratification, on effective values (others' too).
  if (values.termination_date !== null || values.start_date !== null || values.gratification_changed) {
    const parameters = await loadLegalParameters(db);
    const others = await effectiveOtherConventionFacts(db, convention, await otherConventionFacts(db, convention));
    const today = context.today ?? todayInFrance();
    const result = runChecks(
      {
        start_date: after.start_date,
        end_date: after.end_date,
        days_per_week: convention.days_per_week,
        hours_per_week: convention.hours_per_week,
        interruptions: after.interruptions,
        gratification: after.gratification,
        gratification_amount_cents: after.gratification_amount_cents,
        gratification_basis: after.gratification_basis,
        gratification_per: after.gratification_per,
      },
      { others, overlapsAllowed: convention.centre_overlapping_internships_allowed, role: open.access.role, today },
      parameters,
    );
    // A start date already passed blocks only a new start date (the internship may be under way).
    const blocking = (result?.blocking ?? []).filter(
      (issue) => issue.code !== 'START_DATE_PASSED' || (values.start_date !== null && values.start_date !== current.start_date),
    );
    if (!result || blocking.length > 0) {
      const fieldErrors = issuesAsErrors(blocking);
      if (values.termination_date !== null && fieldErrors.end_date) fieldErrors.termination_date = fieldErrors.end_date;
      throw new RuleViolation(Object.keys(fieldErrors).length > 0 ? fieldErrors : { _form: t('conventions.errors.internshipMissing') });
    }
    if ((values.termination_date !== null || values.start_date !== null) && after.start_date && after.end_date) {
      values.total_presence_minutes =
        result.presence?.totalMinutes ??
        computePresence(
          {
            startDate: after.start_date,
            endDate: after.end_date,
            daysPerWeek: Number(convention.days_per_week),
            hoursPerWeek: String(convention.hours_per_week),
            interruptions: after.interruptions,
          },
          parameters,
        ).totalMinutes;
    }
  }
  return values;
}

// ---------------------------------------------------------------------------------------------------
// Changes, each in one transaction with its audit entry
// ---------------------------------------------------------------------------------------------------

async function record(trx: Knex.Transaction, context: ChangeContext, action: string, amendmentId: number, before?: unknown, after?: unknown) {
  await audit(trx, {
    actorLogin: context.actor.login,
    requestId: context.requestId,
    action: `amendment.${action}`,
    entity: 'amendment',
    entityId: amendmentId,
    before,
    after,
  });
}

/** Opens the convention for a change of its amendments, with the convention's row locked. */
async function openForChange(trx: Knex.Transaction, context: ChangeContext, number: number, needed: keyof AmendmentAccess): Promise<AmendmentsView> {
  const view = await viewOf(trx, await openConvention(trx, context.actor, { number }, 'view', { lock: true }));
  if (!view.rights[needed])
    throw new ForbiddenError(view.convention.status === 'validated' ? 'common.errors.forbidden' : 'conventions.amendments.errors.notValidated');
  return view;
}

/** Checks the typed amendment without saving it (the confirmation page). */
export async function previewAmendment(
  knex: Knex,
  context: ChangeContext,
  number: number,
  form: AmendmentForm,
): Promise<{ view: AmendmentsView; values: AmendmentValues }> {
  const view = await viewOf(knex, await openConvention(knex, context.actor, { number }, 'view'));
  if (!view.rights.write)
    throw new ForbiddenError(view.convention.status === 'validated' ? 'common.errors.forbidden' : 'conventions.amendments.errors.notValidated');
  if (form.validate_now && !view.rights.validate) throw new ForbiddenError();
  return { view, values: await amendmentValuesFrom(knex, context, view, view.effective, form) };
}

/** Creates the amendment (its number assigned); WRITE staff may validate it at once. Returns its number. */
export async function createAmendment(knex: Knex, context: ChangeContext, number: number, form: AmendmentForm): Promise<number> {
  return knex.transaction(async (trx) => {
    const view = await openForChange(trx, context, number, 'write');
    if (form.validate_now && !view.rights.validate) throw new ForbiddenError();
    const values = await amendmentValuesFrom(trx, context, view, view.effective, form);
    const amendmentNumber = await nextAmendmentNumber(trx, view.convention.id);
    const id = await insertAmendment(trx, view.convention.id, amendmentNumber, values, context.actor.login);
    await record(trx, context, 'create', id, undefined, { convention: number, number: amendmentNumber, ...values });
    if (form.validate_now) {
      await trx('amendment')
        .where({ id })
        .update({ status: 'validated', validated_at: trx.fn.now(), validated_by: context.actor.login, version: trx.raw('version + 1') });
      await record(trx, context, 'validate', id, { status: 'submitted' }, { status: 'validated' });
      await queueNotifications(trx, { kind: 'amendment_validated', conventionId: view.convention.id, actorLogin: context.actor.login, amendmentNumber });
    }
    return amendmentNumber;
  });
}

async function lockedAmendment(trx: Knex.Transaction, view: AmendmentsView, amendmentNumber: number, version: number): Promise<AmendmentRow> {
  const amendment = await findAmendment(trx, view.convention.id, amendmentNumber, { lock: true });
  if (!amendment) throw new NotFoundError('convention');
  if (amendment.version !== version) throw new StaleVersionError();
  return amendment;
}

/** Edits an amendment while it is not validated. */
export async function editAmendment(
  knex: Knex,
  context: ChangeContext,
  number: number,
  amendmentNumber: number,
  version: number,
  form: AmendmentForm,
): Promise<void> {
  await knex.transaction(async (trx) => {
    const view = await openForChange(trx, context, number, 'write');
    const amendment = await lockedAmendment(trx, view, amendmentNumber, version);
    if (!amendmentEditable(amendment.status)) throw new ForbiddenError('conventions.amendments.errors.validatedReadOnly');
    const values = await amendmentValuesFrom(trx, context, view, view.effective, form);
    if (!(await updateAmendment(trx, amendment.id, version, values, context.actor.login))) throw new StaleVersionError();
    const before = Object.fromEntries(Object.keys(values).map((key) => [key, amendment[key as keyof AmendmentRow]]));
    await record(trx, context, 'update', amendment.id, before, values);
  });
}

export async function deleteAmendment(knex: Knex, context: ChangeContext, number: number, amendmentNumber: number, version: number): Promise<void> {
  await knex.transaction(async (trx) => {
    const view = await openForChange(trx, context, number, 'write');
    const amendment = await lockedAmendment(trx, view, amendmentNumber, version);
    if (!amendmentEditable(amendment.status)) throw new ForbiddenError('conventions.amendments.errors.validatedReadOnly');
    await deleteAmendmentRow(trx, amendment.id);
    await record(trx, context, 'delete', amendment.id, amendment);
  });
}

/** Validates a submitted amendment (WRITE staff); its total hours are computed again on the effective values of now. */
export async function validateAmendment(knex: Knex, context: ChangeContext, number: number, amendmentNumber: number, version: number): Promise<void> {
  await knex.transaction(async (trx) => {
    const view = await openForChange(trx, context, number, 'validate');
    const amendment = await lockedAmendment(trx, view, amendmentNumber, version);
    if (!amendmentActionAllowed('validate', amendment.status)) throw new RuleViolation({ _form: t('conventions.amendments.errors.alreadyValidated') });
    const columns: Partial<AmendmentRow> = { status: AMENDMENT_TRANSITIONS.validate.to, validated_at: new Date(), validated_by: context.actor.login };
    if (amendment.total_presence_minutes !== null) {
      const after = effectiveValues(view.convention, [
        ...view.amendments.filter((row) => row.status === 'validated'),
        { ...amendment, status: 'validated', number: Number.MAX_SAFE_INTEGER },
      ]);
      if (after.start_date && after.end_date) {
        const presence = computePresence(
          {
            startDate: after.start_date,
            endDate: after.end_date,
            daysPerWeek: Number(view.convention.days_per_week),
            hoursPerWeek: String(view.convention.hours_per_week),
            interruptions: after.interruptions,
          },
          await loadLegalParameters(trx),
        );
        columns.total_presence_minutes = presence.totalMinutes;
      }
    }
    if (!(await updateAmendment(trx, amendment.id, version, columns, context.actor.login))) throw new StaleVersionError();
    await record(trx, context, 'validate', amendment.id, { status: 'submitted' }, { status: 'validated' });
    await queueNotifications(trx, { kind: 'amendment_validated', conventionId: view.convention.id, actorLogin: context.actor.login, amendmentNumber });
  });
}

/** Withdraws the validation of the latest validated amendment (WRITE staff): it is `submitted` again. */
export async function withdrawAmendment(knex: Knex, context: ChangeContext, number: number, amendmentNumber: number, version: number): Promise<void> {
  await knex.transaction(async (trx) => {
    const view = await openForChange(trx, context, number, 'validate');
    const amendment = await lockedAmendment(trx, view, amendmentNumber, version);
    if (!amendmentActionAllowed('withdraw', amendment.status) || view.latestValidated !== amendmentNumber)
      throw new RuleViolation({ _form: t('conventions.amendments.errors.notLatest') });
    if (
      !(await updateAmendment(
        trx,
        amendment.id,
        version,
        { status: AMENDMENT_TRANSITIONS.withdraw.to, validated_at: null, validated_by: null },
        context.actor.login,
      ))
    )
      throw new StaleVersionError();
    await record(trx, context, 'withdraw', amendment.id, { status: 'validated', validated_by: amendment.validated_by }, { status: 'submitted' });
  });
}
