import type { MessageCatalogue } from '../catalogue.ts';

export const documents: MessageCatalogue['documents'] = {
  errors: {
    printNotAllowed: 'Your management centre does not allow this convention to be printed yet.',
    notValidated: 'The internship certificate is only available for a validated convention.',
    unknownLanguage: 'Unknown print language: choose fr, en, es, de or it.',
  },
};
