import { Router, type Response } from 'express';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import type { Translate } from '../i18n/index.ts';
import { todayInFrance } from '../rules/academic-year.ts';
import { requireRole, requireSignIn } from '../web/auth/actor-middleware.ts';
import { flash } from '../web/flash.ts';
import { parseForm, submittedValues, type FieldErrors } from '../web/forms.ts';
import { anonymise, pendingCounts, retentionCutoff } from './anonymisation.ts';
import { personalData } from './personal-data.ts';
import { loadSettings, type InstitutionSettings } from './settings-repository.ts';
import { anonymisationSchema, PAGE_TEXT_MAX_LENGTH, RETENTION_YEARS, settingsSchema } from './settings-schemas.ts';
import { saveSettings } from './settings-service.ts';
import { StaleVersionError } from '../errors.ts';
import { refusal, translate } from '../web/http.ts';
import { textBlocks } from './text-blocks.ts';
import { actorOf } from '../web/http.ts';

type PageText = 'privacy_notice' | 'accessibility_statement';
const DEFAULT_TEXT_KEYS: Record<PageText, string> = {
  privacy_notice: 'privacy.defaults.privacyNotice',
  accessibility_statement: 'privacy.defaults.accessibilityStatement',
};

/** The text a page shows: the super-admin's, or the catalogue's default while they wrote none. */
const pageText = (t: Translate, settings: InstitutionSettings, field: PageText) => settings[field] ?? t(DEFAULT_TEXT_KEYS[field]);

interface FormState {
  status?: number;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  version?: number;
}

/**
 * Personal data: the public privacy and accessibility pages, the download of one's own data, and the
 * super-admin's institution settings with the anonymisation of what is past its retention.
 */
export function privacyModule({ knex }: ModuleDependencies): AppModule {
  const router = Router();
  const superAdminOnly = [requireSignIn, requireRole('super_admin')];

  for (const [path, field, titleKey] of [
    ['/privacy', 'privacy_notice', 'privacy.pages.privacyTitle'],
    ['/accessibility', 'accessibility_statement', 'privacy.pages.accessibilityTitle'],
  ] as const) {
    router.get(path, async (_req, res) => {
      const t = translate(res);
      const settings = await loadSettings(knex);
      res.render('privacy/page', { title: t(titleKey), blocks: textBlocks(pageText(t, settings, field)), showDownload: field === 'privacy_notice' });
    });
  }

  router.get('/me/data', requireSignIn, async (req, res) => {
    const actor = actorOf(req);
    const data = await personalData(knex, actor);
    req.log.info({ login: actor.login }, 'personal data downloaded');
    res.set('Content-Type', 'application/json; charset=utf-8');
    res.attachment(`conventio-mes-donnees-${todayInFrance()}.json`);
    res.send(JSON.stringify(data, null, 2));
  });

  async function renderSettings(res: Response, state: FormState = {}) {
    const t = translate(res);
    const settings = await loadSettings(knex);
    const cutoff = retentionCutoff(todayInFrance(), settings.retention_years);
    res.status(state.status ?? 200).render('privacy/settings', {
      title: t('privacy.settings.title'),
      values: state.values ?? {
        retention_years: settings.retention_years,
        collect_social_security_number: settings.collect_social_security_number,
        privacy_notice: pageText(t, settings, 'privacy_notice'),
        accessibility_statement: pageText(t, settings, 'accessibility_statement'),
      },
      errors: state.errors ?? {},
      version: state.version ?? settings.version,
      retention: { years: settings.retention_years, cutoff, pending: await pendingCounts(knex, cutoff) },
      limits: { retention: RETENTION_YEARS, text: PAGE_TEXT_MAX_LENGTH },
    });
  }

  router.get('/admin/settings', ...superAdminOnly, async (_req, res) => {
    await renderSettings(res);
  });

  router.post('/admin/settings', ...superAdminOnly, async (req, res) => {
    const t = translate(res);
    const values = submittedValues(req.body);
    const form = parseForm(settingsSchema, values);
    if (!form.ok) {
      await renderSettings(res, { status: 422, values, errors: form.errors, version: Number(values.version) || undefined });
      return;
    }
    const { version, ...settings } = form.value;
    // The default text saved unchanged stays the default, so that it follows the catalogue.
    for (const field of ['privacy_notice', 'accessibility_statement'] as const) {
      // Browsers send the lines of a text area ending in CR LF.
      const text = settings[field]?.replace(/\r\n?/g, '\n') ?? null;
      settings[field] = text === t(DEFAULT_TEXT_KEYS[field]).trim() ? null : text;
    }
    try {
      await saveSettings(knex, { actorLogin: actorOf(req).login, requestId: req.id, version, values: settings });
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
      await renderSettings(res, { ...refusal(res, error), values, version: error.currentVersion ?? version });
      return;
    }
    flash(req, 'success', t('privacy.settings.saved'));
    res.redirect('/admin/settings');
  });

  async function renderAnonymisation(res: Response, state: FormState = {}) {
    const t = translate(res);
    const settings = await loadSettings(knex);
    const cutoff = retentionCutoff(todayInFrance(), settings.retention_years);
    res.status(state.status ?? 200).render('privacy/anonymisation', {
      title: t('privacy.anonymisation.title'),
      retention: { years: settings.retention_years, cutoff, pending: await pendingCounts(knex, cutoff) },
      errors: state.errors ?? {},
    });
  }

  router.get('/admin/settings/anonymisation', ...superAdminOnly, async (_req, res) => {
    await renderAnonymisation(res);
  });

  router.post('/admin/settings/anonymisation', ...superAdminOnly, async (req, res) => {
    const t = translate(res);
    const form = parseForm(anonymisationSchema, req.body);
    if (!form.ok) {
      await renderAnonymisation(res, { status: 422, errors: form.errors });
      return;
    }
    const settings = await loadSettings(knex);
    const cutoff = retentionCutoff(todayInFrance(), settings.retention_years);
    const result = await anonymise(knex, { cutoff, actorLogin: actorOf(req).login, requestId: req.id });
    req.log.info({ cutoff, ...result }, 'anonymisation');
    flash(req, 'success', t('privacy.anonymisation.done', { conventions: result.conventions, students: result.students }));
    res.redirect('/admin/settings');
  });

  return { router };
}
