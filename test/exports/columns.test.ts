import { describe, expect, it } from 'vitest';
import { COLUMN_GROUPS, DEFAULT_COLUMN_KEYS, EXPORT_COLUMNS, columnByKey } from '../../src/exports/columns.ts';
import { translator } from '../../src/i18n/index.ts';

/** The catalogue of export columns: stable keys, a French title each, the list covered. */
const t = translator('fr');

describe('the export columns', () => {
  it('have stable, distinct camelCase keys and distinct French titles', () => {
    const keys = EXPORT_COLUMNS.map((column) => column.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z][A-Za-z]*$/);
    const titles = keys.map((key) => t(`exports.columns.${key}`));
    for (const [index, title] of titles.entries()) expect(title, keys[index]).not.toBe(`exports.columns.${keys[index]}`);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('cover the issue’s list in its three groups, with defaults among them', () => {
    expect(EXPORT_COLUMNS.length).toBeGreaterThanOrEqual(60);
    const byGroup = Object.fromEntries(
      COLUMN_GROUPS.map((group) => [group, EXPORT_COLUMNS.filter((column) => column.group === group).map((column) => column.key)]),
    );
    expect(byGroup.convention).toEqual(
      expect.arrayContaining([
        'number',
        'studentNumber',
        'studentLastName',
        'studentFirstName',
        'studentEmail',
        'studentPhone',
        'studentAddress',
        'facultyCode',
        'facultyLabel',
        'stepCode',
        'stepLabel',
        'startDate',
        'endDate',
        'interruptions',
        'totalHours',
        'daysPerWeek',
        'hoursPerWeek',
        'theme',
        'subject',
        'activities',
        'skills',
        'gratificationAmount',
        'gratificationPer',
        'gratificationPaymentMode',
        'conventionType',
        'internshipKind',
        'language',
        'internshipOrigin',
        'supervisorName',
        'supervisorEmail',
        'signatoryName',
        'signatoryEmail',
        'signatoryFunction',
        'academicYear',
        'status',
        'pedagogicalValidationDate',
        'validationDate',
        'createdAt',
        'createdBy',
        'updatedAt',
        'updatedBy',
      ]),
    );
    expect(byGroup.host).toEqual(
      expect.arrayContaining([
        'hostName',
        'hostSiret',
        'hostNafCode',
        'hostNafLabel',
        'hostLegalStatus',
        'hostType',
        'hostHeadcount',
        'hostAddress',
        'hostPostalCode',
        'hostTown',
        'hostCountry',
        'hostPhone',
        'hostEmail',
        'hostWebsite',
        'serviceName',
        'serviceAddress',
        'tutorName',
        'tutorEmail',
        'tutorPhone',
        'tutorFunction',
      ]),
    );
    expect(byGroup.amendments).toEqual(['amendmentCount', 'lastAmendmentKind', 'lastAmendmentDate', 'terminationDate']);
    for (const key of DEFAULT_COLUMN_KEYS) expect(columnByKey(key), key).toBeDefined();
  });
});
