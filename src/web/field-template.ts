import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

/**
 * `renderField({ name, label, ... })` in the templates: the labelled form field of
 * views/partials/field.ejs (its parameters are listed there), compiled once. Pages render dozens of
 * fields (the convention search, 40), and an EJS include of each would look the partial up on disk and
 * copy every local of the page first (a twentieth of the application's time on the search's page). The
 * field sees only what it is given.
 */
export function fieldRenderer(viewsDirectory: string): (data: Record<string, unknown>) => string {
  const filename = path.join(viewsDirectory, 'partials', 'field.ejs');
  return ejs.compile(readFileSync(filename, 'utf8'), { filename });
}
