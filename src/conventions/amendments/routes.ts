import { badRequest } from '../../web/errors.ts';
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { flash } from '../../web/flash.ts';
import { parseForm, submittedValues, type FieldErrors } from '../../web/forms.ts';
import { labelsOf, teacherChoices, type AmendmentRow } from './repository.ts';
import { changeRows } from './presenter.ts';
import { AMENDMENT_INTERRUPTION_ROWS, AMENDMENT_TEXT_MAX, amendmentFormSchema } from './schemas.ts';
import {
  amendmentView,
  amendmentsView,
  createAmendment,
  effectiveOf,
  deleteAmendment,
  editAmendment,
  formChoices,
  previewAmendment,
  validateAmendment,
  withdrawAmendment,
  type AmendmentsView,
} from './service.ts';
import type { EffectiveValues } from '../shared/effective-values.ts';
import { ForbiddenError, RuleViolation, StaleVersionError } from '../../errors.ts';
import { printableDocuments } from '../shared/print-rights.ts';
import { display, frameOf } from '../shared/presenter.ts';
import type { ConventionDetails } from '../shared/repository.ts';
import { versionSchema } from '../shared/schemas.ts';
import { actorOf, changeContext, idFrom, refusal, translate } from '../../web/http.ts';

/**
 * The amendments of a created convention (docs/domain.md): `/conventions/:number/amendments` (list),
 * `/amendments/new` (form, then confirmation, then creation), `/amendments/:n` (view; edit, delete and
 * validate while submitted; withdraw the latest validated). Rights are checked by the service.
 */

interface PageState {
  status?: number;
  errors?: FieldErrors;
  values?: Record<string, unknown>;
}

/** The form's values of a saved amendment (edit) or of the current effective values (new). */
function formValuesOf(effective: EffectiveValues, amendment?: AmendmentRow): Record<string, unknown> {
  const source = amendment;
  const values: Record<string, unknown> = {
    kind: source?.kind ?? 'changes',
    reason: source?.reason ?? '',
    termination_date: source?.termination_date ?? '',
    termination_comment: source?.termination_comment ?? '',
    change_dates: source ? source.start_date !== null : false,
    start_date: source?.start_date ?? effective.start_date ?? '',
    end_date: source?.end_date ?? effective.end_date ?? '',
    subject: source?.subject ?? '',
    change_gratification: source?.gratification_changed ?? false,
    gratification: (source?.gratification_changed ? source.gratification : effective.gratification) ? 'yes' : 'no',
    gratification_amount: ((source?.gratification_changed ? source.gratification_amount_cents : effective.gratification_amount_cents) ?? 0) / 100 || '',
    gratification_per: (source?.gratification_changed ? source.gratification_per : effective.gratification_per) ?? '',
    gratification_basis: (source?.gratification_changed ? source.gratification_basis : effective.gratification_basis) ?? '',
    service_id: source?.service_id ?? '',
    tutor_id: source?.tutor_id ?? '',
    supervisor_teacher_id: source?.supervisor_teacher_id ?? '',
    other: source?.other ?? '',
  };
  (source?.interruptions ?? effective.interruptions).slice(0, AMENDMENT_INTERRUPTION_ROWS).forEach((range, index) => {
    values[`interruption_${index + 1}_start`] = range.start;
    values[`interruption_${index + 1}_end`] = range.end;
  });
  return values;
}

