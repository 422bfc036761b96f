/**
 * The life cycle of an offer, as an explicit table (docs/domain.md, "Offers"): from which states each
 * action is allowed, the state it leads to, and the message given when the state refuses it. Who may
 * take an action (WRITE staff of the managing centre) is the access policy's.
 *
 *   saved | published ──publish (months, targets)──▶ published
 *   published ──stop──▶ saved
 *   saved | published ──fill──▶ filled ──unfill──▶ saved
 *   saved | published | filled ──delete──▶ deleted   (kept as history)
 *   any but deleted ──transfer──▶ same state, managed by the company centre
 */
export type OfferState = 'saved' | 'published' | 'filled' | 'deleted';

export const OFFER_ACTIONS = {
  publish: { from: ['saved', 'published'], to: 'published', refused: 'notPublishable' },
  stop: { from: ['published'], to: 'saved', refused: 'notPublished' },
  fill: { from: ['saved', 'published'], to: 'filled', refused: 'notFillable' },
  unfill: { from: ['filled'], to: 'saved', refused: 'notFilled' },
  delete: { from: ['saved', 'published', 'filled'], to: 'deleted', refused: 'alreadyDeleted' },
  transfer: { from: ['saved', 'published', 'filled'], to: null, refused: 'notTransferable' },
} as const satisfies Record<string, { from: readonly OfferState[]; to: OfferState | null; refused: string }>;

export type OfferAction = keyof typeof OFFER_ACTIONS;

/** The actions that need no input but the version: the buttons of the offer page's state form. */
export const OFFER_TRANSITIONS = ['stop', 'fill', 'unfill', 'delete'] as const satisfies readonly OfferAction[];
export type OfferTransition = (typeof OFFER_TRANSITIONS)[number];

export function offerActionAllowed(action: OfferAction, state: string): boolean {
  return (OFFER_ACTIONS[action].from as readonly string[]).includes(state);
}
