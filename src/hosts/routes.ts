import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Knex } from 'knex';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { formatSiret } from '../rules/siret.ts';
import { requireSignIn } from '../web/auth/actor-middleware.ts';
import { forbidden } from '../web/errors.ts';
import { flash } from '../web/flash.ts';
import { submittedValues, type FieldErrors } from '../web/forms.ts';
import { mayOnHosts, mayUseDirectoryPages } from '../access/policy.ts';
import { StaleVersionError } from '../errors.ts';
import type { ConventionUsage } from './usage.ts';
import { EMPTY_SEARCH, pageFrom, parseHostSearch } from './schemas.ts';
import {
  countryChoices,
  createContact,
  createHost,
  createService,
  deleteContact,
  deleteHost,
  deleteService,
  getContact,
  getHost,
  getService,
  hostFormChoices,
  hostSheet,
  hostsToCheck,
  listServices,
  markHostChecked,
  searchHosts,
  updateContact,
  updateHost,
  updateService,
} from './service.ts';
import { localeDateTimeFormat } from '../i18n/formats.ts';
import { actorOf, changeContext, idFrom, refusal, translate, versionFrom } from '../web/http.ts';

/**
 * The pages of the host directory (`/hosts`), for staff: search, host sheet, creation, edition,
 * deletion and validation of hosts, their services and contacts. Students use the same service
 * functions and form partials from the convention wizard, never these pages.
 */

