import type { CustomerLanguage } from '../../domain/shipment.ts';

/** The e-mails parcelbot sends customers; a rule names one in its follow-up's `template` parameter. */
export const EMAIL_TEMPLATES = ['reshipped', 'refunded', 'damaged', 'return_label', 'delay_apology'] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

/**
 * What a template may say: the customer's own order and parcels, never internal data (rules,
 * claims, costs, other customers). Money is already formatted in the customer's language.
 */
export interface EmailFacts {
  /** The customer's name, when the order gave one. */
  name?: string;
  orderRef?: string;
  trackingNumber: string;
  /** The replacement parcel's number, once the reshipment has one. */
  newTrackingNumber?: string;
  /** The refunded amount, e.g. "12,50 €". */
  amount?: string;
  returnTrackingNumber?: string;
  /** What is already under way for the order (a damaged parcel): the e-mail says it rather than asking the customer to choose. */
  remedy?: 'reshipment' | 'refund';
  /** Who signs: the display name of SMTP_FROM, or the team. */
  signature: string;
}

export interface EmailText {
  subject: string;
  greeting: string;
  paragraphs: string[];
}

type Wording = (facts: EmailFacts) => EmailText;

const order = (facts: EmailFacts, fr: boolean) => (facts.orderRef ? `${fr ? 'commande' : 'order'} ${facts.orderRef}` : fr ? 'votre commande' : 'your order');
const greetingFr = (facts: EmailFacts) => (facts.name ? `Bonjour ${facts.name},` : 'Bonjour,');
const greetingEn = (facts: EmailFacts) => (facts.name ? `Dear ${facts.name},` : 'Hello,');

const FRENCH: Record<EmailTemplate, Wording> = {
  reshipped: (facts) => ({
    subject: `Un nouveau colis est en route (${order(facts, true)})`,
    greeting: greetingFr(facts),
    paragraphs: [
      `Votre colis ${facts.trackingNumber} n'est pas arrivé à la date prévue, et nous en sommes désolés.`,
      facts.newTrackingNumber
        ? `Nous vous avons envoyé un nouveau colis ; vous pouvez le suivre avec le numéro ${facts.newTrackingNumber}.`
        : 'Nous vous avons envoyé un nouveau colis, sans frais pour vous.',
      "Si le premier colis vous parvient malgré tout, gardez-le : nous vous enverrons une étiquette pour nous retourner l'un des deux, sans frais.",
    ],
  }),
  refunded: (facts) => ({
    subject: `Remboursement de ${order(facts, true)}`,
    greeting: greetingFr(facts),
    paragraphs: [
      `Votre colis ${facts.trackingNumber} n'a pas été livré comme prévu, et nous en sommes désolés.`,
      `Nous vous avons remboursé${facts.amount ? ` ${facts.amount}` : ''} ; le montant apparaîtra sur votre moyen de paiement d'ici quelques jours.`,
    ],
  }),
  damaged: (facts) => ({
    subject: `Votre colis a été endommagé (${order(facts, true)})`,
    greeting: greetingFr(facts),
    paragraphs: [
      `Le transporteur nous signale que votre colis ${facts.trackingNumber} a été endommagé, et nous en sommes désolés.`,
      {
        reshipment: 'Nous faisons le nécessaire auprès de lui et vous envoyons un nouveau colis.',
        refund: 'Nous faisons le nécessaire auprès de lui et vous remboursons votre commande.',
        none: 'Nous faisons le nécessaire auprès de lui. Répondez à ce message pour nous dire ce que vous préférez : un nouvel envoi ou un remboursement.',
      }[facts.remedy ?? 'none'],
      "Si le colis vous a été livré, gardez-le avec son emballage : ils peuvent servir de preuve auprès du transporteur.",
    ],
  }),
  return_label: (facts) => ({
    subject: `Votre étiquette de retour (${order(facts, true)})`,
    greeting: greetingFr(facts),
    paragraphs: [
      `Vous avez reçu deux colis pour ${order(facts, true)} : le colis ${facts.trackingNumber} et son remplacement.`,
      `Merci de nous retourner l'un des deux avec l'étiquette jointe${facts.returnTrackingNumber ? ` (numéro de retour ${facts.returnTrackingNumber})` : ''}, sans frais pour vous : imprimez-la, collez-la sur le colis et déposez-le chez le transporteur.`,
    ],
  }),
  delay_apology: (facts) => ({
    subject: `Votre colis a du retard (${order(facts, true)})`,
    greeting: greetingFr(facts),
    paragraphs: [
      `Votre colis ${facts.trackingNumber} n'est pas encore arrivé, et nous en sommes désolés.`,
      'Nous suivons sa livraison de près et revenons vers vous dès que nous en savons plus ; vous n\'avez rien à faire.',
    ],
  }),
};

