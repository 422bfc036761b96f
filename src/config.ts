import { z } from 'zod';

/**
 * Every setting of Conventio comes from the environment and is checked here, once, at start-up,
 * so that a typo stops the start with the name of the variable instead of failing later.
 */
const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

const switchOverDate = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'attendu au format MM-JJ, par exemple 09-01')
  .refine((value) => {
    const [month, day] = value.split('-').map(Number) as [number, number];
    return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2001, month, 0)).getUTCDate();
  }, 'date inexistante');

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
    EMBEDDED_PG_DIR: z.string().min(1).default('data/postgres'),
    SESSION_SECRET: z.string().min(32, 'au moins 32 caractères').optional(),
    AUTH_MODE: z.enum(['cas', 'demo']).default('demo'),
    CAS_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    CAS_VERSION: z.enum(['2.0', '3.0']).default('3.0'),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    TRUST_PROXY: booleanFromEnv.default(false),
    ADMIN_LOGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((login) => login.trim())
          .filter((login) => login.length > 0),
      ),
    ACADEMIC_YEAR_SWITCH_OVER: switchOverDate.default('09-01'),
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
    SMTP_SECURE: booleanFromEnv.default(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    MAIL_FROM: z.string().default('Conventio <conventio@localhost>'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    METRICS_TOKEN: z.string().min(32, 'au moins 32 caractères').optional(),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      context.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'obligatoire en production' });
    }
    if (env.NODE_ENV === 'production' && env.AUTH_MODE === 'demo') {
      context.addIssue({
        code: 'custom',
        path: ['AUTH_MODE'],
        message: 'la connexion de démonstration est interdite en production (NODE_ENV=production) : utilisez AUTH_MODE=cas',
      });
    }
    if (env.AUTH_MODE === 'cas' && !env.CAS_BASE_URL) {
      context.addIssue({ code: 'custom', path: ['CAS_BASE_URL'], message: 'obligatoire quand AUTH_MODE=cas' });
    }
    // Conventio never terminates TLS itself: an https address means a proxy in front, which must be trusted
    // for the secure session cookie to be sent at all.
    if (env.PUBLIC_BASE_URL?.startsWith('https:') && !env.TRUST_PROXY) {
      context.addIssue({
        code: 'custom',
        path: ['TRUST_PROXY'],
        message: 'doit valoir true quand PUBLIC_BASE_URL est en https (Conventio est alors derrière un proxy TLS)',
      });
    }
    if (env.NODE_ENV === 'production') {
      for (const name of ['CAS_BASE_URL', 'PUBLIC_BASE_URL'] as const) {
        if (env[name] && !env[name].startsWith('https:'))
          context.addIssue({ code: 'custom', path: [name], message: 'doit commencer par https:// en production' });
      }
    }
    if (env.AUTH_MODE === 'cas' && !env.PUBLIC_BASE_URL) {
      context.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'obligatoire quand AUTH_MODE=cas (adresse de retour du CAS)' });
    }
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string | undefined;
  embeddedPostgres: { port: number; directory: string };
  sessionSecret: string | undefined;
  auth: { mode: 'cas' | 'demo'; casBaseUrl: string | undefined; casVersion: '2.0' | '3.0' };
  publicBaseUrl: string | undefined;
  trustProxy: boolean;
  adminLogins: string[];
  academicYearSwitchOver: { month: number; day: number };
  smtp: { host: string | undefined; port: number; secure: boolean; user: string | undefined; password: string | undefined; from: string };
  logLevel: string;
  /** Bearer token that opens /metrics; without it, /metrics does not exist. */
  metricsToken: string | undefined;
}

export class ConfigError extends Error {}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} : ${issue.message}`);
    throw new ConfigError(`Configuration invalide — ${problems.join(' ; ')}`);
  }
  const env = parsed.data;
  const [month, day] = env.ACADEMIC_YEAR_SWITCH_OVER.split('-').map(Number) as [number, number];
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    embeddedPostgres: { port: env.EMBEDDED_PG_PORT, directory: env.EMBEDDED_PG_DIR },
    sessionSecret: env.SESSION_SECRET,
    auth: { mode: env.AUTH_MODE, casBaseUrl: env.CAS_BASE_URL?.replace(/\/+$/, ''), casVersion: env.CAS_VERSION },
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    trustProxy: env.TRUST_PROXY,
    // The demo data's super-admin is `admin`; a real installation names its own.
    adminLogins: env.ADMIN_LOGINS.length > 0 || env.AUTH_MODE === 'cas' ? env.ADMIN_LOGINS : ['admin'],
    academicYearSwitchOver: { month, day },
    smtp: {
      host: env.SMTP_HOST,
      port: env.SMTP_PORT,
      secure: env.SMTP_SECURE,
      user: env.SMTP_USER,
      password: env.SMTP_PASSWORD,
      from: env.MAIL_FROM,
    },
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
  };
}
