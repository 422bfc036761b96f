import type TestAgent from 'supertest/lib/agent.js';
import { fr } from '../../src/i18n/fr.ts';
import { pageType, type FoundForm } from './hostile-crawl.ts';
import { formAgain, formsIn, invalidFields, type FormField } from './hostile-html.ts';
import { escapedHtml, FAMILIES, isFreeText, isFuzzable, RAW_MARKUP, STORABLE, TEXT_KINDS, type Family, type Value } from './hostile-payloads.ts';

/** Posts every form an actor reaches with every family of hostile values, and says what went wrong. */

export interface Answer {
  status: number;
  html: string;
}

export interface Finding {
  actor: string;
  form: string;
  family: string;
  problem: string;
}

export interface Stored {
  form: string;
  field: string;
  value: string;
}

export interface Exercise {
  findings: Finding[];
  /** Forms posted (or searched) at least once. */
  forms: string[];
  posts: number;
  /** Hostile values the application accepted and kept, to be looked for where they are shown. */
  stored: Stored[];
}

const ERROR_TITLES = Object.entries(fr.common.errors)
  .filter(([key]) => key.startsWith('title'))
  .map(([, title]) => `<h1>${escapedHtml(title)}</h1>`);
/** A catalogue key shown instead of its message: "conventions.errors.something". */
const UNTRANSLATED = new RegExp(`>\\s*(?:${Object.keys(fr).join('|')})(?:\\.[a-zA-Z0-9_]+)+\\s*<`);

const formName = (form: FoundForm) => `${form.method.toUpperCase()} ${pageType(form.action)}`;
const fieldsSignature = (form: FoundForm) =>
  form.fields
    .filter((field) => field.kind !== 'hidden')
    .map((field) => `${field.name}:${field.kind}`)
    .sort()
    .join(',');
/**
 * The same form under another record's address is the same form (a wizard step of a draft and of a
 * convention, the publication of two offers): what follows the record's number, and the fields.
 */
const signature = (form: FoundForm) => `${form.method} ${form.action.split('?')[0]!.replace(/^.*\/\d+(?=\/|$)/, ':n')} ${fieldsSignature(form)}`;

export async function send(agent: TestAgent, form: FoundForm, values: Map<string, Value>): Promise<Answer> {
  const pairs: [string, string][] = [];
  for (const [name, value] of values) for (const item of [value].flat()) pairs.push([name, item]);
  let request;
  if (form.method === 'get') {
    const query = new URLSearchParams(pairs).toString();
    request = agent.get(`${form.action.split('?')[0]}?${query}`);
  } else if (form.multipart) {
    request = agent.post(form.action);
    for (const [name, value] of pairs) request = request.field(name, value);
  } else {
    request = agent.post(form.action).type('form').send(new URLSearchParams(pairs).toString());
  }
  const response = await request;
  const html = /text\/html/.test(String(response.headers['content-type'])) ? response.text : '';
  return { status: response.status, html };
}

/**
 * What the form sends untouched (hidden fields, selected options, checked boxes, the first button),
 * or the valid value a blank public form is given so that what it accepts can be stored.
 */
function untouched(form: FoundForm, baseline: Record<string, Value>): Map<string, Value> {
  return new Map(
    form.fields
      .filter((field) => field.kind !== 'file')
      .map((field) => [field.name, field.kind !== 'hidden' && field.name in baseline ? baseline[field.name]! : field.values]),
  );
}

/** A value shown back as typed, or as the same number ("+1" shown "1"). */
function sameValue(shown: string | undefined, typed: string): boolean {
  if (shown === typed) return true;
  const number = (text: string) => (/^\s*[+-]?\d+(?:[.,]\d+)?\s*$/.test(text) ? Number(text.replace(',', '.')) : NaN);
  return shown !== undefined && number(shown) === number(typed);
}

/** The problems of one answer; `sent` holds the hostile values put in the form. */
export function inspect(answer: Answer, form: FoundForm, sent: Map<string, Value>, family: Family | undefined): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  // Refused for coming too often, the post tested nothing: the run must stay under the limits.
  if (answer.status === 429) problems.push('rate limited');
  for (const markup of RAW_MARKUP) if (answer.html.includes(markup)) problems.push(`${markup} in the page, unescaped`);
  const textSent = form.fields.some((field) => TEXT_KINDS.has(field.kind) && sent.has(field.name));
  if (family?.refused && textSent && answer.status < 400 && form.method === 'post') problems.push(`accepted (${answer.status})`);
  if (answer.status >= 400 && answer.status < 500 && answer.html) {
    if (!answer.html.includes('<html lang="fr"')) problems.push(`${answer.status} not in French`);
    const hasMessage = /field__error|notice--error/.test(answer.html) || ERROR_TITLES.some((title) => answer.html.includes(title));
    if (!hasMessage) problems.push(`${answer.status} without a message`);
    if (UNTRANSLATED.test(answer.html)) problems.push(`message not translated: ${UNTRANSLATED.exec(answer.html)![0]}`);
    const again = formAgain(answer.html, form.page, form.action);
    for (const field of again?.fields ?? []) {
      const value = sent.get(field.name);
      if (typeof value === 'string' && TEXT_KINDS.has(field.kind) && !sameValue(field.values[0], value))
        problems.push(`${field.name} not kept (${JSON.stringify(field.values[0]?.slice(0, 40))})`);
    }
  }
  return problems;
}

