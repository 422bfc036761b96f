import { badRequest } from '../../web/errors.ts';
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { lazyMessage } from '../../i18n/index.ts';
import { flash } from '../../web/flash.ts';
import { parseForm, submittedValues, type FieldErrors } from '../../web/forms.ts';
import { StaleVersionError } from '../../errors.ts';
import { ConventionTransitionError } from '../shared/errors.ts';
import { display, frameOf } from '../shared/presenter.ts';
import { versionSchema } from '../shared/schemas.ts';
import { applyTransition, conventionHistory, validateMany, validationView } from './service.ts';
import { WORKFLOW_ACTIONS, type WorkflowAction } from '../shared/workflow.ts';
import { actorOf, changeContext, idFrom, translate } from '../../web/http.ts';

/**
 * The validation workflow's pages: `/conventions/:number/validation` (what this person
 * may do now, one form per action), `/conventions/:number/history` (who, when, why) and the bulk
 * administrative validation posted from the list.
 */

export const REASON_MAX_LENGTH = 2000;

const reasonSchema = z.object({
  reason: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : ''),
    z.string().max(REASON_MAX_LENGTH, lazyMessage('conventions.workflow.errors.reasonTooLong', { max: REASON_MAX_LENGTH })),
  ),
});

const bulkSchema = z.object({
  numbers: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(
        z
          .string()
          .regex(/^[1-9][0-9]{0,8}$/)
          .transform(Number),
      )
      .max(500),
  ),
});

interface PageState {
  status?: number;
  errors?: FieldErrors;
  values?: Record<string, unknown>;
}

export function validationRoutes(knex: Knex): { conventionRouter: Router; bulkRouter: Router } {
  const conventionRouter = Router({ mergeParams: true });

  const numberFrom = (req: Request) => idFrom((req.params as Record<string, string | undefined>).number);

  async function renderValidation(req: Request, res: Response, state: PageState = {}) {
    const t = translate(res);
    const view = await validationView(knex, actorOf(req), numberFrom(req));
    res.status(state.status ?? 200).render('conventions/validation', {
      title: t('conventions.workflow.validation.title', { number: view.convention.number! }),
      frame: frameOf(t, view.convention, view.access, 'summary', 'validation'),
      convention: view.convention,
      view,
      errors: state.errors ?? {},
      values: state.values ?? {},
      reasonMaxLength: REASON_MAX_LENGTH,
      display,
    });
  }

  conventionRouter.get('/validation', async (req, res) => {
    await renderValidation(req, res);
  });

  conventionRouter.post('/validation/:action', async (req, res) => {
    const number = numberFrom(req);
    const action = (req.params as Record<string, string>).action as WorkflowAction;
    if (!(WORKFLOW_ACTIONS as readonly string[]).includes(action)) throw badRequest();
    const version = parseForm(versionSchema, req.body);
    const form = parseForm(reasonSchema, req.body);
    if (!version.ok) throw badRequest();
    const values = submittedValues(req.body);
    const t = translate(res);
    if (!form.ok) {
      await renderValidation(req, res, { status: 422, errors: form.errors, values });
      return;
    }
    try {
      await applyTransition(knex, changeContext(req), number, version.value.version, action, form.value.reason);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        await renderValidation(req, res, { status: 409, errors: { _form: t('conventions.workflow.errors.stale') } });
        return;
      }
      if (error instanceof ConventionTransitionError) {
        const status = { state: 409, actor: 403, reason: 422, amendment: 409 }[error.refusal];
        if (error.refusal === 'actor') req.log?.warn({ login: req.actor?.login, number, action }, 'workflow action refused to this person');
        const field = error.refusal === 'reason' ? 'reason' : '_form';
        await renderValidation(req, res, { status, errors: { [field]: t(`conventions.workflow.errors.${error.refusal}`) }, values });
        return;
      }
      throw error;
    }
    flash(req, 'success', t(`conventions.workflow.flash.${action}`, { number }));
    res.redirect(`/conventions/${number}/validation`);
  });

  conventionRouter.get('/history', async (req, res) => {
    const t = translate(res);
    const history = await conventionHistory(knex, actorOf(req), numberFrom(req));
    res.render('conventions/history', {
      title: t('conventions.workflow.history.title', { number: history.convention.number! }),
      frame: frameOf(t, history.convention, history.access, 'summary', 'history'),
      convention: history.convention,
      transitions: history.transitions,
      errors: {},
      display,
    });
  });

  const bulkRouter = Router();
  bulkRouter.post('/conventions/bulk-validation', async (req, res) => {
    const t = translate(res);
    const form = parseForm(bulkSchema, req.body);
    if (!form.ok) throw badRequest();
    if (form.value.numbers.length === 0) {
      flash(req, 'error', t('conventions.workflow.bulk.noneSelected'));
      res.redirect('/conventions');
      return;
    }
    const report = await validateMany(knex, changeContext(req), form.value.numbers);
    res.render('conventions/bulk-report', { title: t('conventions.workflow.bulk.title'), report });
  });

  return { conventionRouter, bulkRouter };
}
