import { describe, expect, it } from 'vitest';
import { loadEnv } from './config';

const SECRETS = { SESSION_SECRET: 's'.repeat(32), ADMIN_TOKEN: 't'.repeat(32), ADMIN_PASSWORD: 'p'.repeat(32) };

describe('loadEnv', () => {
  it('treats an empty variable as unset', () => {
    const env = loadEnv({ APP_ORIGIN: '', WORKER_WAIT_REPLICAS: '', REDIS_PREFIX: '' });
    expect(env.APP_ORIGIN).toBeUndefined();
    expect(env.WORKER_WAIT_REPLICAS).toBeUndefined(); // not 0: the topology's default applies
    expect(env.REDIS_PREFIX).toBe('fg');
    expect(() => loadEnv({ APP_ORIGIN: 'not a url' })).toThrow(/APP_ORIGIN/);
  });

  it('requires strong secrets to run in production, names each missing one, and needs none to build', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: SESSION_SECRET is required in production[\s\S]*ADMIN_TOKEN[\s\S]*ADMIN_PASSWORD/);
    expect(() => loadEnv({ NODE_ENV: 'production', ...SECRETS, ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD must be at least 32/);
    expect(loadEnv({ NODE_ENV: 'production', ...SECRETS }).SESSION_SECRET).toBe(SECRETS.SESSION_SECRET);
    expect(() => loadEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).not.toThrow();
    expect(() => loadEnv({ NODE_ENV: 'production', SESSION_SECRET: '', ADMIN_TOKEN: '', ADMIN_PASSWORD: '' })).toThrow(/SESSION_SECRET/);
  });
});
