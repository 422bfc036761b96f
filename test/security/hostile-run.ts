import type { Knex } from 'knex';
import type { TestApp } from '../support/test-app.ts';
import { crawl, formsOf, type Page } from './hostile-crawl.ts';
import { exerciseForms, HostileActor, markDone, newExercise, type Exercise, type Stored } from './hostile-fuzz.ts';
import { decodeEntities } from './hostile-html.ts';
import { RAW_MARKUP, type Value } from './hostile-payloads.ts';

/** One run of the hostile-input tests of a test file: its actors, what they posted and what was stored. */
export class HostileRun {
  readonly result: Exercise = newExercise();
  /** Forms already posted by an actor of this run (the same form is not posted again by the next one). */
  readonly done = new Set<string>();

  constructor(private readonly app: TestApp) {}

  /** Signs in (or not), crawls from the start pages and posts every form not posted yet. */
  async exercise(login: string | null, { starts = ['/'], baseline = {} }: { starts?: string[]; baseline?: Record<string, Value> } = {}): Promise<HostileActor> {
    const agent = login === null ? this.app.anonymous() : await this.app.signIn(login);
    const actor = new HostileActor(login ?? 'anonymous', agent, this.result, baseline);
    await exerciseForms(actor, formsOf(await crawl(agent, starts)), this.done, this.result);
    return actor;
  }

  /** Marks as done the forms an actor reaches, without posting them (another test file posts them). */
  async skipFormsOf(login: string): Promise<void> {
    markDone(formsOf(await crawl(await this.app.signIn(login), ['/'])), this.done);
  }

  /** The distinct hostile values the application kept. */
  storedValues(): string[] {
    return [...new Set(this.result.stored.map((stored) => stored.value))];
  }
}

/** The problems of pages seen after the posts: a 5xx, or hostile markup left as markup. */
export function pageProblems(pages: Page[]): string[] {
  const problems: string[] = [];
  for (const page of pages) {
    if (page.status >= 500) problems.push(`${page.path}: ${page.status}`);
    for (const markup of RAW_MARKUP) if (page.html.includes(markup)) problems.push(`${page.path}: ${markup} unescaped`);
  }
  return problems;
}

/** The stored values no page shows (read as a browser shows them, entities decoded), with where they were posted. */
export function notShown(pages: Page[], stored: Stored[]): string[] {
  const texts = pages.map((page) => decodeEntities(page.html));
  return stored
    .filter(({ value }) => !texts.some((text) => text.includes(value)))
    .map(({ form, field, value }) => `${form} ${field}: ${JSON.stringify(value)}`);
}

/** The text columns of the records (sessions, the audit log and the mail queue aside: they copy what records hold). */
async function textColumns(knex: Knex): Promise<Map<string, string[]>> {
  const rows = (await knex('information_schema.columns as c')
    .join('information_schema.tables as t', function joinTables() {
      this.on('t.table_schema', 'c.table_schema').andOn('t.table_name', 'c.table_name');
    })
    .where({ 'c.table_schema': 'public', 't.table_type': 'BASE TABLE' })
    .whereIn('c.data_type', ['text', 'character varying', 'json', 'jsonb', 'ARRAY'])
    .whereNotIn('c.table_name', ['session', 'audit_log', 'notification', 'knex_migrations', 'knex_migrations_lock'])
    .select('c.table_name', 'c.column_name')) as { table_name: string; column_name: string }[];
  const byTable = new Map<string, string[]>();
  for (const row of rows) byTable.set(row.table_name, [...(byTable.get(row.table_name) ?? []), row.column_name]);
  return byTable;
}

/** Columns holding the over-long payload, or a piece of it (cut instead of refused). */
export async function columnsWithLongText(knex: Knex): Promise<string[]> {
  const found: string[] = [];
  for (const [table, columns] of await textColumns(knex)) {
    const checks = columns.map((column) =>
      knex.raw("coalesce(bool_or(length(??::text) >= 10000 or ??::text like '%Lorem ipsum Lorem ipsum%'), false) as ??", [column, column, column]),
    );
    const row = (await knex(table).first(checks)) as Record<string, boolean>;
    for (const column of columns) if (row[column]) found.push(`${table}.${column}`);
  }
  return found;
}

/** The values some record holds as the whole text of one of its columns. */
export async function valuesHeld(knex: Knex, values: string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (const [table, columns] of await textColumns(knex)) {
    const query = knex(table).select(columns.map((column) => knex.raw('??::text as ??', [column, column])));
    for (const column of columns) query.orWhereRaw('??::text = any(?)', [column, values]);
    for (const row of (await query) as Record<string, string | null>[])
      for (const text of Object.values(row)) if (text !== null && values.includes(text)) held.add(text);
  }
  return held;
}