const ENGLISH: Record<EmailTemplate, Wording> = {
  reshipped: (facts) => ({
    subject: `A new parcel is on its way (${order(facts, false)})`,
    greeting: greetingEn(facts),
    paragraphs: [
      `Your parcel ${facts.trackingNumber} did not arrive on the expected date, and we are sorry.`,
      facts.newTrackingNumber
        ? `We have sent you a new parcel; you can track it with number ${facts.newTrackingNumber}.`
        : 'We have sent you a new parcel, free of charge.',
      'If the first parcel reaches you after all, keep it: we will send you a label to return one of them to us, free of charge.',
    ],
  }),
  refunded: (facts) => ({
    subject: `Refund for ${order(facts, false)}`,
    greeting: greetingEn(facts),
    paragraphs: [
      `Your parcel ${facts.trackingNumber} was not delivered as planned, and we are sorry.`,
      `We have refunded you${facts.amount ? ` ${facts.amount}` : ''}; the amount will show on your payment method within a few days.`,
    ],
  }),
  damaged: (facts) => ({
    subject: `Your parcel was damaged (${order(facts, false)})`,
    greeting: greetingEn(facts),
    paragraphs: [
      `The carrier tells us your parcel ${facts.trackingNumber} was damaged, and we are sorry.`,
      {
        reshipment: 'We are taking it up with the carrier and sending you a new parcel.',
        refund: 'We are taking it up with the carrier and refunding your order.',
        none: 'We are taking it up with the carrier. Reply to this e-mail to tell us what you prefer: a new shipment or a refund.',
      }[facts.remedy ?? 'none'],
      'If the parcel was delivered to you, please keep it with its packaging: the carrier may ask for them as evidence.',
    ],
  }),
  return_label: (facts) => ({
    subject: `Your return label (${order(facts, false)})`,
    greeting: greetingEn(facts),
    paragraphs: [
      `You received two parcels for ${order(facts, false)}: parcel ${facts.trackingNumber} and its replacement.`,
      `Please send one of them back with the attached label${facts.returnTrackingNumber ? ` (return number ${facts.returnTrackingNumber})` : ''}, at no cost to you: print it, stick it on the parcel and hand it in to the carrier.`,
    ],
  }),
  delay_apology: (facts) => ({
    subject: `Your parcel is delayed (${order(facts, false)})`,
    greeting: greetingEn(facts),
    paragraphs: [
      `Your parcel ${facts.trackingNumber} has not arrived yet, and we are sorry.`,
      'We are following its delivery closely and will get back to you as soon as we know more; there is nothing you need to do.',
    ],
  }),
};

export const WORDINGS: Record<CustomerLanguage, Record<EmailTemplate, Wording>> = { fr: FRENCH, en: ENGLISH };

/** The sign-off line before the signature. */
export const CLOSINGS: Record<CustomerLanguage, string> = { fr: 'Bien cordialement,', en: 'Kind regards,' };

export function isEmailTemplate(value: unknown): value is EmailTemplate {
  return typeof value === 'string' && (EMAIL_TEMPLATES as readonly string[]).includes(value);
}
