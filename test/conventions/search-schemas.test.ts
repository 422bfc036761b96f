import { describe, expect, it } from 'vitest';
import { parseSearch, queryStringOf, searchParametersOf, SEARCH_PARAMETERS, type ConventionSearch } from '../../src/conventions/search/schemas.ts';

/**
 * parseSearch: what the convention search makes of a query string. A typed field that
 * cannot be understood gets a French message and is not applied; a forged select value is ignored
 * without an error (a person cannot type it in the page); nothing ever throws.
 */

/** The criteria of an empty search. */
const NOTHING: ConventionSearch = {
  number: null,
  academicYear: null,
  studentNumber: null,
  lastName: null,
  firstName: null,
  subject: null,
  conventionType: null,
  internshipKind: null,
  theme: null,
  daysPerWeek: null,
  gratification: null,
  workingTime: null,
  printLanguage: null,
  status: null,
  period: null,
  from: null,
  to: null,
  faculties: [],
  steps: [],
  supervisor: null,
  hostName: null,
  siret: null,
  town: null,
  postalCode: null,
  country: null,
  foreignOnly: false,
  hostType: null,
  legalStatus: null,
  headcount: null,
  nafSection: null,
  offerNumber: null,
  amendments: null,
};

/** The criteria of a query that changes only `changed`, with no error. */
function expectCriteria(query: Record<string, unknown>, changed: Partial<ConventionSearch>) {
  const parsed = parseSearch(query);
  expect(parsed.errors, JSON.stringify(query)).toEqual({});
  expect(parsed.criteria).toEqual({ ...NOTHING, ...changed });
}

/** A query refused with a French message on one field, the criterion then not applied. */
function expectRefused(query: Record<string, unknown>, field: string, message: string | RegExp) {
  const parsed = parseSearch(query);
  expect(Object.keys(parsed.errors), JSON.stringify(query)).toEqual([field]);
  if (typeof message === 'string') expect(parsed.errors[field]).toBe(message);
  else expect(parsed.errors[field]).toMatch(message);
  expect(parsed.criteria).toEqual(NOTHING);
}

describe('parseSearch: an empty search', () => {
  it('has no criterion, sorts by number, newest first, on page 1', () => {
    for (const query of [{}, { number: '', lastName: '   ', faculty: [], period: '', page: '' }]) {
      expect(parseSearch(query)).toEqual({ criteria: NOTHING, order: { sort: 'number', direction: 'desc' }, page: 1, errors: {} });
    }
  });

  it('ignores parameters that are no criterion (centre, id, SQL)', () => {
    expectCriteria({ centre_id: '3', centreId: '3', id: '1', where: '1=1', student_id: '2', 'number[]': '1' }, {});
  });
});

