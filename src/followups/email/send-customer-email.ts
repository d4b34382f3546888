import type { Shipment } from '../../domain/shipment.ts';
import { RobotError } from '../../robot-kit/robot-error.ts';
import type { ExecutorContext, FollowUp } from '../follow-up-executor.ts';
import type { EmailFacts, EmailTemplate } from './email-templates.ts';
import { renderEmail } from './render-email.ts';
import { displayNameOf, type Mailer, messageIdFor, type OutgoingMail } from './smtp-mailer.ts';

export interface CustomerEmail {
  template: EmailTemplate;
  /** Which of the follow-up's e-mails this is: part of its effect key and of its Message-ID. */
  purpose: string;
  facts?: Pick<EmailFacts, 'newTrackingNumber' | 'amount' | 'returnTrackingNumber'>;
  attachments?: OutgoingMail['attachments'];
}

const TEAM_SIGNATURE = { fr: 'Le service client', en: 'Customer service' } as const;

/** The customer's address, or a final error a manager can act on: the order data lacks it. */
export function customerEmailOf(shipment: Shipment): string {
  if (shipment.customerEmail === undefined) {
    throw new RobotError('ORDER_DATA_MISSING', `shipment ${shipment.id} has no customer e-mail: add customer_email to the order (import file or marketplace sync), then run the follow-up again`);
  }
  return shipment.customerEmail;
}

/**
 * Sends one templated e-mail to the shipment's customer, in their language, at most once.
 * SMTP takes no idempotency key and cannot be asked what it delivered, so the send runs through
 * `effects.once` without `reconcile` and without `retrySafe`: a crash between the server's
 * acceptance and the ledger's record never sends a second copy; the runtime sends the follow-up
 * to a manager instead (EffectUncertainError).
 */
export async function sendCustomerEmail(followUp: FollowUp, context: ExecutorContext, mailer: Mailer, email: CustomerEmail): Promise<{ messageId: string }> {
  const { shipment } = context;
  const to = customerEmailOf(shipment);
  const language = shipment.customerLang;
  const rendered = renderEmail(email.template, language, {
    ...email.facts,
    ...(shipment.customerAddress ? { name: shipment.customerAddress.name } : {}),
    ...(shipment.orderRef ? { orderRef: shipment.orderRef } : {}),
    trackingNumber: shipment.trackingNumber,
    signature: displayNameOf(mailer.from) ?? TEAM_SIGNATURE[language],
  });
  const key = `${followUp.id}:${email.purpose}`;
  const mail: OutgoingMail = { to, ...rendered, messageId: messageIdFor(key, mailer.from), ...(email.attachments ? { attachments: email.attachments } : {}) };
  const sent = await context.effects.once(key, { target: 'smtp', call: () => mailer.send(mail) });
  context.logger.info({ followUpId: followUp.id, template: email.template, language, messageId: sent.messageId }, 'customer e-mail sent');
  return sent;
}
