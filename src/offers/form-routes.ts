import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { EMPTY_SEARCH, parseHostSearch, pageFrom } from '../hosts/schemas.ts';
import { countryChoices, createHost, hostFormChoices, searchHosts } from '../hosts/service.ts';
import { badRequest, forbidden, notFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { submittedValues, type FieldErrors } from '../web/forms.ts';
import { offerContext, offerUpload } from './http.ts';
import { offerFormChoices, offerPage } from './pages.ts';
import { findChoosableHost, findHostSummary } from './repository.ts';
import { versionOf } from './schemas.ts';
import { mayCreateOffers } from '../access/policy.ts';
import { createOffer, managedCentres, updateCentreBlock, updateContentBlock, updateDetailsBlock, updateHostBlock } from './service.ts';
import { actorOf, changeContext, idFrom, refusal, translate } from '../web/http.ts';

/**
 * Creating an offer (`/offers/new`: find or create the host with the directory's search and form, then
 * the offer's form) and editing the blocks of its page (`/offers/:id/edit/centre|host|details|content`).
 */
interface FormState {
  status?: number;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
}

const BLOCKS = ['centre', 'host', 'details', 'content'] as const;
type Block = (typeof BLOCKS)[number];

function blockFrom(value: unknown): Block {
  if (!BLOCKS.includes(value as Block)) throw badRequest();
  return value as Block;
}

const hostIdOf = (value: unknown) => (typeof value === 'string' && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : null);

export function offerFormRoutes(knex: Knex, config: Config): Router {
  const router = Router();

  router.use(['/offers/new', '/offers/new/host'], (req, _res, next) => next(mayCreateOffers(actorOf(req)) ? undefined : forbidden()));

  async function renderHostChoice(req: Request, res: Response) {
    const query = submittedValues(req.query);
    const searched = Object.keys(query).some((key) => key !== 'page' && typeof query[key] === 'string' && query[key] !== '');
    const form = parseHostSearch(query);
    const result = searched && form.ok ? await searchHosts(knex, actorOf(req), form.value, pageFrom(query.page)) : null;
    const parameters = (page: number) =>
      new URLSearchParams({
        ...(Object.fromEntries(Object.entries(query).filter(([, value]) => typeof value === 'string')) as Record<string, string>),
        page: String(page),
      });
    res.status(form.ok ? 200 : 422).render('offers/choose-host', {
      title: translate(res)('offers.create.chooseHostTitle'),
      values: query,
      errors: form.ok ? {} : form.errors,
      countries: await countryChoices(knex),
      result,
      pageHref: (page: number) => `/offers/new?${parameters(page).toString()}`,
    });
  }

  async function renderCreation(req: Request, res: Response, hostId: number, state: FormState = {}) {
    const centres = await managedCentres(knex, actorOf(req));
    const values = state.values ?? {
      centre_id: centres.length === 1 ? String(centres[0]!.id) : '',
      kind: 'form',
      country_code: 'FR',
      host_shown: 'on',
      months: '2',
    };
    const host = await findChoosableHost(knex, hostId);
    if (!host) {
      await renderHostChoice(req, res);
      return;
    }
    const centreId = hostIdOf(values.centre_id);
    res.status(state.status ?? 200).render('offers/new', {
      title: translate(res)('offers.create.title'),
      host,
      values,
      errors: state.errors ?? {},
      choices: await offerFormChoices(knex, actorOf(req), hostId, centreId, values),
    });
  }

  router.get('/offers/new', async (req, res) => {
    const hostId = hostIdOf(req.query.host);
    if (hostId === null) await renderHostChoice(req, res);
    else await renderCreation(req, res, hostId);
  });

  async function renderHostForm(res: Response, state: FormState = {}) {
    const values = state.values ?? { country_code: 'FR' };
    res.status(state.status ?? 200).render('offers/new-host', {
      title: translate(res)('offers.create.newHostTitle'),
      values,
      errors: state.errors ?? {},
      choices: await hostFormChoices(knex, values),
    });
  }

  router.get('/offers/new/host', async (_req, res) => {
    await renderHostForm(res);
  });

  router.post('/offers/new/host', async (req, res) => {
    try {
      const id = await createHost(knex, changeContext(req), req.body);
      res.redirect(`/offers/new?host=${id}`);
    } catch (error) {
      await renderHostForm(res, { ...refusal(res, error), values: submittedValues(req.body) });
    }
  });

  router.post('/offers', async (req, res) => {
    const body = submittedValues(req.body);
    try {
      const id = await createOffer(knex, offerContext(req), { body, upload: offerUpload(req), switchOver: config.academicYearSwitchOver });
      flash(req, 'success', translate(res)('offers.flash.created', { number: id }));
      res.redirect(`/offers/${id}`);
    } catch (error) {
      const hostId = hostIdOf(body.host_id);
      if (hostId === null) throw badRequest();
      await renderCreation(req, res, hostId, { ...refusal(res, error), values: body });
    }
  });

  async function renderBlock(req: Request, res: Response, id: number, block: Block, state: FormState = {}) {
    const page = await offerPage(knex, actorOf(req), offerContext(req).today, id);
    if (!page.mayManage) throw forbidden();
    const offer = page.offer as unknown as Record<string, unknown>;
    const values = state.values ?? {
      ...offer,
      paid: page.offer.paid === null ? '' : page.offer.paid ? 'yes' : 'no',
      host_id: String(page.offer.host_id),
    };
    const hostId = block === 'host' ? (hostIdOf(req.query.host) ?? hostIdOf(values.host_id) ?? page.offer.host_id) : page.offer.host_id;
    const host = await findHostSummary(knex, hostId);
    if (!host) throw notFound();
    // The host block searches the directory by name to change the host, checked as the directory's search is.
    const hostName = block === 'host' && typeof req.query.name === 'string' ? req.query.name : '';
    const search = parseHostSearch({ name: hostName });
    const hostResults = search.ok && search.value.name !== null ? await searchHosts(knex, actorOf(req), { ...EMPTY_SEARCH, name: search.value.name }, 1) : null;
    res.status(state.status ?? (search.ok ? 200 : 422)).render('offers/edit-block', {
      title: translate(res)(`offers.edit.${block}Title`, { number: id }),
      page,
      block,
      host,
      hostName,
      hostResults,
      values: { ...values, host_id: String(hostId) },
      errors: state.errors ?? (search.ok ? {} : search.errors),
      choices: await offerFormChoices(knex, actorOf(req), hostId, page.offer.centre_id, values),
    });
  }

  router.get('/offers/:id/edit/:block', async (req, res) => {
    await renderBlock(req, res, idFrom(req.params.id), blockFrom(req.params.block));
  });

  router.post('/offers/:id/edit/:block', async (req, res) => {
    const id = idFrom(req.params.id);
    const block = blockFrom(req.params.block);
    const version = versionOf(req.body);
    if (version === null) throw badRequest();
    const body = submittedValues(req.body);
    const context = offerContext(req);
    try {
      if (block === 'centre') await updateCentreBlock(knex, context, id, version, body);
      else if (block === 'host') await updateHostBlock(knex, context, id, version, body);
      else if (block === 'details') await updateDetailsBlock(knex, context, id, version, body);
      else await updateContentBlock(knex, context, id, version, body, offerUpload(req));
      flash(req, 'success', translate(res)('offers.flash.saved'));
      res.redirect(`/offers/${id}#${block}`);
    } catch (error) {
      await renderBlock(req, res, id, block, { ...refusal(res, error), values: body });
    }
  });

  return router;
}
