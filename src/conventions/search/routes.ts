import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { display, labeller } from '../shared/presenter.ts';
import { loadReferenceChoices } from '../shared/repository.ts';
import { loadSearchChoices } from './repository.ts';
import { parseSearch, queryStringOf, searchParametersOf, SORTS } from './schemas.ts';
import { listConventions } from './service.ts';
import { mayStartConventions, mayValidateInBulk } from '../../access/policy.ts';
import { actorOf, translate } from '../../web/http.ts';

/**
 * The criteria of a search: those of the address when the form was submitted (`search=1`, even with
 * every field emptied), else the ones the session remembers, so that coming back to /conventions from
 * a convention finds the list as it was left.
 */
export function searchParametersFrom(req: Request): Record<string, string | string[]> {
  if (req.query.search !== undefined) {
    const parameters = searchParametersOf(req.query);
    req.session.conventionSearch = parameters;
    return parameters;
  }
  const fromAddress = searchParametersOf(req.query);
  return Object.keys(fromAddress).length > 0 ? fromAddress : (req.session.conventionSearch ?? {});
}

export function searchRoutes(knex: Knex): Router {
  const router = Router();

  router.get('/conventions', async (req, res) => {
    if (req.query.reset !== undefined) {
      delete req.session.conventionSearch;
      res.redirect(303, '/conventions');
      return;
    }
    const parameters = searchParametersFrom(req);
    const search = parseSearch({ ...parameters, page: req.query.page });
    const actor = actorOf(req);
    const [list, choices, searchChoices] = await Promise.all([listConventions(knex, actor, search), loadReferenceChoices(knex), loadSearchChoices(knex)]);
    const advancedUsed = Object.keys(parameters).some(
      (name) => !['number', 'academicYear', 'studentNumber', 'lastName', 'firstName', 'sort', 'direction'].includes(name),
    );
    res.status(Object.keys(search.errors).length > 0 ? 400 : 200).render('conventions/list', {
      title: translate(res)('conventions.list.title'),
      list,
      search,
      values: parameters,
      errors: search.errors,
      advancedOpen: advancedUsed || Object.keys(search.errors).length > 0,
      choices,
      searchChoices,
      sorts: SORTS,
      link: (extra: Record<string, string>) => `/conventions?${queryStringOf(parameters, { search: '1', ...extra })}`,
      exportQuery: queryStringOf(parameters),
      mayCreate: mayStartConventions(actor),
      mayValidateInBulk: mayValidateInBulk(actor),
      label: labeller(choices),
      display,
    });
  });

  return router;
}
