import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { requireRole, requireSignIn } from '../web/auth/actor-middleware.ts';
import { badRequest, forbidden } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { parseForm, submittedValues, type FieldErrors } from '../web/forms.ts';
import { RuleViolation, StaleVersionError } from '../errors.ts';
import { FORM_CHOICES } from './form-choices.ts';
import { memberRoutes } from './members-routes.ts';
import { centreUpdateSchema, centreWithLevelSchema, criterionSchema, NEW_CENTRE_DEFAULTS, versionSchema } from './schemas.ts';
import { addCriterion, removeCriterion } from './criteria-service.ts';
import { deleteCentre, deletionReport } from './deletion.ts';
import { centreLogo, removeLogo, replaceLogo, type LogoUpload } from './logo-service.ts';
import { assertCentreAccess, centreDetails, createCentre, listCentresFor, updateCentreSettings } from './service.ts';
import { actorOf, changeContext, idFrom, refusal, translate } from '../web/http.ts';
import { mayChangeCentreLevel, mayCreateCentres } from '../access/policy.ts';

interface FormState {
  status?: number;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  /** The version the re-displayed form carries: the current one after a conflict, so that saving again works. */
  version?: number;
}

function logoUpload(req: Request): LogoUpload {
  if (req.uploadProblem) return { problem: req.uploadProblem.code };
  const [file] = Array.isArray(req.files) ? req.files : [];
  return file ? { bytes: file.buffer } : { problem: 'missing' };
}

