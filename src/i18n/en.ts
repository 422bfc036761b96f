import type { MessageCatalogue } from './catalogue.ts';
import { common } from './en/common.ts';
import { centres } from './en/centres.ts';
import { directory } from './en/directory.ts';
import { conventions } from './en/conventions.ts';
import { hosts } from './en/hosts.ts';
import { documents } from './en/documents.ts';
import { notifications } from './en/notifications.ts';
import { search } from './en/search.ts';
import { exports } from './en/exports.ts';
import { statistics } from './en/statistics.ts';
import { offers } from './en/offers.ts';
import { offerDeposit } from './en/offer-deposit.ts';
import { privacy } from './en/privacy.ts';
import { reference } from './en/reference.ts';

export const en: MessageCatalogue = {
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
