import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { audit } from '../audit/audit-log.ts';
import type { Actor } from '../access/actor.ts';
import { isSuperAdmin, mayModerateDepositsOf } from '../access/policy.ts';
import { ForbiddenError, NotFoundError, RuleViolation, StaleVersionError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import * as repository from './deposit-repository.ts';
import type { CompanyCentre, DepositReferences } from './deposit-repository.ts';
import { validateDeposit, type DepositHost } from './deposit-schemas.ts';
import { hashOfSecret, newDepositSecret } from './deposit-secret.ts';
import { offerAudience } from './scope.ts';
import { todayInFrance } from '../rules/academic-year.ts';

/**
 * The company deposit: WRITE staff of the company centre hand out a secret link; through it
 * a company submits an offer without signing in; the offer waits, unpublished, until staff moderate it.
 * Refusals are the application's domain errors (src/errors.ts).
 */

/** Who created the rows of a company's submission: there is no login behind the public form. */
export const COMPANY_AUTHOR = 'entreprise (dépôt)';
/** The service that receives the application contacts of companies' offers. */
export const HUMAN_RESOURCES = 'Ressources humaines';

// ---------------------------------------------------------------------------------------------------
// The staff's side: the link
// ---------------------------------------------------------------------------------------------------

/** The company centres whose link the actor manages: WRITE on them, or super-admin. */
async function managedCompanyCentres(db: Db, actor: Actor): Promise<CompanyCentre[]> {
  return (await repository.listCompanyCentres(db)).filter((centre) => mayModerateDepositsOf(actor, centre.id));
}

export async function companyCentresManagedBy(db: Db, actor: Actor): Promise<CompanyCentre[]> {
  const managed = await managedCompanyCentres(db, actor);
  if (managed.length === 0 && !isSuperAdmin(actor)) throw new ForbiddenError();
  return managed;
}

/** Whether the offers page shows the way to the deposit link: WRITE staff of a company centre. */
export async function mayManageDepositLinks(db: Db, actor: Actor): Promise<boolean> {
  return (await managedCompanyCentres(db, actor)).length > 0;
}

/** A new secret for the centre's link; the previous one stops working. Returns the secret, shown once. */
export async function regenerateLink(knex: Knex, actor: Actor, centreId: number, requestId?: string): Promise<string> {
  const managed = await companyCentresManagedBy(knex, actor);
  const centre = managed.find((candidate) => candidate.id === centreId);
  if (!centre) throw new ForbiddenError();
  const secret = newDepositSecret();
  await knex.transaction(async (trx) => {
    await repository.replaceLink(trx, centreId, hashOfSecret(secret), actor.login);
    // The audit log says who changed the link and when, never the secret nor its hash.
    const before = centre.link_created_at ? { created_at: centre.link_created_at, created_by: centre.link_created_by } : null;
    await audit(trx, {
      actorLogin: actor.login,
      action: 'offer_deposit_link.regenerate',
      entity: 'offer_deposit_link',
      entityId: centreId,
      before,
      after: { created_by: actor.login },
      requestId,
    });
  });
  return secret;
}

// ---------------------------------------------------------------------------------------------------
// The company's side: the form
// ---------------------------------------------------------------------------------------------------

/** The company centre a secret opens; anything else (wrong, old, malformed) is a page that does not exist. */
export async function centreOfSecret(db: Db, secret: string): Promise<number> {
  const centreId = await repository.findCentreByLinkHash(db, hashOfSecret(secret));
  if (centreId === null) throw new NotFoundError('offer');
  return centreId;
}

export const loadDepositReferences = repository.loadDepositReferences;

export interface DepositContext {
  centreId: number;
  academicYear: string;
  requestId?: string;
}

/** The host the offer belongs to: found by its SIRET (never changed by a company), or created "to check". */
async function hostIdOf(trx: Knex.Transaction, host: DepositHost, requestId?: string): Promise<number> {
  const existing = host.siret === null ? null : await repository.findHostIdBySiret(trx, host.siret);
  if (existing !== null) return existing;
  if (host.mode === 'existing') throw new RuleViolation({ siret: t('offerDeposit.validation.siretUnknown') });
  const created = await repository.insertHost(trx, host, COMPANY_AUTHOR);
  await audit(trx, { actorLogin: COMPANY_AUTHOR, action: 'host.create', entity: 'host', entityId: created.id as number, after: created, requestId });
  return created.id as number;
}

async function humanResourcesOf(trx: Knex.Transaction, hostId: number, requestId?: string): Promise<number> {
  const existing = await repository.findServiceId(trx, hostId, HUMAN_RESOURCES);
  if (existing !== null) return existing;
  const created = await repository.insertService(trx, hostId, HUMAN_RESOURCES, COMPANY_AUTHOR);
  await audit(trx, {
    actorLogin: COMPANY_AUTHOR,
    action: 'host_service.create',
    entity: 'host_service',
    entityId: created.id as number,
    after: created,
    requestId,
  });
  return created.id as number;
}

/** A unique index refused the row: another submission created the same host or service meanwhile. */
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * Stores a company's offer with its host, service and contact, all or nothing. Returns the offer's id.
 * Throws RuleViolation with the messages to show next to the fields.
 */
export async function submitDeposit(knex: Knex, references: DepositReferences, context: DepositContext, input: unknown): Promise<number> {
  const form = validateDeposit(references, input);
  if (!form.ok) throw new RuleViolation(form.errors);
  const { host, offer, contact } = form.value;
  const store = () =>
    knex.transaction(async (trx) => {
      const hostId = await hostIdOf(trx, host, context.requestId);
      const serviceId = await humanResourcesOf(trx, hostId, context.requestId);
      const createdContact = await repository.insertContact(trx, hostId, serviceId, contact, COMPANY_AUTHOR);
      await audit(trx, {
        actorLogin: COMPANY_AUTHOR,
        action: 'host_contact.create',
        entity: 'host_contact',
        entityId: createdContact.id as number,
        after: createdContact,
        requestId: context.requestId,
      });
      const created = await repository.insertOffer(
        trx,
        { ...offer, centre_id: context.centreId, host_id: hostId, application_contact_id: createdContact.id as number, academic_year: context.academicYear },
        COMPANY_AUTHOR,
      );
      await audit(trx, {
        actorLogin: COMPANY_AUTHOR,
        action: 'offer.deposit',
        entity: 'offer',
        entityId: created.id as number,
        after: created,
        requestId: context.requestId,
      });
      return created.id as number;
    });
  try {
    return await store();
  } catch (error) {
    // Once the concurrent submission has committed, the host or service it created is found and reused.
    if (isUniqueViolation(error)) return store();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Moderation
// ---------------------------------------------------------------------------------------------------

/** WRITE staff of the offer's centre clear its "to moderate" flag, if nobody changed it since `version`. */
export async function moderateOffer(knex: Knex, actor: Actor, offerId: number, version: number, requestId?: string): Promise<void> {
  await knex.transaction(async (trx) => {
    const offer = await repository.findOfferForUpdate(trx, await offerAudience(trx, actor, todayInFrance()), offerId);
    if (!offer) throw new NotFoundError('offer');
    if (!mayModerateDepositsOf(actor, offer.centre_id)) throw new ForbiddenError();
    if (offer.version !== version) throw new StaleVersionError(offer.version, 'offerDeposit.errors.staleOffer');
    if (!offer.to_moderate) return;
    await repository.markModerated(trx, offerId, actor.login);
    await audit(trx, {
      actorLogin: actor.login,
      action: 'offer.moderate',
      entity: 'offer',
      entityId: offerId,
      before: { to_moderate: true },
      after: { to_moderate: false },
      requestId,
    });
  });
}
