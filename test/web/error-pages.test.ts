import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('error pages', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('answers an unexpected failure with a French 500 page giving a reference, never a stack trace', async () => {
    const agent = await testApp.signIn('etu.sciences1');
    // A fault the code cannot expect: a table it reads has gone.
    await testApp.knex.raw('ALTER TABLE study_step RENAME TO study_step_gone');
    try {
      const page = await agent.get('/').expect(500);
      expect(page.text).toContain('Erreur interne');
      expect(page.text).toMatch(/Référence de l’incident : [\w-]{8,}/);
      expect(page.text).not.toMatch(/study_step|at .*\.ts:\d+/);
    } finally {
      await testApp.knex.raw('ALTER TABLE study_step_gone RENAME TO study_step');
    }
  });

  it('answers 403 in French to a signed-in person without the right', async () => {
    const agent = await testApp.signIn('etu.sciences1');
    const page = await agent.get('/centres').expect(403);
    expect(page.text).toContain('Accès refusé');
    expect(page.text).toContain('Vous n’avez pas les droits nécessaires');
  });
});
