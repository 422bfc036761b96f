import { common } from './fr/common.ts';
import { centres } from './fr/centres.ts';
import { directory } from './fr/directory.ts';
import { conventions } from './fr/conventions.ts';
import { hosts } from './fr/hosts.ts';
import { documents } from './fr/documents.ts';
import { notifications } from './fr/notifications.ts';
import { search } from './fr/search.ts';
import { exports } from './fr/exports.ts';
import { statistics } from './fr/statistics.ts';
import { offers } from './fr/offers.ts';
import { offerDeposit } from './fr/offer-deposit.ts';
import { privacy } from './fr/privacy.ts';
import { reference } from './fr/reference.ts';

export const fr = {
  common,
  centres,
  directory,
  hosts,
  conventions,
  documents,
  notifications,
  search,
  exports,
  statistics,
  offers,
  offerDeposit,
  privacy,
  reference,
};