describe('parseSearch: typed fields', () => {
  it('reads a convention number, spaces and surrounding blanks ignored', () => {
    expectCriteria({ number: '42' }, { number: 42 });
    expectCriteria({ number: ' 1 234 ' }, { number: 1234 });
    expectCriteria({ number: '000012' }, { number: 12 });
  });

  it('refuses a number that is not digits, with a French message', () => {
    for (const number of ['12a', '-3', '1.5', '1e3', "1' OR '1'='1", '1234567890']) {
      expectRefused({ number }, 'number', 'Un numéro de convention ne contient que des chiffres.');
    }
  });

  it('reads an academic year of two following years only', () => {
    expectCriteria({ academicYear: '2026-2027' }, { academicYear: '2026-2027' });
    expectCriteria({ academicYear: ' 2025-2026 ' }, { academicYear: '2025-2026' });
    for (const academicYear of ['2026', '2026-2028', '2027-2026', '2026/2027', '26-27', 'abcd-efgh']) {
      expectRefused({ academicYear }, 'academicYear', 'Année universitaire au format 2026-2027.');
    }
  });

  it('reads the texts (student, subject, supervisor, host, town) trimmed, and refuses what no person types', () => {
    const texts = ['studentNumber', 'lastName', 'firstName', 'subject', 'supervisor', 'hostName', 'town'] as const;
    for (const name of texts) {
      expectCriteria({ [name]: '  Élodie d’Arc  ' }, { [name]: 'Élodie d’Arc' });
      expectCriteria({ [name]: '100%_\\' }, { [name]: '100%_\\' });
      expectCriteria({ [name]: 'x'.repeat(100) }, { [name]: 'x'.repeat(100) });
      expectRefused({ [name]: 'x'.repeat(101) }, name, '100 caractères au plus.');
      expectRefused({ [name]: 'a\u0000b' }, name, 'Ce texte contient des caractères non autorisés.');
      expectRefused({ [name]: 'a\nb' }, name, 'Ce texte contient des caractères non autorisés.');
    }
  });

  it('reads a SIRET or the beginning of one (SIREN), with or without spaces', () => {
    expectCriteria({ siret: '732 829 320 00074' }, { siret: '73282932000074' });
    expectCriteria({ siret: '732829320' }, { siret: '732829320' });
    for (const siret of ['7328293200007X', '123456789012345', '732-829-320']) {
      expectRefused({ siret }, 'siret', 'Un SIRET (ou son début, le SIREN) ne contient que des chiffres, 14 au plus.');
    }
  });

  it('reads a postal code or its beginning, French or foreign', () => {
    expectCriteria({ postalCode: '75' }, { postalCode: '75' });
    expectCriteria({ postalCode: 'SW1A 1AA' }, { postalCode: 'SW1A 1AA' });
    for (const postalCode of ['75%', '75_', "7'5", '12345678901']) expectRefused({ postalCode }, 'postalCode', 'Code postal invalide.');
  });

  it('reads an offer number', () => {
    expectCriteria({ offerNumber: '17' }, { offerNumber: 17 });
    expectRefused({ offerNumber: 'n°17' }, 'offerNumber', 'Un numéro d’offre ne contient que des chiffres.');
  });

  it('keeps the other criteria when one field is refused', () => {
    const parsed = parseSearch({ number: 'abc', academicYear: '2026-2027', lastName: 'Moreau', status: 'validated' });
    expect(parsed.errors).toEqual({ number: 'Un numéro de convention ne contient que des chiffres.' });
    expect(parsed.criteria).toEqual({ ...NOTHING, academicYear: '2026-2027', lastName: 'Moreau', status: 'validated' });
  });

  it('reports every field refused at once', () => {
    const parsed = parseSearch({ number: 'x', academicYear: 'y', siret: 'z', postalCode: '%', offerNumber: 'o', period: 'between', from: 'hier' });
    expect(Object.keys(parsed.errors).sort()).toEqual(['academicYear', 'from', 'number', 'offerNumber', 'postalCode', 'siret']);
    expect(parsed.criteria).toEqual({ ...NOTHING, period: 'between' });
  });
});

describe('parseSearch: lists of the page (selects and boxes)', () => {
  it('reads every value the page offers', () => {
    expectCriteria(
      { conventionType: 'FI', internshipKind: 'OBL', theme: '11', workingTime: 'TPART', printLanguage: 'en', country: 'DE' },
      {
        conventionType: 'FI',
        internshipKind: 'OBL',
        theme: '11',
        workingTime: 'TPART',
        printLanguage: 'en',
        country: 'DE',
      },
    );
    expectCriteria(
      { hostType: '3', legalStatus: 'SAS', headcount: '00', nafSection: 'J' },
      { hostType: '3', legalStatus: 'SAS', headcount: '00', nafSection: 'J' },
    );
    expectCriteria({ gratification: 'yes', amendments: 'no' }, { gratification: true, amendments: false });
    expectCriteria({ gratification: 'no', amendments: 'yes' }, { gratification: false, amendments: true });
    expectCriteria({ foreignOnly: '1' }, { foreignOnly: true });
  });

  it('reads every days-per-week value of the list, and ignores others', () => {
    for (const days of ['0.5', '1', '2.5', '4.5', '5', '6']) expectCriteria({ daysPerWeek: days }, { daysPerWeek: days });
    for (const days of ['0', '7', '5.0', '2,5', 'cinq', '5; DROP TABLE convention']) expectCriteria({ daysPerWeek: days }, {});
  });

  it('reads each status choice: validated, not validated, each state', () => {
    for (const status of ['validated', 'not_validated', 'draft', 'submitted', 'pedagogically_validated', 'refused', 'cancelled'] as const) {
      expectCriteria({ status }, { status });
    }
  });

  it('ignores forged values without an error page', () => {
    expectCriteria(
      {
        conventionType: "FI' OR 1=1 --",
        internshipKind: '<script>',
        theme: 'x'.repeat(21),
        workingTime: 'TCOMP;',
        printLanguage: 'fr fr',
        country: '../etc',
        hostType: '3%',
        legalStatus: "SAS'",
        headcount: '',
        nafSection: 'Z',
        gratification: 'true',
        amendments: '1',
        foreignOnly: 'on',
        status: 'deleted',
        period: 'always',
      },
      {},
    );
    expectCriteria({ nafSection: 'j' }, {});
    expectCriteria({ nafSection: 'JK' }, {});
  });
});

