import { common } from './fr/common.ts';
import { centres } from './fr/centres.ts';
import { directory } from './fr/directory.ts';

export const fr = { common, centres, directory };
export type MessageCatalogue = typeof fr;
