import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { NotFoundError } from '../errors.ts';
import { createContact, getHost, hostFormChoices, listServices } from '../hosts/service.ts';
import { forbidden, notFound } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { submittedValues, type FieldErrors } from '../web/forms.ts';
import { offerContext } from './http.ts';
import { offerPage } from './pages.ts';
import { mayCreateOffers } from '../access/policy.ts';
import { actorOf, changeContext, idFrom, refusal, translate } from '../web/http.ts';

/**
 * A new contact of the host, created from an offer form (`/offers/contacts/new?host=…[&offer=…]`) with
 * the directory's contact form and rules, then back to the offer form where it can be picked.
 */
interface Target {
  hostId: number;
  /** The offer whose host block asked for the contact; none while the offer is being created. */
  offerId: number | null;
}

export function offerContactRoutes(knex: Knex): Router {
  const router = Router();

  async function targetOf(req: Request): Promise<Target> {
    if (!mayCreateOffers(actorOf(req))) throw forbidden();
    const hostId = idFrom(typeof req.query.host === 'string' ? req.query.host : undefined);
    if (typeof req.query.offer !== 'string') return { hostId, offerId: null };
    const offerId = idFrom(req.query.offer);
    if (!(await offerPage(knex, actorOf(req), offerContext(req).today, offerId)).mayManage) throw forbidden();
    return { hostId, offerId };
  }

  const backTo = ({ hostId, offerId }: Target) => (offerId === null ? `/offers/new?host=${hostId}` : `/offers/${offerId}/edit/host?host=${hostId}`);

  async function renderForm(
    req: Request,
    res: Response,
    target: Target,
    state: { status?: number; values?: Record<string, unknown>; errors?: FieldErrors } = {},
  ) {
    let host;
    try {
      host = await getHost(knex, actorOf(req), target.hostId);
    } catch (error) {
      if (error instanceof NotFoundError) throw notFound();
      throw error;
    }
    const services = await listServices(knex, actorOf(req), target.hostId);
    const values = state.values ?? { service_id: services.length === 1 ? services[0]!.id : undefined };
    res.status(state.status ?? 200).render('offers/new-contact', {
      title: translate(res)('hosts.contact.newTitle', { host: host.name }),
      host,
      action: req.originalUrl,
      back: backTo(target),
      services: services.map((service) => ({ value: service.id, label: service.name })),
      values,
      errors: state.errors ?? {},
      choices: await hostFormChoices(knex, values),
    });
  }

  router.get('/offers/contacts/new', async (req, res) => {
    await renderForm(req, res, await targetOf(req));
  });

  router.post('/offers/contacts/new', async (req, res) => {
    const target = await targetOf(req);
    try {
      await createContact(knex, changeContext(req), target.hostId, req.body);
    } catch (error) {
      await renderForm(req, res, target, { ...refusal(res, error), values: submittedValues(req.body) });
      return;
    }
    const name = `${String(req.body.first_name).trim()} ${String(req.body.last_name).trim()}`;
    flash(req, 'success', translate(res)('hosts.flash.contactCreated', { name }));
    res.redirect(backTo(target));
  });

  return router;
}
