import { Router, type Request, type RequestHandler, type Response } from 'express';
import rateLimit from 'express-rate-limit';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { academicYearOf, todayInFrance } from '../rules/academic-year.ts';
import { requireSignIn } from '../web/auth/actor-middleware.ts';
import { HttpError, notFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { DatabaseRateLimitStore } from '../web/rate-limit-store.ts';
import { idParameter } from '../web/form-fields.ts';
import { submittedValues, type FieldErrors } from '../web/forms.ts';
import { depositChoices } from './deposit-choices.ts';
import { DEPOSIT_MAX_LENGTHS } from './deposit-schemas.ts';
import { centreOfSecret, companyCentresManagedBy, loadDepositReferences, moderateOffer, regenerateLink, submitDeposit } from './deposit-service.ts';
import { localeDateTimeFormat } from '../i18n/formats.ts';
import { actorOf, idFrom, refusal, translate, versionFrom } from '../web/http.ts';

/**
 * The company deposit of offers:
 * - `/offers/deposit-link`: WRITE staff of the company centre see whether a link exists and create a new
 *   one (the secret is shown once, in the answer to that post);
 * - `/offers/deposit/:secret`: the public form a company fills in without signing in, and its thanks;
 * - `POST /offers/:id/moderated`: staff clear the "to moderate" flag of an offer (button on the offer page).
 */
export const DEPOSIT_SUBMISSIONS_PER_HOUR = 20;
/** The honeypot: hidden from people, filled in by robots that fill in every field. */
export const HONEYPOT_FIELD = 'website';

const dateTime = localeDateTimeFormat({ dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

/** A secret as the links carry it (43 base64url characters); anything else cannot open any form. */
function secretFrom(req: Request): string {
  const value = req.params.secret;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(value)) throw notFound();
  return value;
}

/** The secret is the only key of the public pages: neither cached on the way nor indexed. */
const secretPage: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  res.set('X-Robots-Tag', 'noindex, nofollow');
  next();
};

export function offerDepositModule({ knex, config, logger }: ModuleDependencies): AppModule {
  const router = Router();

  // Every post counts, refused ones too: a robot trying secrets or junk is slowed down as much as one posting offers.
  const submissionLimiter = rateLimit({
    windowMs: 60 * 60 * 1000,
    limit: DEPOSIT_SUBMISSIONS_PER_HOUR,
    store: new DatabaseRateLimitStore(knex, 'offer-deposit', logger),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, 'offerDeposit.errors.tooMany')),
  });

  async function renderLinkPage(req: Request, res: Response, created?: { centreId: number; url: string }) {
    const centres = await companyCentresManagedBy(knex, actorOf(req));
    res.render('offers/deposit-link', {
      title: translate(res)('offerDeposit.link.title'),
      centres,
      created,
      formatDate: (value: Date) => dateTime.format(value),
    });
  }

  router.get('/offers/deposit-link', requireSignIn, async (req, res) => {
    await renderLinkPage(req, res);
  });

  router.post('/offers/deposit-link', requireSignIn, async (req, res) => {
    const centreId = idParameter.safeParse(req.body?.centre_id);
    if (!centreId.success) throw new HttpError(400, 'common.errors.badRequest');
    const secret = await regenerateLink(knex, actorOf(req), centreId.data, req.id);
    const origin = config.publicBaseUrl ?? `${req.protocol}://${req.get('host')}`;
    // Answered here rather than after a redirect: the secret is never stored, not even in the session.
    await renderLinkPage(req, res, { centreId: centreId.data, url: `${origin}/offers/deposit/${secret}` });
  });

  async function renderForm(res: Response, secret: string, state: { status?: number; values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const values = state.values ?? { country_code: 'FR', host_country_code: 'FR' };
    res.status(state.status ?? 200).render('offers/deposit-form', {
      title: translate(res)('offerDeposit.form.title'),
      action: `/offers/deposit/${secret}`,
      values,
      errors: state.errors ?? {},
      choices: depositChoices(await loadDepositReferences(knex), res.locals.lang as string),
      maxLengths: DEPOSIT_MAX_LENGTHS,
      honeypot: HONEYPOT_FIELD,
    });
  }

  router.get('/offers/deposit/:secret', secretPage, async (req, res) => {
    const secret = secretFrom(req);
    await centreOfSecret(knex, secret);
    await renderForm(res, secret);
  });

  router.post('/offers/deposit/:secret', secretPage, submissionLimiter, async (req, res) => {
    const secret = secretFrom(req);
    const centreId = await centreOfSecret(knex, secret);
    const thanks = `/offers/deposit/${secret}/thanks`;
    const body = submittedValues(req.body);
    if (body[HONEYPOT_FIELD] !== undefined && body[HONEYPOT_FIELD] !== '') {
      // Answered as a success, so that the robot does not learn to leave the field empty.
      req.log.warn({ centreId }, 'offer deposit: honeypot filled, nothing stored');
      res.redirect(303, thanks);
      return;
    }
    const context = { centreId, academicYear: academicYearOf(todayInFrance(), config.academicYearSwitchOver), requestId: req.id };
    try {
      const offerId = await submitDeposit(knex, await loadDepositReferences(knex), context, body);
      req.log.info({ offerId, centreId }, 'offer deposited by a company');
      res.redirect(303, thanks);
    } catch (error) {
      const refused = refusal(res, error);
      delete body._csrf;
      await renderForm(res, secret, { ...refused, values: body });
    }
  });

  router.get('/offers/deposit/:secret/thanks', secretPage, async (req, res) => {
    const secret = secretFrom(req);
    await centreOfSecret(knex, secret);
    res.render('offers/deposit-thanks', { title: translate(res)('offerDeposit.thanks.title'), again: `/offers/deposit/${secret}` });
  });

  router.post('/offers/:id/moderated', requireSignIn, async (req, res) => {
    const offerId = idFrom(req.params.id);
    await moderateOffer(knex, actorOf(req), offerId, versionFrom(req.body), req.id);
    flash(req, 'success', translate(res)('offerDeposit.flash.moderated'));
    res.redirect(`/offers/${offerId}`);
  });

  return { router };
}
