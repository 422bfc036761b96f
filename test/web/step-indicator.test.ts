import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';

const template = fileURLToPath(new URL('../../views/partials/step-indicator.ejs', import.meta.url));

describe('step indicator', () => {
  const steps = [
    { label: 'Étudiant', href: '/etape/1', complete: true },
    { label: 'Accueil', href: '/etape/2', complete: false },
    { label: 'Stage', href: null, complete: false },
  ];

  it('marks the current step for assistive technologies and links the others', async () => {
    const html = await ejs.renderFile(template, { steps, currentIndex: 1, t: translator('fr') });
    expect(html).toContain('<nav class="steps" aria-label="Étapes">');
    expect(html).toMatch(/<span aria-current="step"><span class="steps__number">2<\/span> Accueil<\/span>/);
    expect(html).toContain('<a href="/etape/1"><span class="steps__number">1</span> Étudiant</a>');
    expect(html).toContain('(étape terminée)');
    expect(html).toContain('(étape à faire)');
    expect(html).not.toContain('href="/etape/2"');
  });

  it('escapes labels', async () => {
    const html = await ejs.renderFile(template, { steps: [{ label: '<b>x</b>', href: null, complete: false }], currentIndex: 0, t: translator('fr') });
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
