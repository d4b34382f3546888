import { RobotError } from '../../robot-kit/robot-error.ts';

/** What nodemailer puts on the errors it throws. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
}

/** nodemailer's codes for a server that could not be reached or talked to. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET']);

/**
 * A failed send, classified (RFC 5321 4.2.1): a 4xx reply or no reply at all is temporary,
 * SMTP_UNAVAILABLE; a 5xx reply is for good, SMTP_REJECTED, and so is a refused login or an
 * envelope nodemailer itself refuses. The message keeps the server's reply code, never the
 * addresses or the password. A reply code is kept as the evidence's status: a server that
 * replied with a refusal did not take the message, so the effect ledger may send it again at the
 * next attempt (a 4xx), where no reply at all leaves it uncertain.
 */
export function classifySmtpError(error: unknown): RobotError {
  const failure = (error ?? {}) as SmtpFailure;
  const { code, responseCode } = failure;
  const said = [code, responseCode].filter((part) => part !== undefined).join(' ');
  const replied = responseCode === undefined ? {} : { evidence: { step: 'SMTP reply', status: responseCode } };
  if (responseCode !== undefined && responseCode >= 500) {
    const what = code === 'EAUTH' ? 'the login (check SMTP_URL)' : 'the message';
    return new RobotError('SMTP_REJECTED', `the mail server refused ${what} for good (${said})`, { cause: error, ...replied });
  }
  if (responseCode !== undefined && responseCode >= 400) return new RobotError('SMTP_UNAVAILABLE', `the mail server refused the message for now (${said})`, { cause: error, ...replied });
  if (code !== undefined && CONNECTION_CODES.has(code)) return new RobotError('SMTP_UNAVAILABLE', `the mail server could not be reached or stopped answering (${said})`, { cause: error });
  if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'EENVELOPE') {
    return new RobotError('SMTP_REJECTED', `the message cannot be sent as configured (${said}): check SMTP_URL, SMTP_FROM and the customer's address`, { cause: error });
  }
  return new RobotError('UNEXPECTED_ERROR', `sending the e-mail failed (${said || 'no SMTP code'})`, { cause: error });
}
