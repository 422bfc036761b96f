import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import type { AccessRight, Actor } from '../access/actor.ts';
import { openCentre } from './access.ts';
import { recordChange, type ChangeContext } from '../audit/audit-log.ts';
import { centreAccessOf, mayChangeCentreLevel, mayCreateCentres, membershipRight, type CentreAccess, type NeededCentreAccess } from '../access/policy.ts';
import { ForbiddenError, RuleViolation, StaleVersionError, violatedUniqueConstraint } from '../errors.ts';
import {
  findCentre,
  insertCentre,
  listCentres,
  listCriteria,
  listCriterionChoices,
  updateCentre,
  type CentreListRow,
  type CentreRecord,
  type CriterionChoice,
  type CriterionRow,
} from './repository.ts';
import { CRITERION_KINDS, type CentreLevel, type CentreSettingsWithLevel, type CentreUpdate, type CriterionKind } from './schemas.ts';

export interface CentreListItem extends CentreListRow {
  /** The actor's own right on the centre, if they are attached to it. */
  yourRight: AccessRight | null;
  canOpen: boolean;
}

/** All centres, each with whether the actor is attached to it (the PStage list). */
export async function listCentresFor(db: Db, actor: Actor): Promise<CentreListItem[]> {
  return (await listCentres(db)).map((row) => ({ ...row, yourRight: membershipRight(actor, row.id), canOpen: centreAccessOf(actor, row.id) !== null }));
}

/** The codes offered as new criteria of a centre, by kind. */
export type CriterionChoices = Record<CriterionKind, CriterionChoice[]>;

export interface CentreDetails {
  centre: CentreRecord;
  access: CentreAccess;
  criteria: CriterionRow[];
  /** Codes that may be added as criteria; empty lists for those who do not administer the centre. */
  criterionChoices: CriterionChoices;
}

/**
 * Every faculty and step code but the centre's own criteria. A code another centre owns is offered
 * too, with its owner's name, so that the administrator learns where it is rather than wondering
 * why it is missing; adding it is refused with that explanation (see addCriterion).
 */
export function criterionChoicesFor(centreId: number, choices: readonly CriterionChoice[]): CriterionChoices {
  const offered = choices.filter((choice) => choice.owner_id !== centreId);
  return Object.fromEntries(CRITERION_KINDS.map((kind) => [kind, offered.filter((choice) => choice.kind === kind)])) as CriterionChoices;
}

const NO_CRITERION_CHOICES: CriterionChoices = { faculty: [], step: [] };

export async function centreDetails(db: Db, actor: Actor, centreId: number): Promise<CentreDetails> {
  const { centre, access } = await openCentre(db, actor, centreId, 'read');
  const [criteria, criterionChoices] = await Promise.all([
    listCriteria(db, centreId),
    access === 'admin' ? listCriterionChoices(db).then((choices) => criterionChoicesFor(centreId, choices)) : NO_CRITERION_CHOICES,
  ]);
  return { centre, access, criteria, criterionChoices };
}

/** Refuses early, before a form is even validated, those who could not make the change anyway. */
export async function assertCentreAccess(db: Db, actor: Actor, centreId: number, needed: NeededCentreAccess): Promise<void> {
  await openCentre(db, actor, centreId, needed);
}

function settingsConflict(error: unknown, level: CentreLevel): RuleViolation | undefined {
  const constraint = violatedUniqueConstraint(error);
  if (constraint === 'centre_name_unique') return RuleViolation.keyed('name', 'centres.errors.duplicateName', undefined, 'conflict');
  if (constraint === 'centre_single_etablissement') return RuleViolation.keyed('level', `centres.errors.levelTaken.${level}`, undefined, 'conflict');
  return undefined;
}

export async function createCentre(knex: Knex, context: ChangeContext, values: CentreSettingsWithLevel): Promise<number> {
  if (!mayCreateCentres(context.actor)) throw new ForbiddenError();
  return knex.transaction(async (trx) => {
    const id = await insertCentre(trx, values, context.actor.login).catch((error: unknown) => {
      throw settingsConflict(error, values.level) ?? error;
    });
    await recordChange(trx, context, { action: 'centre.create', entity: 'centre', entityId: id, after: await findCentre(trx, id) });
    return id;
  });
}

/**
 * Saves the settings if nobody saved the centre since `version`. The level is the super-admin's
 * alone: for anybody else it stays what it was, whatever the form says.
 */
export async function updateCentreSettings(
  knex: Knex,
  context: ChangeContext,
  centreId: number,
  version: number,
  { level, ...settings }: CentreUpdate,
): Promise<void> {
  await knex.transaction(async (trx) => {
    const { centre: before } = await openCentre(trx, context.actor, centreId, 'admin', { lock: 'update' });
    if (before.version !== version) throw new StaleVersionError(before.version);
    const newLevel = mayChangeCentreLevel(context.actor) && level ? level : before.level;
    if (before.level === 'ETABLISSEMENT' && newLevel !== 'ETABLISSEMENT') {
      throw RuleViolation.keyed('level', 'centres.errors.etablissementLevelLocked');
    }
    await updateCentre(trx, centreId, { ...settings, level: newLevel }, context.actor.login).catch((error: unknown) => {
      throw settingsConflict(error, newLevel) ?? error;
    });
    await recordChange(trx, context, { action: 'centre.update', entity: 'centre', entityId: centreId, before, after: await findCentre(trx, centreId) });
  });
}
