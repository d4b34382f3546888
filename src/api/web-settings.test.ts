import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

const robots = (await RobotRegistry.load()).all();
const hash = await hashPassword('correct horse battery staple');

describe('web app settings', () => {
  it('has documented defaults: listen on 127.0.0.1:8080, nobody may sign in', () => {
    const { core } = loadConfig({}, robots);
    expect(core).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', API_RATE_LIMIT: '600/1m', LOGIN_RATE_LIMIT: '10/1m', PARCELBOT_SESSION_HOURS: 12, PARCELBOT_TRUST_PROXY: false, API_BODY_LIMIT: 1_048_576 });
    expect(core.PARCELBOT_API_KEYS).toBeUndefined();
    expect(core.PARCELBOT_WEB_USERS).toBeUndefined();
  });

  it('reads API keys and web users', () => {
    const { core } = loadConfig({ PARCELBOT_API_KEYS: 'agent:a1b2c3d4e5f6a7b8c9, admin:Zx9-Yw8_Vu7.Ts6~Rq5', PARCELBOT_WEB_USERS: `manager:marc:${hash}` }, robots);
    expect(core.PARCELBOT_API_KEYS).toEqual([
      { role: 'agent', key: 'a1b2c3d4e5f6a7b8c9' },
      { role: 'admin', key: 'Zx9-Yw8_Vu7.Ts6~Rq5' },
    ]);
    expect(core.PARCELBOT_WEB_USERS).toMatchObject([{ role: 'manager', name: 'marc' }]);
  });

  it.each([
    { value: 'false', trusted: false },
    { value: 'true', trusted: 1 },
    { value: '2', trusted: 2 },
    { value: ' 10.0.0.5, 10.1.0.0/16,2001:db8::/32 ', trusted: ['10.0.0.5', '10.1.0.0/16', '2001:db8::/32'] },
  ])('reads PARCELBOT_TRUST_PROXY=$value as the proxies in front: $trusted', ({ value, trusted }) => {
    expect(loadConfig({ PARCELBOT_TRUST_PROXY: value }, robots).core.PARCELBOT_TRUST_PROXY).toEqual(trusted);
  });

  it.each([
    { env: { PARCELBOT_API_KEYS: 'boss:a1b2c3d4e5f6a7b8c9' }, says: /^PARCELBOT_API_KEYS: entry 1: expected role:key with a role of agent, manager, admin$/ },
    { env: { PARCELBOT_API_KEYS: 'agent:a1b2c3d4e5f6a7b8c9,agent:short' }, says: /^PARCELBOT_API_KEYS: entry 2: expected a key of at least 16 printable characters/ },
    { env: { PARCELBOT_API_KEYS: 'agent:a1b2c3d4e5f6a7b8c9,admin:a1b2c3d4e5f6a7b8c9' }, says: /^PARCELBOT_API_KEYS: entry 2: the same key is listed twice$/ },
    { env: { PARCELBOT_WEB_USERS: 'agent:alice:plaintext-password' }, says: /^PARCELBOT_WEB_USERS: entry 1: expected a password hash made by parcelbot hash-password$/ },
    { env: { PARCELBOT_WEB_USERS: `agent:Alice Smith:${hash}` }, says: /^PARCELBOT_WEB_USERS: entry 1: expected a name of 1 to 64 lower-case letters/ },
    { env: { PARCELBOT_WEB_USERS: `agent:alice:${hash},admin:alice:${hash}` }, says: /^PARCELBOT_WEB_USERS: entry 2: user alice is listed twice$/ },
    { env: { PARCELBOT_SESSION_SECRET: 'too-short' }, says: /^PARCELBOT_SESSION_SECRET: expected at least 32 characters/ },
    { env: { PORT: 'eighty' }, says: /^PORT: expected a whole number from 0 to 65535$/ },
    { env: { API_RATE_LIMIT: 'lots' }, says: /^API_RATE_LIMIT: expected requests per period such as 600\/1m/ },
    ...['yes', '0', '21', '10.0.0.5,proxy.internal', '10.0.0.0/33', '2001:db8::/129', '1,2'].map((value) => ({
      env: { PARCELBOT_TRUST_PROXY: value },
      says: /^PARCELBOT_TRUST_PROXY: expected false, true \(one reverse proxy in front\), a number of proxies in front from 1 to 20, or the proxies' addresses or CIDRs such as 10\.0\.0\.5,10\.1\.0\.0\/16$/,
    })),
  ])('stops with one line for $env', ({ env, says }) => {
    expect(() => loadConfig(env, robots)).toThrow(ConfigError);
    expect(() => loadConfig(env, robots)).toThrow(says);
  });

  it('never echoes a key or a password hash back', () => {
    for (const env of [{ PARCELBOT_API_KEYS: 'agent:a1b2c3d4e5f6a7b8c9,chef:SECRET-0123456789abcdef' }, { PARCELBOT_WEB_USERS: `chef:marc:${hash}` }]) {
      const message = (() => {
        try {
          loadConfig(env, robots);
          return '';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(message).toMatch(/^PARCELBOT_(API_KEYS|WEB_USERS): entry \d/);
      expect(message).not.toMatch(/SECRET|scrypt|a1b2c3/);
    }
  });
});

describe('password hashes', () => {
  it('verify the password they were made from and nothing else', async () => {
    const { PARCELBOT_WEB_USERS: [user] = [] } = loadConfig({ PARCELBOT_WEB_USERS: `agent:alice:${hash}` }, robots).core;
    expect(user).toBeDefined();
    if (!user) return;
    expect(await verifyPassword('correct horse battery staple', user.password)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', user.password)).toBe(false);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });
});
