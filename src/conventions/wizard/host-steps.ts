import type { Db } from '../../db/knex.ts';
import { ForbiddenError, NotFoundError, RuleViolation } from '../../errors.ts';
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Actor } from '../../access/actor.ts';
import * as hostRepository from '../../hosts/repository.ts';
import { pageFrom, parseHostSearch, EMPTY_SEARCH } from '../../hosts/schemas.ts';
import {
  countryChoices,
  createContact,
  createHost,
  createService,
  getContact,
  getHost,
  getService,
  hostFormChoices,
  listContacts,
  listServices,
  searchHosts,
} from '../../hosts/service.ts';
import { formatSiret } from '../../rules/siret.ts';
import { submittedValues, type FieldErrors } from '../../web/forms.ts';
import { keyFrom } from '../shared/http.ts';
import type { ConventionDetails, ConventionKey } from '../shared/repository.ts';
import { basePath, openConvention, type OpenConvention, type StepName } from '../shared/open.ts';
import { saveHostChoice, type HostChoice, type HostRecordCheck } from './service.ts';
import { chosenId } from '../shared/schemas.ts';
import { actorOf, changeContext, refusal, translate } from '../../web/http.ts';

/**
 * Steps 2 (host), 3 (service), 4 (tutor) and 7 (signatory) of the wizard. They reuse the host
 * directory: its service functions (search, creation, rights, "to check" flag for students' hosts)
 * and its form partials (views/hosts/_*.ejs), so that the directory and the wizard have one
 * implementation. Each step has a page to pick an existing record and a page to create one
 * (`<step>/new`); creating a record also picks it for the convention.
 */
type State = { status?: number; values?: Record<string, unknown>; errors?: FieldErrors; version?: number };

/** The helpers of routes.ts the host steps share. */
export interface StepHelpers {
  renderStep(
    req: Request,
    res: Response,
    open: OpenConvention | null,
    step: StepName,
    view: string,
    state: State,
    extra?: Record<string, unknown>,
  ): Promise<void>;
  attempt(req: Request, res: Response, change: () => Promise<void>, redisplay: (state: State) => Promise<void>): Promise<boolean>;
  versionFrom(req: Request): number;
  afterSave(req: Request, res: Response, open: OpenConvention, step: StepName, draftNext?: string): string;
}

export interface ContactSummary {
  id: number;
  civility_label: string | null;
  first_name: string;
  last_name: string;
  function: string | null;
  phone: string | null;
  email: string | null;
  service_name: string;
}

export interface HostSummary {
  host: (hostRepository.HostRecord & { country_label: string | null; naf_label: string | null; siret_display: string | null }) | null;
  service: hostRepository.ServiceRecord | null;
  tutor: ContactSummary | null;
  signatory: ContactSummary | null;
}

/**
 * The host, service and contacts a convention names, for whoever may see the convention. The directory's
 * own rights (students, WRITE and READ staff) do not cover teachers: the convention's visibility, already
 * established by the caller, is what allows showing them, so the directory's queries are used directly.
 */
async function summaryOf(knex: Knex, _actor: Actor, convention: ConventionDetails): Promise<HostSummary> {
  const hostId = convention.host_id;
  if (hostId === null) return { host: null, service: null, tutor: null, signatory: null };
  const [host, labels, service, tutor, signatory] = await Promise.all([
    hostRepository.findHost(knex, hostId),
    hostRepository.findHostLabels(knex, hostId),
    convention.service_id === null ? undefined : hostRepository.findService(knex, hostId, convention.service_id),
    convention.tutor_id === null ? undefined : hostRepository.findContact(knex, hostId, convention.tutor_id),
    convention.signatory_id === null ? undefined : hostRepository.findContact(knex, hostId, convention.signatory_id),
  ]);
  return {
    host: host
      ? {
          ...host,
          country_label: labels?.country_label ?? null,
          naf_label: labels?.naf_label ?? null,
          siret_display: host.siret ? formatSiret(host.siret) : null,
        }
      : null,
    service: service ?? null,
    tutor: tutor ?? null,
    signatory: signatory ?? null,
  };
}

