import { z } from 'zod';
import { RobotError } from '../../robot-kit/robot-error.ts';
import type { ExecutorContext, FollowUpExecutor } from '../follow-up-executor.ts';
import { EMAIL_TEMPLATES } from './email-templates.ts';
import { sendCustomerEmail } from './send-customer-email.ts';
import type { Mailer } from './smtp-mailer.ts';

/** The templates this follow-up sends; the return-label e-mail goes with its PDF, from the return_label follow-up. */
const SENT_ALONE = EMAIL_TEMPLATES.filter((template) => template !== 'return_label') as ['reshipped', 'refunded', 'damaged', 'delay_apology'];

/** A rule's parameters for a customer e-mail; others it wrote (reason...) are left for the audit trail. */
const paramsSchema = z.looseObject({
  template: z.enum(SENT_ALONE, { error: `expected one of ${SENT_ALONE.join(', ')} (return_label is sent by the return_label follow-up)` }),
  newTrackingNumber: z.string().min(1).optional(),
  amount: z.number({ error: 'expected an amount such as 12.5' }).positive({ error: 'expected an amount above 0' }).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected a 3-letter ISO 4217 code such as EUR' }).optional(),
});

const LOCALES = { fr: 'fr-FR', en: 'en-GB' } as const;

/** `customer_email`: one templated e-mail in the customer's language (see send-customer-email.ts for at most once). */
export function createCustomerEmailExecutor(mailer: Mailer): FollowUpExecutor {
  return {
    kind: 'customer_email',
    async execute(followUp, context) {
      const parsed = paramsSchema.safeParse(followUp.params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new RobotError('FOLLOW_UP_PARAMS_INVALID', `customer_email follow-up ${followUp.id}: ${issue?.path.join('.') || 'params'}: ${issue?.message}`);
      }
      const { template, newTrackingNumber, amount } = parsed.data;
      const language = context.shipment.customerLang;
      const currency = parsed.data.currency ?? context.shipment.currency ?? 'EUR';
      const remedy = template === 'damaged' ? await remedyUnderWay(context) : undefined;
      const facts = {
        ...(newTrackingNumber ? { newTrackingNumber } : {}),
        ...(amount === undefined ? {} : { amount: new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency }).format(amount) }),
        ...(remedy ? { remedy } : {}),
      };
      const { messageId } = await sendCustomerEmail(followUp, context, mailer, { template, purpose: 'email', facts });
      return { summary: `E-mailed the customer the "${template}" message in ${language === 'fr' ? 'French' : 'English'}`, references: { messageId } };
    },
  };
}

/** Settled or on its way, not turned down: a replacement or refund the damaged-parcel e-mail must not offer as a choice. */
const UNDER_WAY: ReadonlySet<string> = new Set(['proposed', 'awaiting_approval', 'running', 'done']);

/**
 * A reshipment or refund the rules already decided for this parcel (a damaged parcel that is also
 * late): the e-mail says so instead of asking the customer to choose one.
 */
async function remedyUnderWay({ shipment, store }: ExecutorContext): Promise<'reshipment' | 'refund' | undefined> {
  for (const kind of ['reshipment', 'refund'] as const) {
    const decided = await store.followUps.list({ shipmentId: shipment.id, kind });
    if (decided.some((followUp) => UNDER_WAY.has(followUp.state))) return kind;
  }
  return undefined;
}
