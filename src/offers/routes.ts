import { Router, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { mayCreateOffers, maySearchOffers, seesOffersAsStudent } from '../access/policy.ts';
import { requireSignIn } from '../web/auth/actor-middleware.ts';
import { forbidden, notFound } from '../web/errors.ts';
import { submittedValues } from '../web/forms.ts';
import { offerContactRoutes } from './contact-routes.ts';
import { mayManageDepositLinks } from './deposit-service.ts';
import { offerFormRoutes } from './form-routes.ts';
import { formatDay, offerContext } from './http.ts';
import { renderOfferPdf } from './pdf.ts';
import { offerPage, searchChoices, searchOffers } from './pages.ts';
import { findVisibleOfferFile } from './repository.ts';
import { offerAudience } from './scope.ts';
import { pageFrom, parseOfferSearch, SEARCH_FIELDS, SEARCH_STATES } from './search-schemas.ts';
import { offerStateRoutes, renderOffer } from './state-routes.ts';
import { actorOf, idFrom, translate } from '../web/http.ts';

/**
 * The offers (`/offers`, life cycle in docs/domain.md): search, offer page, attached file and printout for staff and
 * students; creation, blocks and life cycle for WRITE staff of the managing centre. What each person
 * sees is decided by `visibleOffers` (scope.ts) in every query.
 */
const staffOrStudent: RequestHandler = (req, _res, next) => next(maySearchOffers(actorOf(req)) ? undefined : forbidden());

function searchAddress(query: Record<string, unknown>, page: number): string {
  const parameters = new URLSearchParams();
  for (const key of SEARCH_FIELDS) if (typeof query[key] === 'string') parameters.set(key, query[key]);
  parameters.set('page', String(page));
  return `/offers?${parameters.toString()}`;
}

function offerRoutes(knex: Knex): Router {
  const router = Router();

  router.get('/offers', async (req, res) => {
    const student = seesOffersAsStudent(actorOf(req));
    const query = submittedValues(req.query);
    const form = parseOfferSearch(query, { student });
    const today = offerContext(req).today;
    const [{ references, countries }, depositLink] = await Promise.all([searchChoices(knex), mayManageDepositLinks(knex, actorOf(req))]);
    const locals = {
      title: translate(res)('offers.title'),
      student,
      mayCreate: mayCreateOffers(actorOf(req)),
      depositLink,
      values: { country: 'FR', ...query },
      references,
      countries,
      states: SEARCH_STATES,
      today,
      formatDay,
    };
    if (!form.ok) {
      res.status(422).render('offers/search', { ...locals, errors: form.errors, result: null, pageHref: null });
      return;
    }
    const result = await searchOffers(knex, actorOf(req), today, form.value, pageFrom(query.page));
    res.render('offers/search', { ...locals, errors: {}, result, pageHref: (page: number) => searchAddress(query, page) });
  });

  router.get('/offers/:id', async (req, res) => {
    await renderOffer(knex, req, res, idFrom(req.params.id));
  });

  router.get('/offers/:id/file', async (req, res) => {
    const audience = await offerAudience(knex, actorOf(req), offerContext(req).today);
    const file = await findVisibleOfferFile(knex, audience, idFrom(req.params.id));
    if (!file) throw notFound();
    res.set({
      'Content-Type': file.file_type,
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(file.file_content);
  });

  router.get('/offers/:id/offer.pdf', async (req, res) => {
    const today = offerContext(req).today;
    const page = await offerPage(knex, actorOf(req), today, idFrom(req.params.id));
    const bytes = await renderOfferPdf(page, today);
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="offre-${page.offer.id}.pdf"`,
      'Cache-Control': 'no-store',
      'Content-Length': String(bytes.length),
    });
    res.end(bytes);
  });

  return router;
}

export function offersModule({ knex, config }: ModuleDependencies): AppModule {
  const router = Router();
  router.use('/offers', requireSignIn, staffOrStudent);
  // Before `/offers/:id`: "new" and "contacts" are not offer numbers.
  router.use(offerFormRoutes(knex, config));
  router.use(offerContactRoutes(knex));
  router.use(offerRoutes(knex));
  router.use(offerStateRoutes(knex));
  return {
    router,
    menu: [{ href: '/offers', labelKey: 'offers.menu', roles: ['staff', 'super_admin', 'student'], order: 15 }],
  };
}
