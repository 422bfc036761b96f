import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Translate } from '../i18n/index.ts';
import { flash } from '../web/flash.ts';
import { parseForm, type FieldErrors } from '../web/forms.ts';
import { RuleViolation } from '../errors.ts';
import { FORM_CHOICES } from './form-choices.ts';
import { attachMember, changeMember, detachMember, membersPage } from './members-service.ts';
import { attachMemberSchema, memberRightsSchema, memberSearchSchema, type MemberSearch } from './schemas.ts';
import { centreAccessOf } from '../access/policy.ts';
import { assertCentreAccess } from './service.ts';
import { actorOf, changeContext, idFrom, refusal, translate } from '../web/http.ts';

// The search form is the only one of the page whose controls are named after their field (`field-lastName`…).
// The others are one per row of a table — the rights of a member, the attachment of a candidate, which
// is not even shown again after a refusal — so their errors go at the top of the page, under `_form`,
// rather than link to a control the page does not have.
const SEARCH_FIELDS: ReadonlySet<string> = new Set(Object.keys(memberSearchSchema.shape));
const FIELD_LABELS: Readonly<Record<string, string>> = {
  access_right: 'centres.members.right',
  appears_on_conventions: 'centres.members.appearsOnConventions',
  notify: 'centres.members.notify',
};

function errorsOnMembersPage(errors: FieldErrors, t: Translate): FieldErrors {
  const shown: FieldErrors = {};
  const general: string[] = [];
  for (const [field, message] of Object.entries(errors)) {
    if (SEARCH_FIELDS.has(field)) shown[field] = message;
    else {
      const label = FIELD_LABELS[field];
      general.push(label ? t('centres.members.fieldError', { field: t(label), message }) : message);
    }
  }
  if (general.length > 0) shown._form = general.join(' ');
  return shown;
}

export function memberRoutes(knex: Knex): Router {
  const router = Router();

  async function renderMembers(
    req: Request,
    res: Response,
    centreId: number,
    state: { status?: number; errors?: FieldErrors; search?: MemberSearch; values?: Record<string, unknown> } = {},
  ) {
    const page = await membersPage(knex, actorOf(req), centreId, state.search);
    res.status(state.status ?? 200).render('centres/members', {
      title: translate(res)('centres.members.title', { name: page.centre.name }),
      page,
      errors: errorsOnMembersPage(state.errors ?? {}, translate(res)),
      values: state.values ?? {},
      choices: FORM_CHOICES,
    });
  }

  async function refused(req: Request, res: Response, centreId: number, error: unknown) {
    if (!(error instanceof RuleViolation)) throw error;
    await renderMembers(req, res, centreId, refusal(res, error));
  }

  router.get('/centres/:id/members', async (req, res) => {
    const centreId = idFrom(req.params.id);
    // The search form sends its fields by GET, so that a search is a link one can send or bookmark.
    if (!('lastName' in req.query) || centreAccessOf(actorOf(req), centreId) !== 'admin') {
      await renderMembers(req, res, centreId);
      return;
    }
    const search = parseForm(memberSearchSchema, req.query);
    const values = { ...req.query };
    await renderMembers(req, res, centreId, search.ok ? { search: search.value, values } : { status: 422, errors: search.errors, values });
  });

  router.post('/centres/:id/members', async (req, res) => {
    const centreId = idFrom(req.params.id);
    await assertCentreAccess(knex, actorOf(req), centreId, 'admin');
    const form = parseForm(attachMemberSchema, req.body);
    if (!form.ok) {
      await renderMembers(req, res, centreId, { status: 422, errors: form.errors });
      return;
    }
    const { staff_id: staffId, ...rights } = form.value;
    try {
      const name = await attachMember(knex, changeContext(req), centreId, staffId, rights);
      flash(req, 'success', translate(res)('centres.flash.memberAttached', { name }));
      res.redirect(`/centres/${centreId}/members`);
    } catch (error) {
      await refused(req, res, centreId, error);
    }
  });

  router.post('/centres/:id/members/:memberId', async (req, res) => {
    const centreId = idFrom(req.params.id);
    const memberId = idFrom(req.params.memberId);
    await assertCentreAccess(knex, actorOf(req), centreId, 'admin');
    const form = parseForm(memberRightsSchema, req.body);
    if (!form.ok) {
      await renderMembers(req, res, centreId, { status: 422, errors: form.errors });
      return;
    }
    const name = await changeMember(knex, changeContext(req), centreId, memberId, form.value);
    flash(req, 'success', translate(res)('centres.flash.memberUpdated', { name }));
    res.redirect(`/centres/${centreId}/members`);
  });

  router.post('/centres/:id/members/:memberId/delete', async (req, res) => {
    const centreId = idFrom(req.params.id);
    const { name, self } = await detachMember(knex, changeContext(req), centreId, idFrom(req.params.memberId));
    flash(req, 'success', translate(res)('centres.flash.memberDetached', { name }));
    // Whoever detached themselves may no longer see the centre's members.
    res.redirect(self ? '/centres' : `/centres/${centreId}/members`);
  });

  return router;
}
