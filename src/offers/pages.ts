import type { Db } from '../db/knex.ts';
import type { Actor } from '../access/actor.ts';
import { countryChoices } from '../hosts/service.ts';
import type { SelectOption } from '../hosts/references.ts';
import { loadOfferReferences, optionsOf, type OfferReferences, type Option } from './references.ts';
import {
  findCentreName,
  findCompanyCentre,
  findHostSummary,
  listCentres,
  listHostContacts,
  listTargets,
  type ContactChoice,
  type HostSummary,
  type OfferRow,
} from './repository.ts';
import { offerAudience } from './scope.ts';
import { offerActionAllowed } from './life-cycle.ts';
import { mayManageOffer, mayReadOfferAsStaff } from '../access/policy.ts';
import { countOffers, searchOfferPage, type OfferListRow } from './search-repository.ts';
import type { OfferSearchCriteria } from './search-schemas.ts';
import { managedCentres, openOffer, publicationTargets } from './service.ts';

/** What the offer pages show, gathered for the templates (which only display). */
export interface OfferPage {
  offer: OfferRow;
  centre: { id: number; name: string };
  /** Null for a student when the offer hides its host. */
  host: HostSummary | null;
  applicationContact: ContactChoice | null;
  informationContact: ContactChoice | null;
  targets: { id: number; name: string }[];
  /** Published and not expired today. */
  running: boolean;
  expired: boolean;
  mayManage: boolean;
  staffView: boolean;
  transferable: boolean;
  references: OfferReferences;
}

export async function offerPage(db: Db, actor: Actor, today: string, id: number): Promise<OfferPage> {
  const audience = await offerAudience(db, actor, today);
  const offer = await openOffer(db, audience, id);
  const staffView = mayReadOfferAsStaff(actor, offer);
  const hostShown = staffView || offer.host_shown;
  const [centre, host, contacts, targets, company, references] = await Promise.all([
    findCentreName(db, offer.centre_id),
    hostShown ? findHostSummary(db, offer.host_id) : null,
    hostShown ? listHostContacts(db, offer.host_id) : [],
    listTargets(db, offer.id),
    findCompanyCentre(db),
    loadOfferReferences(db),
  ]);
  const contact = (contactId: number | null) => contacts.find((candidate) => candidate.id === contactId) ?? null;
  const running = offer.state === 'published' && offer.published_until !== null && offer.published_until >= today;
  return {
    offer,
    centre,
    host: host ?? null,
    applicationContact: contact(offer.application_contact_id),
    informationContact: contact(offer.information_contact_id),
    targets,
    running,
    expired: offer.state === 'published' && !running,
    mayManage: mayManageOffer(actor, offer),
    staffView,
    transferable: company !== undefined && company.id !== offer.centre_id && offerActionAllowed('transfer', offer.state),
    references,
  };
}

export interface OfferFormChoices {
  centres: Option[];
  offerTypes: Option[];
  contracts: (Option & { offerType: string | null })[];
  countries: SelectOption[];
  durationUnits: Option[];
  trainingLevels: Option[];
  applicationModes: Option[];
  workingTime: Option[];
  contacts: Option[];
  targets: Option[];
  months: number[];
}

/** The choices of the offer forms; `managingCentreId` decides the other centres it may be published to. */
export async function offerFormChoices(
  db: Db,
  actor: Actor,
  hostId: number | null,
  managingCentreId: number | null,
  values: Record<string, unknown> = {},
): Promise<OfferFormChoices> {
  const [references, centres, countries, contacts, targets] = await Promise.all([
    loadOfferReferences(db),
    managedCentres(db, actor),
    countryChoices(db),
    hostId === null ? [] : listHostContacts(db, hostId),
    managingCentreId === null ? listCentres(db) : publicationTargets(db, managingCentreId),
  ]);
  return {
    centres: centres.map((centre) => ({ value: String(centre.id), label: centre.name })),
    offerTypes: optionsOf(references.offerTypes, values.offer_type),
    contracts: [...references.offerContracts.values()]
      .filter((entry) => entry.active || entry.code === values.contract)
      .map((entry) => ({ value: entry.code, label: entry.label, offerType: entry.offerType })),
    countries,
    durationUnits: optionsOf(references.durationUnits, values.duration_unit),
    trainingLevels: optionsOf(references.trainingLevels, values.training_level),
    applicationModes: optionsOf(references.applicationModes),
    workingTime: optionsOf(references.workingTime, values.working_time),
    contacts: contacts.map((contact) => ({ value: String(contact.id), label: `${contact.first_name} ${contact.last_name} — ${contact.service_name}` })),
    targets: targets.map((centre) => ({ value: String(centre.id), label: centre.name })),
    months: Array.from({ length: 12 }, (_, index) => index + 1),
  };
}

export const OFFER_PAGE_SIZE = 20;

export interface OfferSearchResult {
  rows: OfferListRow[];
  total: number;
  page: number;
  pageCount: number;
}

export async function searchOffers(db: Db, actor: Actor, today: string, criteria: OfferSearchCriteria, page: number): Promise<OfferSearchResult> {
  const audience = await offerAudience(db, actor, today);
  const total = await countOffers(db, audience, criteria);
  const pageCount = Math.max(1, Math.ceil(total / OFFER_PAGE_SIZE));
  const current = Math.min(page, pageCount);
  const rows = await searchOfferPage(db, audience, criteria, OFFER_PAGE_SIZE, (current - 1) * OFFER_PAGE_SIZE);
  return { rows, total, page: current, pageCount };
}

export async function searchChoices(db: Db): Promise<{ references: OfferReferences; countries: SelectOption[] }> {
  const [references, countries] = await Promise.all([loadOfferReferences(db), countryChoices(db)]);
  return { references, countries };
}
