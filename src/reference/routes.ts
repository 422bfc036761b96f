import { Router, type Response } from 'express';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { localeEuros, localeNumberFormat } from '../i18n/formats.ts';
import { todayInFrance } from '../rules/academic-year.ts';
import { requireRole, requireSignIn } from '../web/auth/actor-middleware.ts';
import { flash } from '../web/flash.ts';
import { parseForm, submittedValues, type FieldErrors } from '../web/forms.ts';
import { loadLegalRates, loadRateOfCeiling } from './legal-rates-repository.ts';
import { legalRateSchema, RATE_YEARS } from './legal-rates-schemas.ts';
import { saveLegalRate } from './legal-rates-service.ts';
import { actorOf, translate } from '../web/http.ts';

const percent = localeNumberFormat({ maximumFractionDigits: 2 });

interface FormState {
  status?: number;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
}

/**
 * Reference data the super-admin keeps up to date: the hourly social-security ceiling of each calendar
 * year, from which the legal minimum gratification follows (the other legal parameters change with the
 * law, and with Conventio).
 */
export function referenceModule({ knex }: ModuleDependencies): AppModule {
  const router = Router();
  const superAdminOnly = [requireSignIn, requireRole('super_admin')];

  async function renderRates(res: Response, state: FormState = {}) {
    const [rates, rateOfCeiling] = await Promise.all([loadLegalRates(knex), loadRateOfCeiling(knex)]);
    // The form proposes next year while its ceiling is not on record: the one to enter in December.
    const nextYear = Number(todayInFrance().slice(0, 4)) + 1;
    res.status(state.status ?? 200).render('reference/legal-rates', {
      title: translate(res)('reference.legalRates.title'),
      rates: rates.map((rate) => ({ year: rate.year, ceiling: localeEuros(rate.ceilingCents), minimum: localeEuros(rate.minimumCents) })),
      ratePercent: percent.format(rateOfCeiling / 100),
      values: state.values ?? { year: rates.some((rate) => rate.year === nextYear) ? '' : String(nextYear) },
      errors: state.errors ?? {},
      years: RATE_YEARS,
    });
  }

  router.get('/admin/legal-rates', ...superAdminOnly, async (_req, res) => {
    await renderRates(res);
  });

  router.post('/admin/legal-rates', ...superAdminOnly, async (req, res) => {
    const values = submittedValues(req.body);
    const form = parseForm(legalRateSchema, values);
    if (!form.ok) {
      await renderRates(res, { status: 422, values, errors: form.errors });
      return;
    }
    const rate = await saveLegalRate(knex, {
      actorLogin: actorOf(req).login,
      requestId: req.id,
      year: form.value.year,
      ceilingCents: form.value.hourly_social_security_ceiling,
    });
    flash(req, 'success', translate(res)('reference.legalRates.saved', { year: rate.year, minimum: localeEuros(rate.minimumCents) }));
    res.redirect(303, '/admin/legal-rates');
  });

  return { router };
}
