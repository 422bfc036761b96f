import type { FakeCas } from '../../test/support/fake-cas.ts';

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');

/** Signs in as a demo account through the demo page, as a browser does, and returns its cookie. */
export async function signIn(baseUrl: string, login: string): Promise<string> {
  const page = await fetch(`${baseUrl}/auth/login`);
  const cookie = cookieOf(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const signedIn = await fetch(`${baseUrl}/auth/demo`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, login }),
    redirect: 'manual',
  });
  if (signedIn.status !== 302) throw new Error(`sign-in of ${login} failed: ${signedIn.status}`);
  return cookieOf(signedIn);
}

/**
 * Signs in through the application's real CAS code against a CAS server of the script, which lets any
 * login of the directory in (the benchmark's 50,000 students are not demo accounts). Returns the cookie.
 */
export async function signInWithCas(baseUrl: string, cas: FakeCas, login: string): Promise<string> {
  const toCas = await fetch(`${baseUrl}/auth/login`, { redirect: 'manual' });
  const service = new URL(toCas.headers.get('location')!).searchParams.get('service');
  if (toCas.status !== 302 || !service) throw new Error(`sign-in of ${login}: no redirection to the CAS (${toCas.status})`);
  const back = await fetch(`${baseUrl}/auth/login?ticket=${cas.issueTicket(login, service)}`, { redirect: 'manual' });
  if (back.status !== 302) throw new Error(`sign-in of ${login} failed: ${back.status}`);
  return cookieOf(back);
}
