import type { Actor } from '../directory/actor.ts';
import type { Db } from './repository.ts';

/**
 * Step 1 asks whether the internship answers a published offer (DESIGN §4): with an offer number, or
 * a keyword of 5 characters or more found in the title. The offers module plugs in here, when it is
 * mounted, with `provideOfferLookup`; until then — or while no offer is published for the student —
 * the question is not shown and `convention.offer_id` stays empty.
 */
export interface OfferMatch {
  offerId: number;
  title: string;
  /** The offer's host, pre-selected on the convention (the wizard then goes on with step 3). */
  hostId: number | null;
  /** The tasks of the offer, pre-filled as the internship's activities. */
  activities: string | null;
}

export interface OfferLookup {
  /** Whether any offer is published for the student's centres (the question is asked only then). */
  anyPublishedFor(db: Db, actor: Actor, studentId: number): Promise<boolean>;
  /** The offers matching a number or a title keyword (5+ characters), published for the student. */
  find(db: Db, actor: Actor, studentId: number, reference: string): Promise<OfferMatch[]>;
}

let offerLookup: OfferLookup | null = null;

/** Plugs the offers module in (null unplugs it, for tests). */
export function provideOfferLookup(lookup: OfferLookup | null): void {
  offerLookup = lookup;
}

export async function offerQuestionShown(db: Db, actor: Actor, studentId: number): Promise<boolean> {
  return offerLookup !== null && (await offerLookup.anyPublishedFor(db, actor, studentId));
}

/** The single offer a reference designates, or null (no lookup, no match, or several matches). */
export async function findOffer(db: Db, actor: Actor, studentId: number, reference: string): Promise<OfferMatch | null> {
  if (!offerLookup) return null;
  const matches = await offerLookup.find(db, actor, studentId, reference);
  return matches.length === 1 ? matches[0]! : null;
}
