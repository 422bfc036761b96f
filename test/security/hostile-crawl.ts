import type TestAgent from 'supertest/lib/agent.js';
import { formsIn, linksIn, type Form } from './hostile-html.ts';

/** A page as an actor sees it. */
export interface Page {
  path: string;
  status: number;
  html: string;
}

/** A form found on a page, with the page to open again for fresh hidden values (CSRF token, version). */
export interface FoundForm extends Form {
  page: string;
}

/** Files, images and the sign-out are not pages to crawl. */
const NOT_A_PAGE = /^\/(?:static\/|auth\/|favicon)|\.(?:pdf|xlsx|csv|png|jpe?g|svg|ico)(?:\?|$)|\/(?:file|logo)(?:\?|$)/;

/**
 * Addresses that differ only by identifiers or query values are the same page type: a few of each
 * are enough (records in different states show different forms) and keep the crawl short.
 */
export function pageType(path: string): string {
  const [pathname, query = ''] = path.split('?') as [string, string?];
  const keys = [...new URLSearchParams(query).keys()].sort().join('&');
  return `${pathname.replace(/\/[A-Za-z0-9_-]{43}(?=\/|$)/g, '/:secret').replace(/\/\d+(?=\/|$)/g, '/:n')}?${keys}`;
}

/** Breadth-first visit of the pages reachable by links from the start pages, as the actor sees them. */
export async function crawl(agent: TestAgent, starts: string[], { maxPages = 150, perType = 3 } = {}): Promise<Page[]> {
  const pages: Page[] = [];
  const seen = new Set<string>();
  const perTypeCount = new Map<string, number>();
  const queue = [...starts];
  while (queue.length > 0 && pages.length < maxPages) {
    const path = queue.shift()!;
    if (seen.has(path) || NOT_A_PAGE.test(path)) continue;
    seen.add(path);
    const type = pageType(path);
    if ((perTypeCount.get(type) ?? 0) >= perType) continue;
    perTypeCount.set(type, (perTypeCount.get(type) ?? 0) + 1);
    const response = await agent.get(path);
    const html = /text\/html/.test(String(response.headers['content-type'])) ? response.text : '';
    pages.push({ path, status: response.status, html });
    if (response.status === 200) queue.push(...linksIn(html).filter((link) => !seen.has(link)));
  }
  return pages;
}

/** The forms of the pages, once each (the same form on two pages, as the menu's sign-out, counts once). */
export function formsOf(pages: Page[]): FoundForm[] {
  const forms = new Map<string, FoundForm>();
  for (const page of pages) {
    for (const form of formsIn(page.html, page.path)) {
      const key = `${form.method} ${form.action} ${form.fields
        .map((field) => field.name)
        .sort()
        .join(',')}`;
      if (!forms.has(key)) forms.set(key, { ...form, page: page.path });
    }
  }
  return [...forms.values()];
}