/** The posts of one family: every settable field at once, or so many at a time when the family says so. */
function postsOf(form: FoundForm, family: Family): Map<string, Value>[] {
  const fields = form.fields.filter(isFuzzable);
  const assign = (chosen: FormField[]) => new Map(chosen.map((field) => [field.name, family.valueFor(field, fields.indexOf(field))]));
  const perPost = family.fieldsPerPost ?? Math.max(1, fields.length);
  const posts: Map<string, Value>[] = [];
  for (let start = 0; start < fields.length; start += perPost) posts.push(assign(fields.slice(start, start + perPost)));
  return posts;
}

/** A form as last seen, and how many posts had changed something when it was seen. */
interface Snapshot {
  form: FoundForm;
  seenAt: number;
}

export class HostileActor {
  /** Successful posts so far: each may have changed the version (or the very presence) of any form. */
  private changes = 0;
  /** The forms that kept storable values, and in which fields. */
  private readonly accepted: { snapshot: Snapshot; fields: string[] }[] = [];
  constructor(
    readonly name: string,
    readonly agent: TestAgent,
    private readonly result: Exercise,
    private readonly baseline: Record<string, Value> = {},
  ) {}

  /**
   * The form as its page shows it now (fresh version and token). A form a post took away (the record
   * changed state) stays as last seen and is still posted: a forger does not need the page.
   */
  private async current(snapshot: Snapshot): Promise<FoundForm> {
    if (snapshot.seenAt === this.changes) return snapshot.form;
    const { form } = snapshot;
    const page = await this.agent.get(form.page);
    const again = formsIn(page.text ?? '', form.page).find(
      (candidate) => candidate.action === form.action && fieldsSignature({ ...candidate, page: form.page }) === fieldsSignature(form),
    );
    if (again) snapshot.form = { ...again, page: form.page };
    snapshot.seenAt = this.changes;
    return snapshot.form;
  }

  private async post(form: FoundForm, values: Map<string, Value>, family: Family | undefined, label: string): Promise<Answer> {
    const answer = await send(this.agent, form, new Map([...untouched(form, this.baseline), ...values]));
    this.result.posts += 1;
    if (answer.status < 400 && form.method === 'post') this.changes += 1;
    for (const problem of inspect(answer, form, values, family)) this.result.findings.push({ actor: this.name, form: formName(form), family: label, problem });
    return answer;
  }

  /** Every family with every field, then the storable values in the free-text fields. */
  async exercise(found: FoundForm, offset: number): Promise<void> {
    const snapshot: Snapshot = { form: found, seenAt: 0 };
    for (const family of FAMILIES) {
      for (const values of postsOf(found, family)) await this.post(await this.current(snapshot), values, family, family.name);
    }
    if (found.method === 'post') await this.store(snapshot, storable(found, offset));
  }

  /** Only the storable values, for the same form under another record's address. */
  async storeIn(found: FoundForm, offset: number): Promise<void> {
    await this.store({ form: found, seenAt: 0 }, storable(found, offset));
  }

  /** Posts again the forms that kept storable values, with other values in the same fields. */
  async storeAgain(valueFor: (index: number) => string): Promise<void> {
    for (const { snapshot, fields } of this.accepted.splice(0)) await this.store(snapshot, new Map(fields.map((field, index) => [field, valueFor(index)])));
  }

  /** Posts the values; the fields the form refuses get their own value back, twice at most. */
  private async store(snapshot: Snapshot, assigned: Map<string, Value>): Promise<void> {
    for (let attempt = 0; attempt < 3 && assigned.size > 0; attempt += 1) {
      const form = await this.current(snapshot);
      const answer = await this.post(form, assigned, undefined, 'storable');
      if (answer.status < 400) {
        for (const [field, value] of assigned) this.result.stored.push({ form: formName(form), field, value: value as string });
        this.accepted.push({ snapshot, fields: [...assigned.keys()] });
        return;
      }
      const refused = [...invalidFields(answer.html, form.page, form.action)].filter((name) => assigned.has(name));
      if (refused.length === 0) return;
      for (const name of refused) assigned.delete(name);
    }
  }
}

/** Storable values in the free-text fields, each field the next one (from `offset`) so that a form stores several. */
function storable(form: FoundForm, offset: number): Map<string, Value> {
  return new Map(form.fields.filter(isFreeText).map((field, index) => [field.name, STORABLE[(index + offset) % STORABLE.length]!]));
}

export function markDone(forms: FoundForm[], done: Set<string>): void {
  for (const form of forms) done.add(signature(form)).add(`${form.method} ${form.action}`);
}

export const newExercise = (): Exercise => ({ findings: [], forms: [], posts: 0, stored: [] });

/**
 * Posts the forms not posted yet by another actor of the run (same action type, same fields): the
 * forms that change most first, those that only confirm an action (one field or two) last, so that
 * a confirmation does not take away the record the other forms edit. The same form under another
 * record's address only gets the storable values: more records then show them afterwards.
 */
export async function exerciseForms(actor: HostileActor, forms: FoundForm[], done: Set<string>, result: Exercise): Promise<void> {
  const todo = forms.filter((form) => form.fields.some(isFuzzable)).sort((a, b) => b.fields.filter(isFuzzable).length - a.fields.filter(isFuzzable).length);
  for (const [index, form] of todo.entries()) {
    const stored = `${form.method} ${form.action}`;
    if (done.has(stored)) continue;
    done.add(stored);
    if (done.has(signature(form))) {
      if (form.method === 'post') await actor.storeIn(form, index);
      continue;
    }
    done.add(signature(form));
    result.forms.push(formName(form));
    await actor.exercise(form, index);
  }
}
