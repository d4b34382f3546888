import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './smtp-errors.ts';

describe('classifySmtpError', () => {
  it.each([
    [{ code: 'ECONNECTION', command: 'CONN' }, 'SMTP_UNAVAILABLE', 'the mail server could not be reached or stopped answering (ECONNECTION)'],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, 'SMTP_UNAVAILABLE', 'the mail server could not be reached or stopped answering (ETIMEDOUT)'],
    [{ code: 'ESOCKET' }, 'SMTP_UNAVAILABLE', 'the mail server could not be reached or stopped answering (ESOCKET)'],
    [{ code: 'EMESSAGE', responseCode: 451 }, 'SMTP_UNAVAILABLE', 'the mail server refused the message for now (EMESSAGE 451)'],
    [{ code: 'EENVELOPE', responseCode: 452 }, 'SMTP_UNAVAILABLE', 'the mail server refused the message for now (EENVELOPE 452)'],
    [{ code: 'EMESSAGE', responseCode: 550 }, 'SMTP_REJECTED', 'the mail server refused the message for good (EMESSAGE 550)'],
    [{ code: 'EAUTH', responseCode: 535 }, 'SMTP_REJECTED', 'the mail server refused the login (check SMTP_URL) for good (EAUTH 535)'],
    [{ code: 'EENVELOPE' }, 'SMTP_REJECTED', "the message cannot be sent as configured (EENVELOPE): check SMTP_URL, SMTP_FROM and the customer's address"],
    [new Error('boom'), 'UNEXPECTED_ERROR', 'sending the e-mail failed (no SMTP code)'],
  ])('%j -> %s', (error, code, message) => {
    expect(classifySmtpError(error)).toMatchObject({ code, message });
  });

  it('keeps the reply code as evidence, so a refused message is known not to be sent', () => {
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 451 }).evidence).toEqual({ step: 'SMTP reply', status: 451 });
    expect(classifySmtpError({ code: 'ETIMEDOUT', command: 'CONN' }).evidence).toBeUndefined();
  });
});
