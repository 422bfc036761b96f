import type { MessageCatalogue } from '../catalogue.ts';

export const reference: MessageCatalogue['reference'] = {
  legalRates: {
    title: 'Hourly social-security ceiling',
    adminLink: 'Minimum gratification by year',
    adminText: 'The hourly social-security ceiling of each calendar year, from which the minimum gratification of interns follows.',
    intro:
      'The minimum gratification of an internship is {rate} % of the hourly social-security ceiling of each calendar year of the hours worked (article L124-6 of the Code de l’éducation). Next year’s ceiling is published by decree in December: enter it as soon as it is out, or the conventions with hours in that year report an unknown minimum.',
    tableCaption: 'Ceilings and minimum gratifications on record',
    year: 'Calendar year',
    ceiling: 'Hourly social-security ceiling',
    minimum: 'Minimum hourly gratification',
    none: 'No year is on record.',
    formLegend: 'Record the ceiling of a year',
    formHint: 'A year already on record is replaced. The minimum gratification is computed.',
    yearHint: 'Between {min} and {max}.',
    ceilingHint: 'In euros, as set by the decree (for example 30 or 30.00).',
    save: 'Save',
    saved: 'The ceiling of {year} is saved: minimum gratification of {minimum} an hour.',
    errors: {
      amount: 'An amount in euros is expected, with at most two decimals (for example 30.00).',
      amountRange: 'The hourly ceiling must be between €1 and €{max}.',
    },
  },
};
