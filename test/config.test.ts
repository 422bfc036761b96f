import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../src/config.ts';

describe('configuration from the environment', () => {
  it('runs out of the box in demo mode on port 3000 with 1 September as switch-over', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.auth.mode).toBe('demo');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.academicYearSwitchOver).toEqual({ month: 9, day: 1 });
    expect(config.adminLogins).toEqual(['admin']);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://conventio:secret@db:5432/conventio',
      SESSION_SECRET: 'x'.repeat(40),
      AUTH_MODE: 'cas',
      CAS_BASE_URL: 'https://cas.univ.fr/cas/',
      CAS_VERSION: '2.0',
      PUBLIC_BASE_URL: 'https://stages.univ.fr',
      ADMIN_LOGINS: ' dupont , martin ',
      ACADEMIC_YEAR_SWITCH_OVER: '08-15',
      SMTP_HOST: 'smtp.univ.fr',
      SMTP_PORT: '587',
      TRUST_PROXY: 'true',
    });
    expect(config.port).toBe(8080);
    expect(config.auth).toEqual({ mode: 'cas', casBaseUrl: 'https://cas.univ.fr/cas', casVersion: '2.0' });
    expect(config.adminLogins).toEqual(['dupont', 'martin']);
    expect(config.academicYearSwitchOver).toEqual({ month: 8, day: 15 });
    expect(config.smtp.port).toBe(587);
    expect(config.trustProxy).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ AUTH_MODE: 'ldap' }, 'AUTH_MODE'],
    [{ AUTH_MODE: 'cas', PUBLIC_BASE_URL: 'https://stages.univ.fr' }, 'CAS_BASE_URL'],
    [{ CAS_VERSION: '1.0' }, 'CAS_VERSION'],
    [{ ACADEMIC_YEAR_SWITCH_OVER: '02-30' }, 'ACADEMIC_YEAR_SWITCH_OVER'],
    [{ NODE_ENV: 'production', AUTH_MODE: 'cas', CAS_BASE_URL: 'https://cas.univ.fr', PUBLIC_BASE_URL: 'https://s.univ.fr' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 'y'.repeat(40) }, 'AUTH_MODE'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ PUBLIC_BASE_URL: 'https://stages.univ.fr' }, 'TRUST_PROXY'],
    [
      {
        NODE_ENV: 'production',
        SESSION_SECRET: 'y'.repeat(40),
        AUTH_MODE: 'cas',
        CAS_BASE_URL: 'http://cas.univ.fr',
        PUBLIC_BASE_URL: 'https://s.univ.fr',
        TRUST_PROXY: 'true',
      },
      'CAS_BASE_URL',
    ],
  ])('refuses %o, naming %s', (environment, variable) => {
    expect(() => loadConfig(environment)).toThrow(ConfigError);
    expect(() => loadConfig(environment)).toThrow(new RegExp(`${variable} :`));
  });
});
