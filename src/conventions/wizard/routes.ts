import { badRequest } from '../../web/errors.ts';
import { printableDocuments } from '../shared/print-rights.ts';
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { flash } from '../../web/flash.ts';
import { parseForm, submittedValues, type FieldErrors } from '../../web/forms.ts';
import { ForbiddenError, RuleViolation, StaleVersionError } from '../../errors.ts';
import { ConventionWarningsError } from '../shared/errors.ts';
import { hostStepRoutes } from './host-steps.ts';
import { keyFrom } from '../shared/http.ts';
import { display, formValues, frameOf, labeller, nextStep, previousStep } from '../shared/presenter.ts';
import { loadReferenceChoices, type ConventionKey } from '../shared/repository.ts';
import {
  createSchema,
  INTERRUPTION_ROWS,
  internshipStepSchema,
  MAX_LENGTHS,
  studentSearchSchema,
  studentStepSchema,
  supervisorChoiceSchema,
  teacherSearchSchema,
  versionSchema,
  type TeacherSearch,
} from '../shared/schemas.ts';
import { findOffer, type OfferLookup } from './offer-hook.ts';
import { basePath, openConvention, type OpenConvention, type StepName } from '../shared/open.ts';
import {
  cancelConvention,
  confirmInternship,
  createDraft,
  creationStart,
  deleteConvention,
  enrolmentsForConvention,
  missingSteps,
  reviewConvention,
  saveInternshipStep,
  saveStudentStep,
  saveSupervisor,
  searchStudentsForStaff,
  submitConvention,
} from './service.ts';
import { searchRoutes } from '../search/routes.ts';
import { searchTeachers } from './teacher-search.ts';
import { refusalOf } from '../validation/service.ts';
import { validationRoutes } from '../validation/routes.ts';
import { amendmentRoutes, effectiveDisplay } from '../amendments/routes.ts';
import { socialSecurityNumberCollected } from '../../privacy/settings-repository.ts';
import { actorOf, changeContext, idFrom, refusal, translate } from '../../web/http.ts';
import { mayStartConventions } from '../../access/policy.ts';

export interface FormState {
  status?: number;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  /** The version the re-displayed form carries (the submitted one after an error). */
  version?: number;
}

/** The version a step form was opened at; a form without one is forged. */
export function versionFrom(req: Request): number {
  const version = parseForm(versionSchema, req.body);
  if (!version.ok) throw badRequest();
  return version.value.version;
}

/**
 * Runs a change; a refusal of the rules re-displays the form (422, values kept, nothing saved), a
 * concurrent change too (409, with the current version so that saving again works).
 */
export async function attempt(req: Request, res: Response, change: () => Promise<void>, redisplay: (state: FormState) => Promise<void>): Promise<boolean> {
  try {
    await change();
    return true;
  } catch (error) {
    const values = submittedValues(req.body);
    // After a concurrent change the form carries the current version, so that saving again works.
    const version = error instanceof RuleViolation ? Number(values.version) || undefined : undefined;
    await redisplay({ ...refusal(res, error), values, version });
    return false;
  }
}

/** Where to go after saving a step: the next step in a draft, the same tab (with a message) after creation. */
export function afterSave(req: Request, res: Response, open: OpenConvention, step: StepName, draftNext?: string): string {
  const base = basePath(open.convention);
  if (open.convention.number === null) return draftNext ?? `${base}/${nextStep(step)}`;
  flash(req, 'success', translate(res)('conventions.flash.saved'));
  return `${base}/${step}`;
}