const dateTime = localeDateTimeFormat({ dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
const formatDate = (value: Date | string | null) => (value ? dateTime.format(new Date(value)) : '');

/** The pages are the staff's: students, teachers and people of no centre are refused before anything is read. */
const staffOnly: RequestHandler = (req, _res, next) => next(mayUseDirectoryPages(actorOf(req)) ? undefined : forbidden());

/**
 * Forms of these pages are for those who manage the directory; students create hosts only through the
 * convention wizard, with the services' own checks.
 */
const managersOnly: RequestHandler = (req, _res, next) => next(mayOnHosts(actorOf(req), 'manage') ? undefined : forbidden());

/** What the pages work with: the database and what conventions use of the directory. */
interface Directory {
  knex: Knex;
  usage: ConventionUsage;
}

interface FormState {
  status?: number;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
  version?: number;
}

/** How a refused save is answered: the status and the messages next to the fields, the input kept. */
function refused(res: Response, error: unknown, version?: number): FormState {
  return { ...refusal(res, error), version: error instanceof StaleVersionError ? (error.currentVersion ?? version) : version };
}

/** The search criteria as they appear in the address, for the pagination links. */
function searchAddress(query: Record<string, unknown>, page: number): string {
  const parameters = new URLSearchParams();
  for (const key of Object.keys(EMPTY_SEARCH)) {
    const value = query[key];
    if (typeof value === 'string' && value.trim() !== '') parameters.set(key, value.trim());
  }
  if (page > 1) parameters.set('page', String(page));
  const text = parameters.toString();
  return text === '' ? '/hosts' : `/hosts?${text}`;
}

/** The host sheet; after a refused action (deletion, validation), with the reason at the top. */
async function renderSheet({ knex, usage }: Directory, req: Request, res: Response, hostId: number, state: FormState = {}) {
  const sheet = await hostSheet(knex, actorOf(req), hostId, usage);
  res.status(state.status ?? 200).render('hosts/show', {
    title: sheet.host.name,
    sheet,
    errors: state.errors ?? {},
    version: state.version ?? sheet.host.version,
    formatDate,
    formatSiret,
  });
}

function hostRoutes(directory: Directory): Router {
  const { knex, usage } = directory;
  const router = Router();

  router.get('/hosts', async (req, res) => {
    const query = submittedValues(req.query);
    const form = parseHostSearch(query);
    const countries = await countryChoices(knex);
    const locals = { title: translate(res)('hosts.title'), values: query, countries, mayManage: mayOnHosts(actorOf(req), 'manage') };
    if (!form.ok) {
      res.status(422).render('hosts/search', { ...locals, errors: form.errors, result: null, pageHref: null });
      return;
    }
    const result = await searchHosts(knex, actorOf(req), form.value, pageFrom(query.page));
    res.render('hosts/search', { ...locals, errors: {}, result, pageHref: (page: number) => searchAddress(query, page) });
  });

  async function renderHostForm(req: Request, res: Response, hostId: number | null, state: FormState = {}) {
    const host = hostId === null ? null : await getHost(knex, actorOf(req), hostId);
    const values = state.values ?? host ?? { country_code: 'FR' };
    res.status(state.status ?? 200).render('hosts/host-form', {
      title: host ? translate(res)('hosts.edit.title', { name: host.name }) : translate(res)('hosts.create.title'),
      host,
      values: host && !state.values ? { ...host, siret: host.siret ? formatSiret(host.siret) : null } : values,
      errors: state.errors ?? {},
      version: state.version ?? host?.version,
      choices: await hostFormChoices(knex, values),
    });
  }

  router.get('/hosts/new', managersOnly, async (req, res) => {
    await renderHostForm(req, res, null);
  });

  router.post('/hosts', managersOnly, async (req, res) => {
    try {
      const id = await createHost(knex, changeContext(req), req.body);
      flash(req, 'success', translate(res)('hosts.flash.created', { name: String(req.body.name).trim() }));
      res.redirect(`/hosts/${id}`);
    } catch (error) {
      await renderHostForm(req, res, null, { ...refused(res, error), values: submittedValues(req.body) });
    }
  });

  router.get('/hosts/to-check', async (req, res) => {
    const hosts = await hostsToCheck(knex, actorOf(req));
    res.render('hosts/to-check', { title: translate(res)('hosts.toCheck.title'), hosts, formatDate, formatSiret });
  });

  router.get('/hosts/:id', async (req, res) => {
    await renderSheet(directory, req, res, idFrom(req.params.id));
  });

  router.get('/hosts/:id/edit', managersOnly, async (req, res) => {
    await renderHostForm(req, res, idFrom(req.params.id));
  });

  router.post('/hosts/:id/edit', managersOnly, async (req, res) => {
    const hostId = idFrom(req.params.id);
    const version = versionFrom(req.body);
    try {
      await updateHost(knex, changeContext(req), hostId, version, req.body);
      flash(req, 'success', translate(res)('hosts.flash.saved'));
      res.redirect(`/hosts/${hostId}`);
    } catch (error) {
      await renderHostForm(req, res, hostId, { ...refused(res, error, version), values: submittedValues(req.body) });
    }
  });

  router.post('/hosts/:id/delete', async (req, res) => {
    const hostId = idFrom(req.params.id);
    try {
      const name = await deleteHost(knex, changeContext(req), hostId, usage);
      flash(req, 'success', translate(res)('hosts.flash.deleted', { name }));
      res.redirect('/hosts');
    } catch (error) {
      await renderSheet(directory, req, res, hostId, refused(res, error));
    }
  });

  router.post('/hosts/:id/check', managersOnly, async (req, res) => {
    const hostId = idFrom(req.params.id);
    const version = versionFrom(req.body);
    try {
      await markHostChecked(knex, changeContext(req), hostId, version);
      flash(req, 'success', translate(res)('hosts.flash.checked'));
      res.redirect(`/hosts/${hostId}`);
    } catch (error) {
      await renderSheet(directory, req, res, hostId, refused(res, error));
    }
  });

  return router;
}

function serviceRoutes(directory: Directory): Router {
  const { knex, usage } = directory;
  const router = Router();

  async function renderServiceForm(req: Request, res: Response, hostId: number, serviceId: number | null, state: FormState = {}) {
    const host = await getHost(knex, actorOf(req), hostId);
    const service = serviceId === null ? null : await getService(knex, actorOf(req), hostId, serviceId);
    const values = state.values ?? service ?? { same_address_as_host: true };
    const t = translate(res);
    res.status(state.status ?? 200).render('hosts/service-form', {
      title: service ? t('hosts.service.editTitle', { name: service.name, host: host.name }) : t('hosts.service.newTitle', { host: host.name }),
      host,
      service,
      values,
      errors: state.errors ?? {},
      version: state.version ?? service?.version,
      choices: await hostFormChoices(knex, values),
    });
  }

  router.get('/hosts/:id/services/new', managersOnly, async (req, res) => {
    await renderServiceForm(req, res, idFrom(req.params.id), null);
  });

  router.post('/hosts/:id/services', managersOnly, async (req, res) => {
    const hostId = idFrom(req.params.id);
    try {
      await createService(knex, changeContext(req), hostId, req.body);
      flash(req, 'success', translate(res)('hosts.flash.serviceCreated', { name: String(req.body.name).trim() }));
      res.redirect(`/hosts/${hostId}#services`);
    } catch (error) {
      await renderServiceForm(req, res, hostId, null, { ...refused(res, error), values: submittedValues(req.body) });
    }
  });

  router.get('/hosts/:id/services/:serviceId/edit', managersOnly, async (req, res) => {
    await renderServiceForm(req, res, idFrom(req.params.id), idFrom(req.params.serviceId));
  });

  router.post('/hosts/:id/services/:serviceId/edit', managersOnly, async (req, res) => {
    const hostId = idFrom(req.params.id);
    const serviceId = idFrom(req.params.serviceId);
    const version = versionFrom(req.body);
    try {
      await updateService(knex, changeContext(req), hostId, serviceId, version, req.body);
      flash(req, 'success', translate(res)('hosts.flash.serviceSaved'));
      res.redirect(`/hosts/${hostId}#services`);
    } catch (error) {
      await renderServiceForm(req, res, hostId, serviceId, { ...refused(res, error, version), values: submittedValues(req.body) });
    }
  });

  router.post('/hosts/:id/services/:serviceId/delete', async (req, res) => {
    const hostId = idFrom(req.params.id);
    const serviceId = idFrom(req.params.serviceId);
    try {
      const name = await deleteService(knex, changeContext(req), hostId, serviceId, usage);
      flash(req, 'success', translate(res)('hosts.flash.serviceDeleted', { name }));
      res.redirect(`/hosts/${hostId}#services`);
    } catch (error) {
      await renderSheet(directory, req, res, hostId, refused(res, error));
    }
  });

  return router;
}

function contactRoutes(directory: Directory): Router {
  const { knex, usage } = directory;
  const router = Router();

  async function renderContactForm(req: Request, res: Response, hostId: number, contactId: number | null, state: FormState = {}) {
    const host = await getHost(knex, actorOf(req), hostId);
    const contact = contactId === null ? null : await getContact(knex, actorOf(req), hostId, contactId);
    const services = await listServices(knex, actorOf(req), hostId);
    const serviceFromAddress = typeof req.query.service === 'string' ? req.query.service : undefined;
    const values = state.values ?? contact ?? { service_id: serviceFromAddress ?? (services.length === 1 ? services[0]!.id : undefined) };
    const t = translate(res);
    res.status(state.status ?? 200).render('hosts/contact-form', {
      title: contact
        ? t('hosts.contact.editTitle', { name: `${contact.first_name} ${contact.last_name}`, host: host.name })
        : t('hosts.contact.newTitle', { host: host.name }),
      host,
      contact,
      services: services.map((service) => ({ value: service.id, label: service.name })),
      values,
      errors: state.errors ?? {},
      version: state.version ?? contact?.version,
      choices: await hostFormChoices(knex, values),
    });
  }

  router.get('/hosts/:id/contacts/new', managersOnly, async (req, res) => {
    await renderContactForm(req, res, idFrom(req.params.id), null);
  });

  router.post('/hosts/:id/contacts', managersOnly, async (req, res) => {
    const hostId = idFrom(req.params.id);
    try {
      await createContact(knex, changeContext(req), hostId, req.body);
      const name = `${String(req.body.first_name).trim()} ${String(req.body.last_name).trim()}`;
      flash(req, 'success', translate(res)('hosts.flash.contactCreated', { name }));
      res.redirect(`/hosts/${hostId}#contacts`);
    } catch (error) {
      await renderContactForm(req, res, hostId, null, { ...refused(res, error), values: submittedValues(req.body) });
    }
  });

  router.get('/hosts/:id/contacts/:contactId/edit', managersOnly, async (req, res) => {
    await renderContactForm(req, res, idFrom(req.params.id), idFrom(req.params.contactId));
  });

  router.post('/hosts/:id/contacts/:contactId/edit', managersOnly, async (req, res) => {
    const hostId = idFrom(req.params.id);
    const contactId = idFrom(req.params.contactId);
    const version = versionFrom(req.body);
    try {
      await updateContact(knex, changeContext(req), hostId, contactId, version, req.body);
      flash(req, 'success', translate(res)('hosts.flash.contactSaved'));
      res.redirect(`/hosts/${hostId}#contacts`);
    } catch (error) {
      await renderContactForm(req, res, hostId, contactId, { ...refused(res, error, version), values: submittedValues(req.body) });
    }
  });

  router.post('/hosts/:id/contacts/:contactId/delete', async (req, res) => {
    const hostId = idFrom(req.params.id);
    const contactId = idFrom(req.params.contactId);
    try {
      const name = await deleteContact(knex, changeContext(req), hostId, contactId, usage);
      flash(req, 'success', translate(res)('hosts.flash.contactDeleted', { name }));
      res.redirect(`/hosts/${hostId}#contacts`);
    } catch (error) {
      await renderSheet(directory, req, res, hostId, refused(res, error));
    }
  });

  return router;
}

export function hostsModule({ knex, services }: ModuleDependencies): AppModule {
  const directory: Directory = { knex, usage: services.conventionUsage };
  const router = Router();
  router.use('/hosts', requireSignIn, staffOnly);
  router.use(hostRoutes(directory));
  router.use(serviceRoutes(directory));
  router.use(contactRoutes(directory));
  return {
    router,
    menu: [{ href: '/hosts', labelKey: 'common.menu.hosts', roles: ['staff', 'super_admin'], order: 20 }],
  };
}
