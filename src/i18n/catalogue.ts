import type { fr } from './fr.ts';

/** The shape of a catalogue, strings replaced by `string`: every language must have exactly these keys. */
export type DeepStringRecord<T> = { [K in keyof T]: T[K] extends string ? string : DeepStringRecord<T[K]> };

/** French is the reference catalogue; any other language is checked against its keys at compile time. */
export type MessageCatalogue = DeepStringRecord<typeof fr>;
