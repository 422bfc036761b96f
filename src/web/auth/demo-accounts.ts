/** The demo sign-in page lists these accounts; the demo data creates them. */
export const DEMO_ACCOUNTS = [
  { login: 'admin', roleKey: 'superAdmin' },
  { login: 'resp.sciences', roleKey: 'adminSciences' },
  { login: 'gest.sciences', roleKey: 'writeSciences' },
  { login: 'lect.sciences', roleKey: 'readSciences' },
  { login: 'gest.droit', roleKey: 'writeDroit' },
  { login: 'prof.martin', roleKey: 'teacherSciences' },
  { login: 'prof.durand', roleKey: 'teacherDroit' },
  { login: 'etu.sciences1', roleKey: 'studentSciences' },
  { login: 'etu.sciences2', roleKey: 'studentSciences' },
  { login: 'etu.droit1', roleKey: 'studentDroit' },
] as const;

export const DEMO_LOGINS: ReadonlySet<string> = new Set(DEMO_ACCOUNTS.map((account) => account.login));