/** The checks of the convention service, through the directory's own functions and rights. */
function recordChecks(actor: Actor): HostRecordCheck {
  const exists = async (lookup: () => Promise<unknown>) => {
    try {
      await lookup();
      return true;
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ForbiddenError) return false;
      throw error;
    }
  };
  return {
    hostExists: (db: Db, hostId: number) => exists(() => getHost(db, actor, hostId)),
    serviceOfHost: (db: Db, serviceId: number, hostId: number) => exists(() => getService(db, actor, hostId, serviceId)),
    contactOf: async (db: Db, contactId: number, scope: { serviceId?: number; hostId: number }) => {
      try {
        const contact = await getContact(db, actor, scope.hostId, contactId);
        return scope.serviceId === undefined || contact.service_id === scope.serviceId;
      } catch (error) {
        if (error instanceof NotFoundError || error instanceof ForbiddenError) return false;
        throw error;
      }
    },
  };
}

const hasCriteria = (query: Record<string, unknown>) =>
  Object.keys(EMPTY_SEARCH).some((key) => typeof query[key] === 'string' && (query[key] as string).trim() !== '');

function router(knex: Knex, helpers: StepHelpers): Router {
  const steps = Router({ mergeParams: true });
  const { renderStep, attempt, versionFrom, afterSave } = helpers;

  const choose = async (req: Request, key: ConventionKey, version: number, choice: HostChoice) =>
    saveHostChoice(knex, changeContext(req), key, version, choice, recordChecks(actorOf(req)));

  // ---------------------------------------------------------------------------------------------
  // Step 2: host
  // ---------------------------------------------------------------------------------------------

  async function renderHost(req: Request, res: Response, key: ConventionKey, state: State = {}) {
    const open = await openConvention(knex, actorOf(req), key, 'view');
    const query = submittedValues(req.query);
    const searching = open.access.edit && hasCriteria(query);
    const search = searching ? parseHostSearch(query) : null;
    const result = search?.ok ? await searchHosts(knex, actorOf(req), search.value, pageFrom(query.page)) : null;
    const base = basePath(open.convention);
    const searchAddress = (page: number) => {
      const parameters = new URLSearchParams();
      for (const name of Object.keys(EMPTY_SEARCH)) if (typeof query[name] === 'string' && query[name] !== '') parameters.set(name, query[name] as string);
      if (page > 1) parameters.set('page', String(page));
      return `${base}/host?${parameters.toString()}`;
    };
    const selectedId = typeof query.selected === 'string' && /^[1-9][0-9]{0,8}$/.test(query.selected) ? Number(query.selected) : null;
    let selected = null;
    if (selectedId !== null && open.access.edit) {
      try {
        selected = await getHost(knex, actorOf(req), selectedId);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    await renderStep(
      req,
      res,
      open,
      'host',
      'host',
      { ...state, status: state.status ?? (search && !search.ok ? 422 : 200), errors: { ...(search && !search.ok ? search.errors : {}), ...state.errors } },
      {
        hosts: await summaryOf(knex, actorOf(req), open.convention),
        searchValues: query,
        countries: open.access.edit ? await countryChoices(knex) : [],
        result,
        pageHref: searchAddress,
        hostHref: (id: number) => `${searchAddress(result?.page ?? 1)}&selected=${id}#selected-host`,
        selected: selected ? { ...selected, siret_display: selected.siret ? formatSiret(selected.siret) : null } : null,
      },
    );
  }

  steps.get('/host', async (req, res) => {
    await renderHost(req, res, keyFrom(req));
  });

  steps.post('/host', async (req, res) => {
    const key = keyFrom(req);
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const hostId = chosenId(translate(res)('conventions.errors.hostUnknown')).safeParse(req.body?.host_id);
    if (!hostId.success) {
      await renderHost(req, res, key, { status: 422, errors: { host_id: translate(res)('conventions.errors.hostUnknown') }, version });
      return;
    }
    const done = await attempt(
      req,
      res,
      () => choose(req, key, version, { step: 'host', hostId: hostId.data }),
      (state) => renderHost(req, res, key, state),
    );
    if (done) res.redirect(afterSave(req, res, open, 'host'));
  });

  async function renderNewHost(req: Request, res: Response, key: ConventionKey, state: State = {}) {
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const values = state.values ?? { country_code: 'FR' };
    await renderStep(req, res, open, 'host', 'host-new', { ...state, values }, { hostChoices: await hostFormChoices(knex, values) });
  }

  steps.get('/host/new', async (req, res) => {
    await renderNewHost(req, res, keyFrom(req));
  });

  steps.post('/host/new', async (req, res) => {
    const key = keyFrom(req);
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const values = submittedValues(req.body);
    try {
      const hostId = await createHost(knex, changeContext(req), req.body);
      await choose(req, key, version, { step: 'host', hostId });
    } catch (error) {
      await renderNewHost(req, res, key, { ...refusal(res, error), values, version });
      return;
    }
    res.redirect(afterSave(req, res, open, 'host'));
  });

  // ---------------------------------------------------------------------------------------------
  // Step 3: service
  // ---------------------------------------------------------------------------------------------

  async function renderService(req: Request, res: Response, key: ConventionKey, state: State = {}) {
    const open = await openConvention(knex, actorOf(req), key, 'view');
    const hostId = open.convention.host_id;
    const services = hostId !== null && open.access.edit ? await listServices(knex, actorOf(req), hostId) : [];
    await renderStep(req, res, open, 'service', 'service', state, { hosts: await summaryOf(knex, actorOf(req), open.convention), services });
  }

  steps.get('/service', async (req, res) => {
    await renderService(req, res, keyFrom(req));
  });

  steps.post('/service', async (req, res) => {
    const key = keyFrom(req);
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const serviceId = chosenId('').safeParse(req.body?.service_id);
    if (!serviceId.success) {
      await renderService(req, res, key, { status: 422, errors: { service_id: translate(res)('conventions.errors.serviceUnknown') }, version });
      return;
    }
    const done = await attempt(
      req,
      res,
      () => choose(req, key, version, { step: 'service', serviceId: serviceId.data }),
      (state) => renderService(req, res, key, state),
    );
    if (done) res.redirect(afterSave(req, res, open, 'service'));
  });

  async function renderNewService(req: Request, res: Response, key: ConventionKey, state: State = {}) {
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const values = state.values ?? { same_address_as_host: true };
    await renderStep(
      req,
      res,
      open,
      'service',
      'service-new',
      { ...state, values },
      {
        hosts: await summaryOf(knex, actorOf(req), open.convention),
        hostChoices: await hostFormChoices(knex, values),
      },
    );
  }

  steps.get('/service/new', async (req, res) => {
    await renderNewService(req, res, keyFrom(req));
  });

  steps.post('/service/new', async (req, res) => {
    const key = keyFrom(req);
    const open = await openConvention(knex, actorOf(req), key, 'edit');
    const version = versionFrom(req);
    const values = submittedValues(req.body);
    const hostId = open.convention.host_id;
    try {
      if (hostId === null) throw new RuleViolation({ _form: translate(res)('conventions.errors.hostFirst') });
      const serviceId = await createService(knex, changeContext(req), hostId, req.body);
      await choose(req, key, version, { step: 'service', serviceId });
    } catch (error) {
      await renderNewService(req, res, key, { ...refusal(res, error), values, version });
      return;
    }
    res.redirect(afterSave(req, res, open, 'service'));
  });

  // ---------------------------------------------------------------------------------------------
  // Steps 4 and 7: tutor (a contact of the service) and signatory (a contact of the host)
  // ---------------------------------------------------------------------------------------------

  for (const step of ['tutor', 'signatory'] as const) {
    const scopeOf = (convention: ConventionDetails) => ({ hostId: convention.host_id, serviceId: step === 'tutor' ? convention.service_id : null });

    async function renderContacts(req: Request, res: Response, key: ConventionKey, state: State = {}) {
      const open = await openConvention(knex, actorOf(req), key, 'view');
      const { hostId, serviceId } = scopeOf(open.convention);
      const ready = hostId !== null && (step === 'signatory' || serviceId !== null);
      const mayEnter = step === 'signatory' || open.access.tutorEntry;
      const contacts = ready && open.access.edit && mayEnter ? await listContacts(knex, actorOf(req), hostId!, serviceId ?? undefined) : [];
      await renderStep(req, res, open, step, 'contact', state, {
        kind: step,
        ready,
        mayEnter,
        mandatory: step === 'tutor' && open.convention.centre_tutor_mandatory,
        hosts: await summaryOf(knex, actorOf(req), open.convention),
        contacts,
        currentId: step === 'tutor' ? open.convention.tutor_id : open.convention.signatory_id,
      });
    }

    steps.get(`/${step}`, async (req, res) => {
      await renderContacts(req, res, keyFrom(req));
    });

    steps.post(`/${step}`, async (req, res) => {
      const key = keyFrom(req);
      const open = await openConvention(knex, actorOf(req), key, 'edit');
      const version = versionFrom(req);
      let contactId: number | null = null;
      if (req.body?.skip === undefined) {
        const parsed = chosenId('').safeParse(req.body?.contact_id);
        if (!parsed.success) {
          await renderContacts(req, res, key, { status: 422, errors: { contact_id: translate(res)('conventions.errors.contactUnknown') }, version });
          return;
        }
        contactId = parsed.data;
      }
      const done = await attempt(
        req,
        res,
        () => choose(req, key, version, { step, contactId }),
        (state) => renderContacts(req, res, key, state),
      );
      if (done) res.redirect(afterSave(req, res, open, step));
    });

    async function renderNewContact(req: Request, res: Response, key: ConventionKey, state: State = {}) {
      const open = await openConvention(knex, actorOf(req), key, 'edit');
      const { hostId, serviceId } = scopeOf(open.convention);
      const services = hostId === null ? [] : await listServices(knex, actorOf(req), hostId);
      const offered = services
        .filter((service) => serviceId === null || service.id === serviceId)
        .map((service) => ({ value: service.id, label: service.name }));
      const values = state.values ?? { service_id: serviceId ?? (offered.length === 1 ? offered[0]!.value : '') };
      await renderStep(
        req,
        res,
        open,
        step,
        'contact-new',
        { ...state, values },
        {
          kind: step,
          hosts: await summaryOf(knex, actorOf(req), open.convention),
          services: offered,
          hostChoices: await hostFormChoices(knex, values),
        },
      );
    }

    steps.get(`/${step}/new`, async (req, res) => {
      await renderNewContact(req, res, keyFrom(req));
    });

    steps.post(`/${step}/new`, async (req, res) => {
      const key = keyFrom(req);
      const open = await openConvention(knex, actorOf(req), key, 'edit');
      const version = versionFrom(req);
      const values = submittedValues(req.body);
      const { hostId, serviceId } = scopeOf(open.convention);
      try {
        if (hostId === null || (step === 'tutor' && serviceId === null)) {
          throw new RuleViolation({ _form: translate(res)(step === 'tutor' ? 'conventions.errors.serviceFirst' : 'conventions.errors.hostFirst') });
        }
        if (step === 'tutor' && !open.access.tutorEntry) throw new RuleViolation({ _form: translate(res)('conventions.errors.tutorByStaff') });
        // The tutor belongs to the convention's service, whatever the form says.
        const input = step === 'tutor' ? { ...values, service_id: String(serviceId) } : values;
        const contactId = await createContact(knex, changeContext(req), hostId, input);
        await choose(req, key, version, { step, contactId });
      } catch (error) {
        await renderNewContact(req, res, key, { ...refusal(res, error), values, version });
        return;
      }
      res.redirect(afterSave(req, res, open, step));
    });
  }

  return steps;
}

export const hostStepRoutes = { router, summaryOf };
