import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to the embedded, one-machine setup', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ HOST: '127.0.0.1', PORT: 3000 });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the bad variable in a one-line error', () => {
    const cases: [Record<string, string>, string][] = [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
      [{ MIXGATE_MASTER_KEY: 'too-short' }, 'MIXGATE_MASTER_KEY'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
      [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
      [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    ];
    for (const [env, name] of cases) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(new RegExp(`^Invalid configuration: ${name}[=:]`));
      expect((error as Error).message).not.toContain('\n');
      // Keys and URLs (which may carry passwords) are named, never echoed.
      if (/KEY|_URL$/.test(name)) expect((error as Error).message).not.toContain(env[name]!);
      else expect((error as Error).message).toContain(`${name}=`);
    }
  });

  it('treats an empty variable as unset and strips a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({ PORT: '', PUBLIC_URL: 'https://ai.example.com/' });
    expect(config.PORT).toBe(3000);
    expect(config.publicUrl).toBe('https://ai.example.com');
  });
});
