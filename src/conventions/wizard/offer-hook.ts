import type { Db } from '../../db/knex.ts';
import type { Actor } from '../../access/actor.ts';

/**
 * Step 1 asks whether the internship answers a published offer: with an offer number, or a keyword
 * of 5 characters or more found in the title. The offers module implements the lookup and the
 * application's wiring (src/services.ts) passes it to the conventions module; while no offer is
 * published for the student, the question is not shown and `convention.offer_id` stays empty.
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

/** The single offer a reference designates, or null (no match, or several matches). */
export async function findOffer(lookup: OfferLookup, db: Db, actor: Actor, studentId: number, reference: string): Promise<OfferMatch | null> {
  const matches = await lookup.find(db, actor, studentId, reference);
  return matches.length === 1 ? matches[0]! : null;
}
