import { describe, expect, it } from 'vitest';
import type { FoundForm } from './hostile-crawl.ts';
import { inspect } from './hostile-fuzz.ts';
import { formsIn, invalidFields } from './hostile-html.ts';
import { FAMILIES, NUL, SCRIPT } from './hostile-payloads.ts';

/** The hostile-input tests find what they look for: their extraction of forms and their checks of answers. */

const page = `
<form method="post" action="/things/7" novalidate>
  <input type="hidden" name="_csrf" value="token">
  <input type="text" id="field-name" name="name" value="Caf&#233; &amp; &lt;b&gt;" aria-invalid="true">
  <textarea name="notes" rows="3">
ligne &#34;un&#34;</textarea>
  <select name="kind"><option value="">Choisir</option><option value="a" selected>A</option></select>
  <input type="checkbox" name="days" value="mon" checked><input type="checkbox" name="days" value="tue"><input type="checkbox" name="days" value="wed" checked>
  <input type="text" name="website" value="" tabindex="-1">
  <button type="submit" name="go" value="save">Enregistrer</button><button type="submit" name="go" value="other">Autre</button>
</form>
<select name="right" form="member-1"><option value="READ">Lecture</option><option value="WRITE" selected>Écriture</option></select>
<form id="member-1" method="post" action="/members/1"><input type="hidden" name="_csrf" value="token"></form>
<a href="#field-notes">Notes : trop long</a>`;

const form: FoundForm = { ...formsIn(page, '/things/7/edit')[0]!, page: '/things/7/edit' };
const family = (name: string) => FAMILIES.find((candidate) => candidate.name === name)!;
const errorPage = (status: number, body: string) => ({ status, html: `<!doctype html><html lang="fr"><body>${body}</body></html>` });

describe('the extraction of forms', () => {
  it('reads fields as a browser would send them, and those outside the form that belong to it', () => {
    expect(form.fields.map((field) => [field.name, field.kind, field.values, field.notForPeople])).toEqual([
      ['_csrf', 'hidden', ['token'], false],
      ['name', 'text', ['Café & <b>'], false],
      ['notes', 'textarea', ['ligne "un"'], false],
      ['kind', 'select', ['a'], false],
      ['days', 'checkbox', ['mon', 'wed'], false],
      ['website', 'text', [''], true],
      ['go', 'button', ['save'], false],
    ]);
    expect(
      formsIn(page, '/')
        .find((candidate) => candidate.action === '/members/1')!
        .fields.map((field) => `${field.name}=${field.values.join()}`),
    ).toEqual(['_csrf=token', 'right=WRITE']);
  });

  it('knows the fields a page sent back marks invalid', () => {
    expect([...invalidFields(page, '/things/7/edit', '/things/7')].sort()).toEqual(['name', 'notes']);
  });
});

describe('the checks of an answer', () => {
  const sent = new Map([['name', SCRIPT]]);

  it('accept a refusal with its message and the input kept, escaped', () => {
    const again = page.replace('value="Caf&#233; &amp; &lt;b&gt;"', 'value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(inspect(errorPage(422, `<p class="field__error">Trop long.</p>${again}`), form, sent, family('HTML'))).toEqual([]);
  });

  it('find a 5xx, markup left as markup, a refusal without message, an untranslated key and input lost', () => {
    expect(inspect(errorPage(500, '<h1>Erreur interne</h1>'), form, sent, family('HTML'))).toEqual(['answered 500']);
    expect(inspect(errorPage(200, `<p>${SCRIPT}</p>`), form, sent, family('HTML'))).toEqual(['<script>alert(1)</script> in the page, unescaped']);
    expect(inspect(errorPage(422, '<p>Non.</p>'), form, sent, family('HTML'))).toEqual(['422 without a message']);
    expect(inspect(errorPage(422, '<p class="field__error">hosts.validation.name</p>'), form, sent, family('HTML'))).toEqual([
      'message not translated: >hosts.validation.name<',
    ]);
    expect(inspect(errorPage(422, `<p class="field__error">Non.</p>${page}`), form, sent, family('HTML'))).toEqual(['name not kept ("Café & <b>")']);
  });

  it('take a number shown back in its usual writing for the number typed', () => {
    const again = page.replace('value="Caf&#233; &amp; &lt;b&gt;"', 'value="1"');
    expect(inspect(errorPage(422, `<p class="field__error">Non.</p>${again}`), form, new Map([['name', '+1']]), family('formula'))).toEqual([]);
    expect(inspect(errorPage(422, `<p class="field__error">Non.</p>${again}`), form, new Map([['name', '-1+2']]), family('formula'))).toEqual([
      'name not kept ("1")',
    ]);
  });

  it('find an answer in another language than French', () => {
    expect(inspect({ status: 422, html: '<html lang="en"><p class="field__error">No.</p></html>' }, form, new Map(), family('empty'))).toEqual([
      '422 not in French',
    ]);
  });

  it('find NUL bytes and over-long text accepted', () => {
    expect(inspect({ status: 303, html: '' }, form, new Map([['name', NUL]]), family('NUL byte'))).toEqual(['accepted (303)']);
    expect(inspect({ status: 303, html: '' }, form, new Map([['kind', NUL]]), family('NUL byte'))).toEqual([]);
  });
});
