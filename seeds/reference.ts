import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';

/**
 * Loads the reference lists and legal parameters shipped in `seeds/data/` (docs/domain.md says where
 * the rules read them). Idempotent, run at every start: reference lists gain new rows and refreshed
 * labels (no row is deleted: records point to them); legal parameters and yearly rates are only added,
 * never overwritten, because administrators maintain them in the database once installed.
 */
type ReferenceRow = { list: string; code: string; label: string; active: boolean; position: number; attributes: Record<string, unknown> };

async function readJson(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(new URL(`./data/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function referenceRows(list: string, entries: unknown[]): ReferenceRow[] {
  return entries.map((entry, position) => {
    if (typeof entry === 'number' || typeof entry === 'string') {
      return { list, code: String(entry), label: String(entry), active: true, position, attributes: {} };
    }
    const { code, iso2, label, active, ...attributes } = entry as Record<string, unknown>;
    // Countries are identified by their ISO code (INSEE codes are shared by several territories);
    // CPAM offices have no code of their own, and their labels are unique.
    const identifier = code ?? iso2 ?? label;
    return { list, code: String(identifier), label: String(label), active: active !== false, position, attributes };
  });
}

export async function seed(knex: Knex): Promise<void> {
  const referenceData = await readJson('reference-data.json');
  const legal = await readJson('legal-parameters.json');

  const rows = Object.entries(referenceData)
    .filter(([, value]) => Array.isArray(value))
    .flatMap(([list, entries]) => referenceRows(list, entries as unknown[]));

  await knex.transaction(async (trx) => {
    for (let start = 0; start < rows.length; start += 500) {
      await trx('reference_item')
        .insert(rows.slice(start, start + 500).map((row) => ({ ...row, attributes: JSON.stringify(row.attributes) })))
        .onConflict(['list', 'code'])
        .merge(['label', 'active', 'position', 'attributes']);
    }

    const { hourlySocialSecurityCeilingByYear, mandatoryMentionsD124_4, certificateMandatoryContentD124_9, _about, ...parameters } = legal as {
      hourlySocialSecurityCeilingByYear: { values: Record<string, number>; minimumHourlyGratification: Record<string, number> };
      mandatoryMentionsD124_4: string[];
      certificateMandatoryContentD124_9: string[];
      _about: string;
    } & Record<string, unknown>;

    for (const [key, content] of Object.entries(parameters)) {
      const { source, ...value } = content as { source?: string } & Record<string, unknown>;
      await trx('legal_parameter')
        .insert({ key, value: JSON.stringify(Array.isArray(content) ? content : value), source: source ?? '' })
        .onConflict('key')
        .ignore();
    }

    const yearlyRates = Object.entries(hourlySocialSecurityCeilingByYear.values).map(([year, ceiling]) => ({
      year: Number(year),
      hourly_social_security_ceiling: ceiling,
      minimum_hourly_gratification: hourlySocialSecurityCeilingByYear.minimumHourlyGratification[year],
    }));
    await trx('legal_yearly_rate').insert(yearlyRates).onConflict('year').ignore();

    const mentions = [
      ...mandatoryMentionsD124_4.map((text, position) => ({ article: 'D124-4', position, text })),
      ...certificateMandatoryContentD124_9.map((text, position) => ({ article: 'D124-9', position, text })),
    ];
    await trx('legal_mention').insert(mentions).onConflict(['article', 'position']).merge(['text']);
  });
}
