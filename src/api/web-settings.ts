import { isIP } from 'node:net';
import { z } from 'zod';
import { wholeNumber } from '../infra/whole-number.ts';
import type { ApiKey } from './api-keys.ts';
import { type ScryptHash, parsePasswordHash } from './password-hash.ts';
import { type Role, ROLES, isRole } from './roles.ts';

export interface WebUser {
  role: Role;
  name: string;
  password: ScryptHash;
}

const ROLE_LIST = ROLES.join(', ');
const entries = (value: string) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');

/** Never echoes a value: an entry is named by its position, since it holds a secret. */
export function parseApiKeys(value: string, context: z.RefinementCtx): ApiKey[] {
  const keys: ApiKey[] = [];
  entries(value).forEach((entry, index) => {
    const [role = '', ...rest] = entry.split(':');
    const key = rest.join(':');
    const problem = !isRole(role)
      ? `expected role:key with a role of ${ROLE_LIST}`
      : key.length < 16 || !/^[\x21-\x7e]+$/.test(key)
        ? 'expected a key of at least 16 printable characters (e.g. openssl rand -hex 24)'
        : keys.some((known) => known.key === key)
          ? 'the same key is listed twice'
          : undefined;
    if (problem) context.addIssue({ code: 'custom', message: `entry ${index + 1}: ${problem}` });
    else keys.push({ role: role as Role, key });
  });
  return keys;
}

export function parseWebUsers(value: string, context: z.RefinementCtx): WebUser[] {
  const users: WebUser[] = [];
  entries(value).forEach((entry, index) => {
    const [role = '', name = '', ...rest] = entry.split(':');
    const password = parsePasswordHash(rest.join(':'));
    const problem = !isRole(role)
      ? `expected role:name:password-hash with a role of ${ROLE_LIST}`
      : !/^[a-z0-9._-]{1,64}$/.test(name)
        ? 'expected a name of 1 to 64 lower-case letters, digits, ., _ or -'
        : !password
          ? 'expected a password hash made by parcelbot hash-password'
          : users.some((known) => known.name === name)
            ? `user ${name} is listed twice`
            : undefined;
    if (problem || !password) context.addIssue({ code: 'custom', message: `entry ${index + 1}: ${problem}` });
    else users.push({ role: role as Role, name, password });
  });
  return users;
}

/**
 * Who stands in front of the server: `false` (nobody), a number of proxy hops (`true` is one),
 * or the proxies' addresses. Only what the trusted proxies wrote is believed: the client's
 * address is the one the outermost trusted proxy saw, never an entry the client could forge.
 */
export type TrustProxy = false | number | string[];

// No real chain of proxies is that long: a bigger number is more likely a typo than a setup.
const MAX_PROXY_HOPS = 20;
const TRUST_PROXY_FORMS = `expected false, true (one reverse proxy in front), a number of proxies in front from 1 to ${MAX_PROXY_HOPS}, or the proxies' addresses or CIDRs such as 10.0.0.5,10.1.0.0/16`;

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

export function parseTrustProxy(value: string, context: z.RefinementCtx): TrustProxy {
  const setting = value.trim();
  if (setting === 'false') return false;
  if (setting === 'true') return 1;
  const hops = /^\d+$/.test(setting) ? Number(setting) : undefined;
  if (hops !== undefined && hops >= 1 && hops <= MAX_PROXY_HOPS) return hops;
  const proxies = entries(setting);
  if (proxies.length > 0 && proxies.every(isAddressOrCidr)) return proxies;
  context.addIssue({ code: 'custom', message: TRUST_PROXY_FORMS });
  return false;
}

const RATE = /^(\d+)\/(\d*)(ms|s|m|h)$|^off$/;
const rate = (fallback: string) => z.string().trim().regex(RATE, 'expected requests per period such as 600/1m or 10/1s, or off').default(fallback);

/** The web app's and API's settings (`parcelbot serve`), read with the core settings in src/config.ts. */
export const webSettingsShape = {
  PORT: wholeNumber(0, 65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PARCELBOT_API_KEYS: z.string().transform(parseApiKeys).optional(),
  PARCELBOT_WEB_USERS: z.string().transform(parseWebUsers).optional(),
  PARCELBOT_SESSION_SECRET: z.string().min(32, 'expected at least 32 characters (e.g. openssl rand -base64 48)').optional(),
  PARCELBOT_SESSION_HOURS: wholeNumber(1, 720, ' (hours)').default(12),
  /** Behind reverse proxies that set X-Forwarded-For/-Proto: client addresses and HTTPS are read from them (parseTrustProxy). */
  PARCELBOT_TRUST_PROXY: z.string().default('false').transform(parseTrustProxy),
  PARCELBOT_METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  API_RATE_LIMIT: rate('600/1m'),
  LOGIN_RATE_LIMIT: rate('10/1m'),
  API_BODY_LIMIT: wholeNumber(1024, 100 * 1024 * 1024, ' (bytes)').default(1024 * 1024),
  API_IMPORT_BODY_LIMIT: wholeNumber(1024, 1024 * 1024 * 1024, ' (bytes)').default(20 * 1024 * 1024),
};