describe('parseSearch: faculties and study steps (multi-selects)', () => {
  it('reads one value or several, without duplicates, and drops forged ones', () => {
    expectCriteria({ faculty: 'SCI' }, { faculties: ['SCI'] });
    expectCriteria({ faculty: ['SCI', 'DEG', 'SCI'], step: ['L3INFO', 'M1BIO'] }, { faculties: ['SCI', 'DEG'], steps: ['L3INFO', 'M1BIO'] });
    expectCriteria({ faculty: ['SCI', "DEG' OR '1'='1", '', ' IUT '], step: ['<b>'] }, { faculties: ['SCI', 'IUT'], steps: [] });
  });

  it('keeps at most 200 choices', () => {
    const many = Array.from({ length: 500 }, (_, index) => `S${index}`);
    expect(parseSearch({ step: many }).criteria.steps).toEqual(many.slice(0, 200));
  });
});

describe('parseSearch: repeated parameters', () => {
  it('takes the last value of a single-value field given twice', () => {
    expectCriteria({ number: ['1', '2'] }, { number: 2 });
    expectCriteria({ lastName: ['Moreau', 'Nguyen'], status: ['validated', 'refused'] }, { lastName: 'Nguyen', status: 'refused' });
    expectRefused({ number: ['1', 'x'] }, 'number', 'Un numéro de convention ne contient que des chiffres.');
  });

  it('never throws on values that are not strings', () => {
    for (const value of [undefined, null, 42, true, {}, { a: '1' }, [{}], [[]], ['1', {}]]) {
      const query = Object.fromEntries(SEARCH_PARAMETERS.map((name) => [name, value]));
      const parsed = parseSearch({ ...query, page: value });
      expect(parsed.errors).toEqual({});
      expect(parsed.page).toBe(1);
      expect(parsed.order).toEqual({ sort: 'number', direction: 'desc' });
    }
  });
});

describe('parseSearch: the period', () => {
  it('reads the periods relative to today', () => {
    for (const period of ['in_progress', 'starting_1w', 'starting_2w', 'starting_1m', 'ended'] as const) expectCriteria({ period }, { period });
  });

  it('reads "between" with two dates, or one, as typed in a date field or by hand', () => {
    expectCriteria({ period: 'between', from: '2027-03-01', to: '2027-03-31' }, { period: 'between', from: '2027-03-01', to: '2027-03-31' });
    expectCriteria({ period: 'between', from: '01/03/2027', to: ' 31/03/2027 ' }, { period: 'between', from: '2027-03-01', to: '2027-03-31' });
    expectCriteria({ period: 'between', from: '2027-03-01' }, { period: 'between', from: '2027-03-01' });
    expectCriteria({ period: 'between', to: '2027-03-31' }, { period: 'between', to: '2027-03-31' });
    expectCriteria({ period: 'between', from: '2027-03-01', to: '2027-03-01' }, { period: 'between', from: '2027-03-01', to: '2027-03-01' });
  });

  it('asks for a date when "between" has none', () => {
    const parsed = parseSearch({ period: 'between', from: '', to: ' ' });
    expect(parsed.errors).toEqual({ from: 'Indiquez au moins une des deux dates.' });
    expect(parsed.criteria).toEqual({ ...NOTHING, period: 'between' });
  });

  it('refuses a date that does not exist, or an end before the start', () => {
    for (const from of ['2027-02-30', '2027-13-01', '31/02/2027', '2027-3-1', 'demain', '2027-03-01T00:00']) {
      const parsed = parseSearch({ period: 'between', from, to: '2027-03-31' });
      expect(parsed.errors, from).toEqual({ from: expect.stringMatching(/^Date invalide/) });
      expect(parsed.criteria, from).toEqual({ ...NOTHING, period: 'between', to: '2027-03-31' });
    }
    const reversed = parseSearch({ period: 'between', from: '2027-03-31', to: '2027-03-01' });
    expect(reversed.errors).toEqual({ to: 'La date de fin de la période précède sa date de début.' });
    expect(reversed.criteria).toEqual({ ...NOTHING, period: 'between', from: '2027-03-31' });
  });

  it('never ignores dates typed without choosing "between": they search between them', () => {
    expectCriteria({ from: '2027-03-01', to: '2027-03-31' }, { period: 'between', from: '2027-03-01', to: '2027-03-31' });
    expectCriteria({ period: '', to: '31/03/2027' }, { period: 'between', to: '2027-03-31' });
  });

  it('applies typed dates as well as another period chosen', () => {
    expectCriteria({ period: 'ended', from: '2027-03-01', to: '2027-03-31' }, { period: 'ended', from: '2027-03-01', to: '2027-03-31' });
  });
});

