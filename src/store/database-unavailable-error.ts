import { redactUrl } from '../infra/redact-url.ts';

/** How long a connection may take: without a bound, a host that drops packets leaves a command waiting for ever. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Why a connection failed, by the driver's code: what an operator can check, without the driver's jargon. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name does not resolve now',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  // SQLSTATEs of a server that answers but refuses: the user name is not repeated, as in the URL shown.
  '28P01': 'the server refuses the password',
  '28000': 'the server refuses the user (unknown, or not allowed from this host)',
  '3D000': 'the server has no such database',
};

/**
 * The PostgreSQL server of DATABASE_URL cannot be used: unreachable, or it refuses the user, the
 * password or the database. Like Redis's, the message names the variable and never the password.
 */
export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`PostgreSQL at ${redactUrl(url)}: ${reasonOf(cause)}: check DATABASE_URL, or unset it to use the embedded store`);
    this.name = 'DatabaseUnavailableError';
  }
}

function reasonOf(cause: unknown): string {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  // node-postgres's connection timeout carries no code, only this message.
  if (message === 'timeout expired') return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  return REASONS[String(code)] ?? `cannot connect (${String(message ?? cause)})`;
}
