import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { badRequest, forbidden } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { submittedValues, type FieldErrors } from '../web/forms.ts';
import { formatDateTime, formatDay, offerContext } from './http.ts';
import { offerFormChoices, offerPage } from './pages.ts';
import { changeOfferState, publishOffer, transferOffer } from './service.ts';
import { OFFER_TRANSITIONS, type OfferTransition } from './life-cycle.ts';
import { actorOf, idFrom, refusal, translate, versionFrom } from '../web/http.ts';

/**
 * The publication block's actions: publish (again), stop, mark filled and back, delete, and transfer to
 * the company centre (after a confirmation page). A refusal shows the offer page with the reason.
 */
export async function renderOffer(
  knex: Knex,
  req: Request,
  res: Response,
  id: number,
  state: { status?: number; errors?: FieldErrors; values?: Record<string, unknown> } = {},
) {
  const page = await offerPage(knex, actorOf(req), offerContext(req).today, id);
  const values = state.values ?? { months: '2' };
  res.status(state.status ?? 200).render('offers/show', {
    title: page.offer.title,
    page,
    errors: state.errors ?? {},
    values,
    choices: page.mayManage ? await offerFormChoices(knex, actorOf(req), page.offer.host_id, page.offer.centre_id, values) : null,
    formatDateTime,
    formatDay,
  });
}

export function offerStateRoutes(knex: Knex): Router {
  const router = Router();

  router.post('/offers/:id/publish', async (req, res) => {
    const id = idFrom(req.params.id);
    try {
      await publishOffer(knex, offerContext(req), id, versionFrom(req.body), req.body);
      flash(req, 'success', translate(res)('offers.flash.published'));
      res.redirect(`/offers/${id}#publication`);
    } catch (error) {
      await renderOffer(knex, req, res, id, { ...refusal(res, error), values: submittedValues(req.body) });
    }
  });

  router.post('/offers/:id/state/:transition', async (req, res) => {
    const id = idFrom(req.params.id);
    const transition = req.params.transition as OfferTransition;
    if (!(OFFER_TRANSITIONS as readonly string[]).includes(transition)) throw badRequest();
    try {
      await changeOfferState(knex, offerContext(req), id, versionFrom(req.body), transition);
    } catch (error) {
      await renderOffer(knex, req, res, id, refusal(res, error));
      return;
    }
    flash(req, 'success', translate(res)(`offers.flash.${transition}`));
    res.redirect(transition === 'delete' ? '/offers' : `/offers/${id}#publication`);
  });

  router.get('/offers/:id/transfer', async (req, res) => {
    const page = await offerPage(knex, actorOf(req), offerContext(req).today, idFrom(req.params.id));
    if (!page.mayManage) throw forbidden();
    res.render('offers/transfer', { title: translate(res)('offers.transfer.title', { number: page.offer.id }), page });
  });

  router.post('/offers/:id/transfer', async (req, res) => {
    const id = idFrom(req.params.id);
    try {
      await transferOffer(knex, offerContext(req), id, versionFrom(req.body));
    } catch (error) {
      await renderOffer(knex, req, res, id, refusal(res, error));
      return;
    }
    flash(req, 'success', translate(res)('offers.flash.transferred'));
    // The offer may now be out of the staff member's centres.
    res.redirect('/offers');
  });

  return router;
}
