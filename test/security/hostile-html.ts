/**
 * A small extraction of links and forms from the application's pages, enough for the hostile-input
 * tests: the templates are ours and well formed, so regular expressions over tags do (no HTML parser
 * is installed and the tests should not need one).
 */

export type FieldKind =
  'hidden' | 'text' | 'textarea' | 'select' | 'checkbox' | 'radio' | 'file' | 'number' | 'date' | 'email' | 'tel' | 'url' | 'search' | 'button';

export interface FormField {
  name: string;
  kind: FieldKind;
  /** What a browser would send untouched: the text, the selected options, the checked boxes' values. */
  values: string[];
  /** The values a select, a radio group or a group of checkboxes offers. */
  options: string[];
  /** Hidden from people (tabindex="-1", as the honeypot): a person never types in it. */
  notForPeople: boolean;
  /** Marked invalid by the server (aria-invalid), on a form sent back with its errors. */
  invalid: boolean;
  /** The file types a file input asks for. */
  accept?: string;
}

export interface Form {
  action: string;
  method: 'get' | 'post';
  multipart: boolean;
  fields: FormField[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') return String.fromCodePoint(code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

export function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const body = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  for (const match of body.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attributes[match[1]!.toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

/** Same-application addresses of the links of a page (no files, no sign-out, no other site). */
export function linksIn(html: string): string[] {
  const links = new Set<string>();
  for (const match of html.matchAll(/<a\s[^>]*>/gi)) {
    const href = attributesOf(match[0]).href;
    if (!href || !href.startsWith('/') || href.startsWith('//')) continue;
    links.add(href.split('#')[0]!);
  }
  return [...links].filter(Boolean);
}

function fieldsOf(html: string): FormField[] {
  const fields: FormField[] = [];
  const tags = /<input\s[^>]*>|<textarea\s[^>]*>([\s\S]*?)<\/textarea>|<select\s[^>]*>([\s\S]*?)<\/select>|<button\s[^>]*>/gi;
  for (const match of html.matchAll(tags)) {
    const tag = /^<[^>]*>/.exec(match[0])![0];
    const attributes = attributesOf(tag);
    const name = attributes.name;
    if (!name || 'disabled' in attributes) continue;
    const common = { name, notForPeople: attributes.tabindex === '-1', invalid: attributes['aria-invalid'] === 'true' };
    const element = /^<(\w+)/.exec(tag)![1]!.toLowerCase();
    const type = (attributes.type ?? (element === 'button' ? 'submit' : 'text')).toLowerCase();
    if (element === 'textarea') {
      fields.push({ ...common, kind: 'textarea', values: [decodeEntities(match[1] ?? '').replace(/^\n/, '')], options: [] });
    } else if (element === 'select') {
      const options = [...(match[2] ?? '').matchAll(/<option\b[^>]*>/gi)].map((option) => attributesOf(option[0]));
      const selected = options.filter((option) => 'selected' in option);
      const sent = selected.length > 0 || 'multiple' in attributes ? selected : options.slice(0, 1);
      fields.push({ ...common, kind: 'select', values: sent.map((option) => option.value ?? ''), options: options.map((option) => option.value ?? '') });
    } else if (type === 'submit') {
      // Only the button pressed is sent: the first one of each name stands for it.
      if (!fields.some((field) => field.name === name && field.kind === 'button'))
        fields.push({ ...common, kind: 'button', values: [attributes.value ?? ''], options: [] });
    } else if (type === 'checkbox' || type === 'radio') {
      const value = attributes.value ?? 'on';
      let group = fields.find((field) => field.name === name && field.kind === type);
      if (!group) {
        group = { ...common, kind: type, values: [], options: [] };
        fields.push(group);
      }
      group.options.push(value);
      if ('checked' in attributes) group.values = type === 'radio' ? [value] : [...group.values, value];
      group.invalid ||= common.invalid;
    } else if (type !== 'reset' && type !== 'image') {
      fields.push({
        ...common,
        kind: (type === 'password' ? 'text' : type) as FieldKind,
        values: [attributes.value ?? ''],
        options: [],
        accept: attributes.accept,
      });
    }
  }
  return fields;
}

/** Every form of a page, with the fields that belong to it (inside it, or outside with form="its id"). */
export function formsIn(html: string, pagePath: string): Form[] {
  const forms: Form[] = [];
  for (const match of html.matchAll(/(<form\s[^>]*>)([\s\S]*?)<\/form>/gi)) {
    const attributes = attributesOf(match[1]!);
    let fields = fieldsOf(match[2]!);
    if (attributes.id) {
      const outside = html.replace(/<form\s[^>]*>[\s\S]*?<\/form>/gi, '');
      const owner = `[^>]*\\bform="${attributes.id}"[^>]*>`;
      const owned = [
        ...outside.matchAll(new RegExp(`<(?:input|button)\\s${owner}|<select\\s${owner}[\\s\\S]*?</select>|<textarea\\s${owner}[\\s\\S]*?</textarea>`, 'gi')),
      ];
      fields = [...fields, ...fieldsOf(owned.map((owner) => owner[0]).join('\n'))];
    }
    forms.push({
      action: attributes.action || pagePath,
      method: (attributes.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
      multipart: (attributes.enctype ?? '').toLowerCase() === 'multipart/form-data',
      fields,
    });
  }
  return forms;
}

/** The form with this action on a page sent back after a post, if the page shows it again. */
export function formAgain(html: string, pagePath: string, action: string): Form | undefined {
  return formsIn(html, pagePath).find((candidate) => candidate.action === action && candidate.method === 'post');
}

/** The fields a page sent back with errors marks invalid, or links from its error summary. */
export function invalidFields(html: string, pagePath: string, action: string): Set<string> {
  const invalid = new Set((formAgain(html, pagePath, action)?.fields ?? []).filter((field) => field.invalid).map((field) => field.name));
  for (const match of html.matchAll(/<a href="#field-([^"]+)"/g)) invalid.add(decodeEntities(match[1]!));
  return invalid;
}