function centreRoutes(knex: Knex): Router {
  const router = Router();

  async function renderCentre(req: Request, res: Response, centreId: number, state: FormState = {}) {
    const details = await centreDetails(knex, actorOf(req), centreId);
    res.status(state.status ?? 200).render('centres/show', {
      title: details.centre.name,
      details,
      values: state.values ?? details.centre,
      errors: state.errors ?? {},
      version: state.version ?? details.centre.version,
      choices: FORM_CHOICES,
    });
  }

  function renderNew(res: Response, state: FormState = {}) {
    res.status(state.status ?? 200).render('centres/new', {
      title: translate(res)('centres.create.title'),
      values: state.values ?? NEW_CENTRE_DEFAULTS,
      errors: state.errors ?? {},
      choices: FORM_CHOICES,
    });
  }

  async function renderDeletion(req: Request, res: Response, centreId: number, state: FormState = {}) {
    const report = await deletionReport(knex, actorOf(req), centreId);
    res.status(state.status ?? 200).render('centres/delete', {
      title: translate(res)('centres.delete.title', { name: report.centre.name }),
      report,
      errors: state.errors ?? {},
    });
  }

  router.get('/centres', async (req, res) => {
    res.render('centres/list', { title: translate(res)('centres.title'), centres: await listCentresFor(knex, actorOf(req)) });
  });

  router.get('/centres/new', (req, res) => {
    if (!mayCreateCentres(actorOf(req))) throw forbidden();
    renderNew(res);
  });

  router.post('/centres', async (req, res) => {
    if (!mayCreateCentres(actorOf(req))) throw forbidden();
    const form = parseForm(centreWithLevelSchema, req.body);
    if (!form.ok) {
      renderNew(res, { status: 422, values: submittedValues(req.body), errors: form.errors });
      return;
    }
    try {
      const id = await createCentre(knex, changeContext(req), form.value);
      flash(req, 'success', translate(res)('centres.flash.created', { name: form.value.name }));
      res.redirect(`/centres/${id}`);
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      renderNew(res, { ...refusal(res, error), values: submittedValues(req.body) });
    }
  });

  router.get('/centres/:id', async (req, res) => {
    await renderCentre(req, res, idFrom(req.params.id));
  });

  router.post('/centres/:id', async (req, res) => {
    const centreId = idFrom(req.params.id);
    const actor = actorOf(req);
    await assertCentreAccess(knex, actor, centreId, 'admin');
    const version = parseForm(versionSchema, req.body);
    if (!version.ok) throw badRequest();
    const values = submittedValues(req.body);
    const form = parseForm(centreUpdateSchema, mayChangeCentreLevel(actor) ? values : { ...values, level: undefined });
    if (!form.ok) {
      await renderCentre(req, res, centreId, { status: 422, values, errors: form.errors, version: version.value.version });
      return;
    }
    try {
      await updateCentreSettings(knex, changeContext(req), centreId, version.value.version, form.value);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        const errors = { _form: translate(res)('common.forms.staleVersion') };
        await renderCentre(req, res, centreId, { status: 409, values, errors, version: error.currentVersion ?? undefined });
        return;
      }
      if (!(error instanceof RuleViolation)) throw error;
      await renderCentre(req, res, centreId, { ...refusal(res, error), values, version: version.value.version });
      return;
    }
    flash(req, 'success', translate(res)('centres.flash.saved'));
    res.redirect(`/centres/${centreId}`);
  });

  router.post('/centres/:id/criteria', async (req, res) => {
    const centreId = idFrom(req.params.id);
    await assertCentreAccess(knex, actorOf(req), centreId, 'admin');
    const form = parseForm(criterionSchema, req.body);
    if (!form.ok) {
      await renderCentre(req, res, centreId, { status: 422, errors: form.errors });
      return;
    }
    try {
      await addCriterion(knex, changeContext(req), centreId, form.value.kind, form.value.code);
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      await renderCentre(req, res, centreId, refusal(res, error));
      return;
    }
    flash(req, 'success', translate(res)('centres.flash.criterionAdded', { code: form.value.code }));
    res.redirect(`/centres/${centreId}#criteria`);
  });

  router.post('/centres/:id/criteria/:criterionId/delete', async (req, res) => {
    const centreId = idFrom(req.params.id);
    const code = await removeCriterion(knex, changeContext(req), centreId, idFrom(req.params.criterionId));
    flash(req, 'success', translate(res)('centres.flash.criterionRemoved', { code }));
    res.redirect(`/centres/${centreId}#criteria`);
  });

  router.get('/centres/:id/logo', async (req, res) => {
    const logo = await centreLogo(knex, actorOf(req), idFrom(req.params.id));
    // Private to the centre's members: no shared cache keeps it; the page adds the version to the address.
    res.set('Cache-Control', 'private, no-cache').type(logo.mimeType).send(logo.bytes);
  });

  router.post('/centres/:id/logo', async (req, res) => {
    const centreId = idFrom(req.params.id);
    try {
      await replaceLogo(knex, changeContext(req), centreId, logoUpload(req));
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      await renderCentre(req, res, centreId, refusal(res, error));
      return;
    }
    flash(req, 'success', translate(res)('centres.flash.logoSaved'));
    res.redirect(`/centres/${centreId}#logo`);
  });

  router.post('/centres/:id/logo/delete', async (req, res) => {
    const centreId = idFrom(req.params.id);
    await removeLogo(knex, changeContext(req), centreId);
    flash(req, 'success', translate(res)('centres.flash.logoRemoved'));
    res.redirect(`/centres/${centreId}#logo`);
  });

  router.get('/centres/:id/delete', async (req, res) => {
    await renderDeletion(req, res, idFrom(req.params.id));
  });

  router.post('/centres/:id/delete', async (req, res) => {
    const centreId = idFrom(req.params.id);
    try {
      const name = await deleteCentre(knex, changeContext(req), centreId);
      flash(req, 'success', translate(res)('centres.flash.deleted', { name }));
      res.redirect('/centres');
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      await renderDeletion(req, res, centreId, refusal(res, error));
    }
  });

  return router;
}

export function centresModule({ knex }: ModuleDependencies): AppModule {
  const router = Router();
  // Students and teachers have no business with centres: refused before any centre is even looked up.
  router.use('/centres', requireSignIn, requireRole('staff', 'super_admin'));
  router.use(centreRoutes(knex));
  router.use(memberRoutes(knex));
  return {
    router,
    menu: [{ href: '/centres', labelKey: 'common.menu.centres', roles: ['staff', 'super_admin'], order: 40 }],
  };
}