describe('parseSearch: sort, direction and page', () => {
  it('reads each sort and direction; the default is the number, newest first', () => {
    for (const sort of ['number', 'student', 'host', 'start', 'status'] as const) {
      expect(parseSearch({ sort, direction: 'asc' }).order).toEqual({ sort, direction: 'asc' });
      expect(parseSearch({ sort, direction: 'desc' }).order).toEqual({ sort, direction: 'desc' });
    }
    expect(parseSearch({ sort: 'id;drop table convention', direction: 'up' }).order).toEqual({ sort: 'number', direction: 'desc' });
    expect(parseSearch({ sort: 'c.id', direction: 'asc; --' }).order).toEqual({ sort: 'number', direction: 'desc' });
    expect(parseSearch({ sort: ['host', 'student'], direction: ['desc', 'asc'] }).order).toEqual({ sort: 'student', direction: 'asc' });
  });

  it('reads the page between 1 and 100 000', () => {
    const page = (value: unknown) => parseSearch({ page: value }).page;
    expect(page('3')).toBe(3);
    expect(page(['2', '5'])).toBe(5);
    expect(page('0')).toBe(1);
    expect(page('-4')).toBe(1);
    expect(page('abc')).toBe(1);
    expect(page('99999999999999999999')).toBe(100000);
    expect(page('1e9')).toBe(1);
    expect(page('Infinity')).toBe(1);
    expect(page('NaN')).toBe(1);
  });
});

describe('the search parameters kept in the session and in links', () => {
  it('keeps the criteria, sort and direction, not the page nor other parameters', () => {
    expect(
      searchParametersOf({ number: '12', faculty: ['SCI', 'DEG'], page: '3', search: '1', reset: '1', centre_id: '2', lastName: '  ', sort: 'host' }),
    ).toEqual({
      number: '12',
      faculty: ['SCI', 'DEG'],
      sort: 'host',
    });
  });

  it('keeps the last value of a single-value field given twice, as the search applies it', () => {
    expect(searchParametersOf({ number: ['1', '2'], step: 'L3INFO', lastName: ['', 'Moreau'], firstName: ['Léa', ''] })).toEqual({
      number: '2',
      step: ['L3INFO'],
      lastName: 'Moreau',
    });
    expect(searchParametersOf({ number: [{}, '3'], faculty: [{}, 'SCI'], town: { a: 'b' } })).toEqual({ number: '3', faculty: ['SCI'] });
  });

  it('writes them back as a query string with the multi-selects repeated', () => {
    expect(queryStringOf({ lastName: 'Élodie & co', faculty: ['SCI', 'DEG'] }, { page: '2' })).toBe(
      'lastName=%C3%89lodie+%26+co&faculty=SCI&faculty=DEG&page=2',
    );
    const round = Object.fromEntries(new URLSearchParams(queryStringOf({ number: '7', step: ['A', 'B'] })).entries());
    expect(round).toEqual({ number: '7', step: 'B' });
  });
});
