import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../infra/clock.ts';
import { parsePasswordHash, verifyPassword } from './password-hash.ts';
import { isRole } from './roles.ts';
import type { WebUser } from './web-settings.ts';
import type { Actor } from './access.ts';

export const SESSION_COOKIE = 'pb_session';

// Checked when the name is unknown, so an unknown name costs the same time as a wrong password.
const DECOY = parsePasswordHash(`scrypt$16384$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`);

/**
 * Web sessions are signed cookies (HMAC by @fastify/cookie with the session secret), httpOnly,
 * SameSite=Strict, Secure over HTTPS, holding `name|role|expiry`: nothing to store server-side.
 * A session is honoured only while its user is still configured with the same role.
 */
export class Sessions {
  constructor(
    private readonly users: readonly WebUser[],
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  async signIn(name: string, password: string): Promise<WebUser | undefined> {
    const user = this.users.find((candidate) => candidate.name === name);
    const stored = user?.password ?? DECOY;
    const matches = stored ? await verifyPassword(password, stored) : false;
    return matches ? user : undefined;
  }

  issue(reply: FastifyReply, user: WebUser): void {
    const expires = this.clock.now().getTime() + this.ttlMs;
    reply.setCookie(SESSION_COOKIE, `${user.name}|${user.role}|${expires}`, {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      // Secure when the request came over HTTPS (behind a proxy: with PARCELBOT_TRUST_PROXY).
      secure: 'auto',
      path: '/',
      maxAge: Math.floor(this.ttlMs / 1000),
    });
  }

  read(request: FastifyRequest): Actor | undefined {
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return undefined;
    const unsigned = request.unsignCookie(cookie);
    if (!unsigned.valid || !unsigned.value) return undefined;
    const [name = '', role = '', expires = ''] = unsigned.value.split('|');
    if (!isRole(role) || !(Number(expires) > this.clock.now().getTime())) return undefined;
    const user = this.users.find((candidate) => candidate.name === name && candidate.role === role);
    return user && { name: user.name, role: user.role, via: 'web' };
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