export function amendmentRoutes(knex: Knex): Router {
  const router = Router({ mergeParams: true });
  const numberFrom = (req: Request) => idFrom((req.params as Record<string, string | undefined>).number);
  const amendmentNumberFrom = (req: Request) => idFrom((req.params as Record<string, string | undefined>).amendment);

  async function common(res: Response, view: AmendmentsView) {
    const t = translate(res);
    const [places, teachers] = view.rights.write
      ? await Promise.all([formChoices(knex, view.convention), teacherChoices(knex)])
      : [{ services: [], contacts: [] }, []];
    return {
      frame: frameOf(t, view.convention, view.access, 'summary', 'amendments'),
      convention: view.convention,
      view,
      places,
      teachers,
      display,
      interruptionRows: AMENDMENT_INTERRUPTION_ROWS,
      textMax: AMENDMENT_TEXT_MAX,
    };
  }

  router.get('/amendments', async (req, res) => {
    const t = translate(res);
    const view = await amendmentsView(knex, actorOf(req), numberFrom(req));
    res.render('conventions/amendments', {
      title: t('conventions.amendments.title', { number: view.convention.number! }),
      ...(await common(res, view)),
      errors: {},
    });
  });

  async function renderNew(req: Request, res: Response, state: PageState = {}) {
    const t = translate(res);
    const view = await amendmentsView(knex, actorOf(req), numberFrom(req));
    if (!view.rights.write) {
      throw new ForbiddenError(view.convention.status === 'validated' ? 'common.errors.forbidden' : 'conventions.amendments.errors.notValidated');
    }
    res.status(state.status ?? 200).render('conventions/amendments-new', {
      title: t('conventions.amendments.newTitle', { number: view.convention.number! }),
      ...(await common(res, view)),
      values: state.values ?? formValuesOf(view.effective),
      errors: state.errors ?? {},
      action: `/conventions/${view.convention.number}/amendments/new`,
      version: null,
    });
  }

  router.get('/amendments/new', async (req, res) => {
    await renderNew(req, res);
  });

  router.post('/amendments/new', async (req, res) => {
    const t = translate(res);
    const number = numberFrom(req);
    const values = submittedValues(req.body);
    const form = parseForm(amendmentFormSchema, req.body);
    if (!form.ok) {
      await renderNew(req, res, { status: 422, errors: form.errors, values });
      return;
    }
    try {
      if (!form.value.confirmed) {
        const preview = await previewAmendment(knex, changeContext(req), number, form.value);
        res.render('conventions/amendments-confirm', {
          title: t('conventions.amendments.confirmTitle', { number }),
          ...(await common(res, preview.view)),
          rows: await changeRows(knex, t, preview.values, preview.view.effective),
          amendment: preview.values,
          hidden: Object.entries(values).filter(([key]) => key !== '_csrf' && key !== 'confirmed'),
          errors: {},
        });
        return;
      }
      const created = await createAmendment(knex, changeContext(req), number, form.value);
      flash(
        req,
        'success',
        t(form.value.validate_now ? 'conventions.amendments.flash.createdValidated' : 'conventions.amendments.flash.created', { number: created }),
      );
      res.redirect(`/conventions/${number}/amendments/${created}`);
    } catch (error) {
      await renderNew(req, res, { ...refusal(res, error), values });
      return;
    }
  });

  async function renderOne(req: Request, res: Response, state: PageState = {}) {
    const t = translate(res);
    const view = await amendmentView(knex, actorOf(req), numberFrom(req), amendmentNumberFrom(req));
    res.status(state.status ?? 200).render('conventions/amendments-show', {
      title: t('conventions.amendments.showTitle', { number: view.convention.number!, amendment: view.amendment.number }),
      ...(await common(res, view)),
      amendment: view.amendment,
      rows: await changeRows(knex, t, view.amendment, view.before),
      values: state.values ?? formValuesOf(view.effective, view.amendment),
      errors: state.errors ?? {},
      action: `/conventions/${view.convention.number}/amendments/${view.amendment.number}`,
      version: view.amendment.version,
      // The amendment prints like the convention (the same right).
      pdfHref:
        (await printableDocuments(knex, actorOf(req), view.convention)).length > 0
          ? `/conventions/${view.convention.number}/amendments/${view.amendment.number}/amendment.pdf`
          : null,
    });
  }

  router.get('/amendments/:amendment', async (req, res) => {
    await renderOne(req, res);
  });

  /** Runs a change of an amendment; refusals re-display its page (422 rules, 409 someone acted first). */
  async function change(req: Request, res: Response, run: (version: number) => Promise<void>, success: string) {
    const t = translate(res);
    const version = parseForm(versionSchema, req.body);
    if (!version.ok) throw badRequest();
    const values = submittedValues(req.body);
    try {
      await run(version.value.version);
    } catch (error) {
      if (error instanceof RuleViolation || error instanceof StaleVersionError) {
        await renderOne(req, res, { ...refusal(res, error), values: error instanceof RuleViolation ? values : undefined });
        return;
      }
      throw error;
    }
    const number = numberFrom(req);
    const amendment = amendmentNumberFrom(req);
    flash(req, 'success', t(`conventions.amendments.flash.${success}`, { number: amendment }));
    res.redirect(success === 'deleted' ? `/conventions/${number}/amendments` : `/conventions/${number}/amendments/${amendment}`);
  }

  router.post('/amendments/:amendment', async (req, res) => {
    const form = parseForm(amendmentFormSchema, req.body);
    if (!form.ok) {
      // The rights first: a person who may not edit gets 403/404, not the form's errors.
      const view = await amendmentView(knex, actorOf(req), numberFrom(req), amendmentNumberFrom(req));
      if (!view.rights.write) {
        throw new ForbiddenError();
      }
      await renderOne(req, res, { status: 422, errors: form.errors, values: submittedValues(req.body) });
      return;
    }
    await change(req, res, (version) => editAmendment(knex, changeContext(req), numberFrom(req), amendmentNumberFrom(req), version, form.value), 'saved');
  });

  router.post('/amendments/:amendment/validate', async (req, res) => {
    await change(req, res, (version) => validateAmendment(knex, changeContext(req), numberFrom(req), amendmentNumberFrom(req), version), 'validated');
  });

  router.post('/amendments/:amendment/delete', async (req, res) => {
    await change(req, res, (version) => deleteAmendment(knex, changeContext(req), numberFrom(req), amendmentNumberFrom(req), version), 'deleted');
  });

  router.post('/amendments/:amendment/withdraw', async (req, res) => {
    await change(req, res, (version) => withdrawAmendment(knex, changeContext(req), numberFrom(req), amendmentNumberFrom(req), version), 'withdrawn');
  });

  return router;
}

/** What the convention page needs to show the effective values next to the original ones. */
export async function effectiveDisplay(knex: Knex, convention: ConventionDetails) {
  const { effective } = await effectiveOf(knex, convention);
  const labels =
    effective.amended.length === 0
      ? null
      : await labelsOf(knex, {
          services: [convention.service_id, effective.service_id].filter((id): id is number => id !== null),
          contacts: [convention.tutor_id, effective.tutor_id].filter((id): id is number => id !== null),
          teachers: [convention.supervisor_teacher_id, effective.supervisor_teacher_id].filter((id): id is number => id !== null),
        });
  const pair = (key: 'service' | 'tutor' | 'supervisor', map: Map<number, string> | undefined, before: number | null, after: number | null) =>
    effective.amended.includes(key === 'service' ? 'service_id' : key === 'tutor' ? 'tutor_id' : 'supervisor_teacher_id')
      ? { before: map?.get(before ?? 0) ?? '', after: map?.get(after ?? 0) ?? '' }
      : null;
  return {
    effective,
    amendmentLabels: {
      service: pair('service', labels?.services, convention.service_id, effective.service_id),
      tutor: pair('tutor', labels?.contacts, convention.tutor_id, effective.tutor_id),
      supervisor: pair('supervisor', labels?.teachers, convention.supervisor_teacher_id, effective.supervisor_teacher_id),
    },
  };
}
