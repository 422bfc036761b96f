import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** The demo offers reach the demo students as their publication says. */
describe('demo offers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const titlesFor = async (login: string) => {
    const page = await (await app.signIn(login)).get('/offers').expect(200);
    return ['application mobile', 'données océanographiques', 'accueil du public', 'Alternance développeur', 'assistant juridique'].filter((title) =>
      page.text.includes(title),
    );
  };

  it('shows each student the running offers of their centres and of the institution', async () => {
    expect(await titlesFor('etu.droit1')).toEqual(['application mobile', 'données océanographiques', 'accueil du public']);
    expect(await titlesFor('etu.sciences1')).toEqual(['application mobile', 'données océanographiques', 'accueil du public']);
    expect(await titlesFor('etu.lettres1')).toEqual(['application mobile', 'accueil du public']);
  });

  it('shows staff the saved and filled offers of their centre by state', async () => {
    const staff = await app.signIn('gest.sciences');
    expect((await staff.get('/offers?state=saved').expect(200)).text).toContain('Alternance développeur back-end');
    const droit = await app.signIn('gest.droit');
    expect((await droit.get('/offers?state=filled').expect(200)).text).toContain('Stage assistant juridique');
  });
});