export function conventionRoutes(knex: Knex, offerLookup: OfferLookup): Router {
  const router = Router();
  const workflow = validationRoutes(knex);
  router.use(workflow.bulkRouter);

  /** Renders a step page of a convention (or of the new convention when `open` is null). */
  async function renderStep(
    req: Request,
    res: Response,
    open: OpenConvention | null,
    step: StepName,
    view: string,
    state: FormState,
    extra: Record<string, unknown> = {},
  ) {
    const t = translate(res);
    const choices = await loadReferenceChoices(knex);
    const frame = frameOf(t, open?.convention ?? null, open?.access ?? null, step);
    const previous = previousStep(step);
    res.status(state.status ?? 200).render(`conventions/${view}`, {
      title: `${t(`conventions.steps.${step}`)} — ${open?.convention.number ? t('conventions.titleNumber', { number: open.convention.number }) : t('conventions.newTitle')}`,
      frame,
      convention: open?.convention ?? null,
      access: open?.access ?? null,
      values: state.values ?? (open ? formValues(open.convention) : {}),
      errors: state.errors ?? {},
      version: state.version ?? open?.convention.version ?? null,
      choices,
      label: labeller(choices),
      display,
      maxLengths: MAX_LENGTHS,
      previousHref: frame.base && previous ? `${frame.base}/${previous}` : open ? null : '/conventions/new',
      ...extra,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // List and start
  // -------------------------------------------------------------------------------------------------

  router.use(searchRoutes(knex));

  router.get('/conventions/new', (req, res) => {
    if (!mayStartConventions(actorOf(req))) throw new ForbiddenError();
    res.render('conventions/instructions', { title: translate(res)('conventions.instructions.title'), frame: frameOf(translate(res), null, null, 'student') });
  });

  /** Step 1 of a new convention: staff first find the student; a student starts with themselves. */
  async function renderNewStudent(req: Request, res: Response, studentId: number | null, state: FormState = {}) {
    const start = await creationStart(knex, actorOf(req), studentId);
    if (!start.student) {
      const search = typeof req.query.search === 'string' ? parseForm(studentSearchSchema, req.query) : null;
      const results = search?.ok ? await searchStudentsForStaff(knex, actorOf(req), search.value.search) : null;
      res.status(search && !search.ok ? 422 : 200).render('conventions/student-search', {
        title: translate(res)('conventions.studentSearch.title'),
        frame: frameOf(translate(res), null, null, 'student'),
        values: { search: req.query.search ?? '' },
        errors: search && !search.ok ? search.errors : {},
        results,
        maxLengths: MAX_LENGTHS,
      });
      return;
    }
    const student = start.student;
    const defaults = {
      enrolment_id: start.enrolments.filter((enrolment) => enrolment.allowed).length === 1 ? start.enrolments.find((enrolment) => enrolment.allowed)!.id : '',
      student_address: student.address,
      student_postal_code: student.postal_code,
      student_town: student.town,
      student_country: 'FR',
      student_phone: student.phone,
      student_mobile_phone: student.mobile_phone,
      student_personal_email: student.personal_email,
    };
    await renderStep(
      req,
      res,
      null,
      'student',
      'student',
      { ...state, values: state.values ?? defaults },
      {
        offerQuestion: await offerLookup.anyPublishedFor(knex, actorOf(req), student.id),
        student: { ...student, email: student.email },
        enrolments: start.enrolments,
        asStaff: start.asStaff,
        nirCollected: await socialSecurityNumberCollected(knex),
        formAction: '/conventions/new/student',
      },
    );
  }

  const studentIdFromQuery = (value: unknown): number | null => (typeof value === 'string' && value !== '' ? idFrom(value) : null);

  router.get('/conventions/new/student', async (req, res) => {
    await renderNewStudent(req, res, studentIdFromQuery(req.query.student));
  });

  router.post('/conventions/new/student', async (req, res) => {
    const body = submittedValues(req.body);
    const studentId = studentIdFromQuery(body.student_id) ?? actorOf(req).studentId;
    if (studentId === null) throw mayStartConventions(actorOf(req)) ? badRequest() : new ForbiddenError();
    // Refuses, before any validation, those who may not create a convention for this student.
    await creationStart(knex, actorOf(req), studentId);
    const form = parseForm(studentStepSchema(await loadReferenceChoices(knex), { collectNir: await socialSecurityNumberCollected(knex) }), body);
    if (!form.ok) {
      await renderNewStudent(req, res, studentId, { status: 422, values: body, errors: form.errors });
      return;
    }
    // The offer hook: the question is asked only when offers are published for the student.
    const reference = typeof body.offer_reference === 'string' ? body.offer_reference.trim() : '';
    const offer =
      reference !== '' && (await offerLookup.anyPublishedFor(knex, actorOf(req), studentId))
        ? await findOffer(offerLookup, knex, actorOf(req), studentId, reference)
        : null;
    if (reference !== '' && !offer) {
      await renderNewStudent(req, res, studentId, {
        status: 422,
        values: body,
        errors: { offer_reference: translate(res)('conventions.errors.offerUnknown') },
      });
      return;
    }
    let id = 0;
    const done = await attempt(
      req,
      res,
      async () => {
        id = await createDraft(knex, changeContext(req), studentId, form.value, offer);
      },
      (state) => renderNewStudent(req, res, studentId, state),
    );
    if (done) res.redirect(`/conventions/drafts/${id}/${offer?.hostId ? 'service' : 'host'}`);
  });

  // -------------------------------------------------------------------------------------------------
  // The steps of a convention, for drafts (/conventions/drafts/:id) and created ones (/conventions/:number)
  // -------------------------------------------------------------------------------------------------

  const stepRouter = Router({ mergeParams: true });

  async function renderStudentStep(req: Request, res: Response, key: ConventionKey, state: FormState = {}) {
    const open = await openConvention(knex, actorOf(req), key, 'view');
    const enrolments = await enrolmentsForConvention(knex, actorOf(req), open.convention);
    await renderStep(req, res, open, 'student', 'student', state, {
      student: {
        student_number: open.convention.student_number,
        last_name: open.convention.student_last_name,
        first_name: open.convention.student_first_name,
        birth_date: open.convention.student_birth_date,
        email: open.convention.student_email,
      },
      enrolments,
      offerQuestion: false,
      asStaff: !open.access.owner,
      nirCollected: await socialSecurityNumberCollected(knex),
      formAction: `${basePath(open.convention)}/student`,
    });
  }

  stepRouter.get('/student', async (req, res) => {
    await renderStudentStep(req, res, keyFrom(req));
  });

  stepRouter.post('/student', async (req, res) => {
    const key = keyFrom(req);
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const form = parseForm(studentStepSchema(await loadReferenceChoices(knex), { collectNir: await socialSecurityNumberCollected(knex) }), req.body);
    if (!form.ok) {
      await renderStudentStep(req, res, key, { status: 422, values: submittedValues(req.body), errors: form.errors, version });
      return;
    }
    const done = await attempt(
      req,
      res,
      () => saveStudentStep(knex, changeContext(req), open, version, form.value),
      (state) => renderStudentStep(req, res, key, state),
    );
    if (done) res.redirect(afterSave(req, res, open, 'student'));
  });

  // Step 5: internship, then its confirmation page.
  async function renderInternship(req: Request, res: Response, key: ConventionKey, state: FormState = {}) {
    const review = await reviewConvention(knex, changeContext(req), key, false);
    await renderStep(req, res, review, 'internship', 'internship', state, { result: review.result, interruptionRows: INTERRUPTION_ROWS });
  }

  stepRouter.get('/internship', async (req, res) => {
    await renderInternship(req, res, keyFrom(req));
  });

  stepRouter.post('/internship', async (req, res) => {
    const key = keyFrom(req);
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const form = parseForm(internshipStepSchema(await loadReferenceChoices(knex)), req.body);
    if (!form.ok) {
      await renderInternship(req, res, key, { status: 422, values: submittedValues(req.body), errors: form.errors, version });
      return;
    }
    const done = await attempt(
      req,
      res,
      () => saveInternshipStep(knex, changeContext(req), open, version, form.value),
      (state) => renderInternship(req, res, key, state),
    );
    if (done) res.redirect(`${basePath(open.convention)}/internship/confirm`);
  });

  async function renderConfirmation(req: Request, res: Response, key: ConventionKey, state: FormState = {}) {
    const review = await reviewConvention(knex, changeContext(req), key, false);
    if (review.result === null) {
      res.redirect(`${basePath(review.convention)}/internship`);
      return;
    }
    await renderStep(req, res, review, 'internship', 'internship-confirm', state, { result: review.result });
  }

  stepRouter.get('/internship/confirm', async (req, res) => {
    await renderConfirmation(req, res, keyFrom(req));
  });

  stepRouter.post('/internship/confirm', async (req, res) => {
    const key = keyFrom(req);
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const done = await attempt(
      req,
      res,
      () => confirmInternship(knex, changeContext(req), open, version),
      (state) => renderConfirmation(req, res, key, state),
    );
    if (done) res.redirect(afterSave(req, res, open, 'internship'));
  });

  // Step 6: academic supervisor, searched by name, first name, department.
  async function renderSupervisor(req: Request, res: Response, key: ConventionKey, state: FormState = {}) {
    const open = await openConvention(knex, actorOf(req), key, 'view');
    const searching = typeof req.query.lastName === 'string';
    const search = searching ? parseForm(teacherSearchSchema, req.query) : null;
    const results = search?.ok ? await searchTeachers(knex, search.value as TeacherSearch) : null;
    const searchErrors = search && !search.ok ? search.errors : {};
    await renderStep(
      req,
      res,
      open,
      'supervisor',
      'supervisor',
      { ...state, status: state.status ?? (search && !search.ok ? 422 : 200), errors: { ...searchErrors, ...state.errors } },
      {
        search: { lastName: req.query.lastName ?? '', firstName: req.query.firstName ?? '', department: req.query.department ?? '' },
        results,
      },
    );
  }

  stepRouter.get('/supervisor', async (req, res) => {
    await renderSupervisor(req, res, keyFrom(req));
  });

  stepRouter.post('/supervisor', async (req, res) => {
    const key = keyFrom(req);
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const body = submittedValues(req.body);
    let teacherId: number | null = null;
    if (body.skip === undefined) {
      const form = parseForm(supervisorChoiceSchema, body);
      if (!form.ok) {
        await renderSupervisor(req, res, key, { status: 422, errors: form.errors, version });
        return;
      }
      teacherId = form.value.supervisor_teacher_id;
    }
    const done = await attempt(
      req,
      res,
      () => saveSupervisor(knex, changeContext(req), open, version, teacherId),
      (state) => renderSupervisor(req, res, key, state),
    );
    if (done) res.redirect(afterSave(req, res, open, 'supervisor'));
  });

  // Step 8: summary, with Create for drafts.
  async function renderSummary(req: Request, res: Response, key: ConventionKey, state: FormState = {}, warnings: unknown[] | null = null) {
    const review = await reviewConvention(knex, changeContext(req), key, true);
    const hosts = await hostStepRoutes.summaryOf(knex, actorOf(req), review.convention);
    await renderStep(req, res, review, 'summary', 'summary', state, {
      result: review.result,
      missing: missingSteps(review.convention, review.access),
      hosts,
      warningsToConfirm: warnings,
      refusal: (await refusalOf(knex, review.convention)) ?? null,
      documents: await printableDocuments(knex, actorOf(req), review.convention),
      ...(await effectiveDisplay(knex, review.convention)),
    });
  }

  stepRouter.get('/summary', async (req, res) => {
    const key = keyFrom(req);
    if ('number' in key) {
      res.redirect(`/conventions/${key.number}`);
      return;
    }
    await renderSummary(req, res, key);
  });

  stepRouter.post('/create', async (req, res) => {
    const key = keyFrom(req);
    if (!('id' in key)) throw badRequest();
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const form = parseForm(createSchema, req.body);
    if (!form.ok) throw badRequest();
    try {
      const number = await submitConvention(knex, changeContext(req), open, version, form.value.confirm_warnings);
      flash(req, 'success', translate(res)('conventions.flash.created', { number }));
      res.redirect(`/conventions/${number}`);
    } catch (error) {
      if (error instanceof ConventionWarningsError) {
        await renderSummary(req, res, key, { status: 422, errors: { confirm_warnings: translate(res)('conventions.errors.confirmWarnings') } }, error.warnings);
        return;
      }
      if (error instanceof RuleViolation || error instanceof StaleVersionError) {
        await renderSummary(req, res, key, { ...refusal(res, error), version: error instanceof RuleViolation ? version : undefined });
        return;
      }
      throw error;
    }
  });

  // Cancel (owner, created conventions) and delete (owner or WRITE staff, not validated).
  async function renderAction(req: Request, res: Response, action: 'cancel' | 'delete', state: FormState = {}) {
    const open = await openConvention(knex, actorOf(req), keyFrom(req), action);
    await renderStep(req, res, open, 'summary', action, state);
  }

  stepRouter.get('/cancel', async (req, res) => {
    await renderAction(req, res, 'cancel');
  });

  stepRouter.post('/cancel', async (req, res) => {
    const key = keyFrom(req);
    if (!('number' in key)) throw badRequest();
    await openConvention(knex, actorOf(req), key, 'cancel');
    const version = versionFrom(req);
    const done = await attempt(
      req,
      res,
      () => cancelConvention(knex, changeContext(req), key.number, version),
      (state) => renderAction(req, res, 'cancel', state),
    );
    if (!done) return;
    flash(req, 'success', translate(res)('conventions.flash.cancelled', { number: key.number }));
    res.redirect(`/conventions/${key.number}`);
  });

  stepRouter.get('/delete', async (req, res) => {
    await renderAction(req, res, 'delete');
  });

  stepRouter.post('/delete', async (req, res) => {
    const key = keyFrom(req);
    await deleteConvention(knex, changeContext(req), key);
    flash(
      req,
      'success',
      translate(res)('number' in key ? 'conventions.flash.deleted' : 'conventions.flash.draftDeleted', { number: 'number' in key ? key.number : '' }),
    );
    res.redirect('/conventions');
  });

  stepRouter.use(hostStepRoutes.router(knex, { renderStep, attempt, versionFrom, afterSave }));

  router.get('/conventions/drafts/:id', async (req, res) => {
    const open = await openConvention(knex, actorOf(req), keyFrom(req), 'view');
    res.redirect(`${basePath(open.convention)}/summary`);
  });
  router.use('/conventions/drafts/:id', stepRouter);

  router.get('/conventions/:number', async (req, res) => {
    await renderSummary(req, res, keyFrom(req));
  });
  router.use('/conventions/:number', workflow.conventionRouter);
  router.use('/conventions/:number', amendmentRoutes(knex));
  router.use('/conventions/:number', stepRouter);

  return router;
}
