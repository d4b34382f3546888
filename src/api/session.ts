import { randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Clock } from '../infra/clock.ts';
import type { Actor } from './access.ts';
import { parsePasswordHash, verifyPassword } from './password-hash.ts';
import { type Role, isRole } from './roles.ts';
import type { WebUser } from './web-settings.ts';

export const SESSION_COOKIE = 'pb_session';

// Checked when the name is unknown, so an unknown name costs the same time as a wrong password.
const DECOY = parsePasswordHash(`scrypt$16384$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`);

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

/** What a session cookie holds, once its signature is checked. */
interface SessionCookie {
  id: string;
  name: string;
  role: Role;
  expires: number;
}

export interface SessionsOptions {
  users: readonly WebUser[];
  ttlMs: number;
  clock: Clock;
  /** Where ended sessions are remembered, shared by every server of the installation. */
  redis: Redis;
  /** PARCELBOT_QUEUE_PREFIX: keeps the installation's keys apart from another's in the same Redis. */
  prefix: string;
}

/**
 * Web sessions are signed cookies (HMAC by @fastify/cookie with the session secret), httpOnly,
 * SameSite=Strict, Secure over HTTPS, holding `id|name|role|expiry`. A session is honoured only
 * while it is unexpired, its user is still configured with the same role, and it was not signed
 * out: sign-out records the random id as ended in Redis until the session would have expired,
 * so a copy of the cookie is refused too. That check is the one Redis call of a web request.
 */
export class Sessions {
  constructor(private readonly options: SessionsOptions) {}

  async signIn(name: string, password: string): Promise<WebUser | undefined> {
    const user = this.options.users.find((candidate) => candidate.name === name);
    const stored = user?.password ?? DECOY;
    const matches = stored ? await verifyPassword(password, stored) : false;
    return matches ? user : undefined;
  }

  issue(reply: FastifyReply, user: WebUser): void {
    const id = randomBytes(16).toString('base64url');
    const expires = this.options.clock.now().getTime() + this.options.ttlMs;
    reply.setCookie(SESSION_COOKIE, `${id}|${user.name}|${user.role}|${expires}`, {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      // Secure when the request came over HTTPS (behind a proxy: with PARCELBOT_TRUST_PROXY).
      secure: 'auto',
      path: '/',
      maxAge: Math.floor(this.options.ttlMs / 1000),
    });
  }

  async read(request: FastifyRequest): Promise<Actor | undefined> {
    const session = this.cookieOf(request);
    if (!session || this.remainingMs(session) <= 0) return undefined;
    const user = this.options.users.find((candidate) => candidate.name === session.name && candidate.role === session.role);
    if (!user || (await this.options.redis.exists(this.endedKey(session.id))) > 0) return undefined;
    return { name: user.name, role: user.role, via: 'web' };
  }

  /** Signs out: this session ends wherever its cookie is sent from, not only in this browser. */
  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const session = this.cookieOf(request);
    const remainingMs = session ? this.remainingMs(session) : 0;
    // Past its expiry a session is refused anyway: nothing to remember.
    if (session && remainingMs > 0) await this.options.redis.set(this.endedKey(session.id), '1', 'PX', Math.ceil(remainingMs));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /**
   * The session of a validly signed cookie. A cookie issued before sessions had ids
   * (`name|role|expiry`) cannot be signed out, so it is refused: its user signs in again.
   */
  private cookieOf(request: FastifyRequest): SessionCookie | undefined {
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return undefined;
    const unsigned = request.unsignCookie(cookie);
    if (!unsigned.valid || !unsigned.value) return undefined;
    const parts = unsigned.value.split('|');
    const [id = '', name = '', role = '', expires = ''] = parts;
    if (parts.length !== 4 || !SESSION_ID.test(id) || !isRole(role) || !/^\d+$/.test(expires)) return undefined;
    return { id, name, role, expires: Number(expires) };
  }

  private remainingMs(session: SessionCookie): number {
    return session.expires - this.options.clock.now().getTime();
  }

  private endedKey(id: string): string {
    return `${this.options.prefix}:session-ended:${id}`;
  }
}
