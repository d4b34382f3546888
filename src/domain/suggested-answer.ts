import type { CustomerLanguage } from './shipment.ts';
import type { TimeWindow } from './snapshot.ts';
import type { StatusReason } from './status-reason.ts';
import type { TrackingStatus } from './tracking-status.ts';

/** What a suggested answer may say: only facts the robot read or the order holds. */
export interface AnswerFacts {
  status: TrackingStatus;
  reason?: StatusReason;
  estimatedDelivery?: TimeWindow;
  promised?: { from: string; to: string };
  deliveredAt?: string;
  location?: string;
}

// Customers are told dates as they live them; parcelbot's customers are in Europe/Paris by default.
const TIME_ZONE = 'Europe/Paris';
/** One formatter per language, made once: making one costs far more than a look-up's other work on its answer. */
const dayFormat = (locale: string) => new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: TIME_ZONE });
const DAY_FORMATS: Record<CustomerLanguage, Intl.DateTimeFormat> = { fr: dayFormat('fr-FR'), en: dayFormat('en-GB') };

function formatDay(value: string, lang: CustomerLanguage): string {
  // A bare YYYY-MM-DD is a calendar date: read it at noon UTC so no time zone moves it a day.
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value;
  return DAY_FORMATS[lang].format(new Date(instant));
}

type Sentence = (facts: AnswerFacts, day: (value: string) => string) => string;

const expected = {
  fr: (facts: AnswerFacts, day: (value: string) => string) =>
    facts.estimatedDelivery ? ` Le transporteur prévoit la livraison le ${day(facts.estimatedDelivery.from)}.` : facts.promised ? ` La livraison vous a été promise pour le ${day(facts.promised.to)}.` : '',
  en: (facts: AnswerFacts, day: (value: string) => string) =>
    facts.estimatedDelivery ? ` The carrier expects to deliver it on ${day(facts.estimatedDelivery.from)}.` : facts.promised ? ` Delivery was promised for ${day(facts.promised.to)}.` : '',
};

/** One sentence per status and language; the agent adapts it, the facts in it come from the carrier. */
const TEMPLATES: Record<CustomerLanguage, Record<TrackingStatus, Sentence>> = {
  fr: {
    pending: (f, d) => `Votre commande est prête : l'étiquette est créée et le colis sera remis au transporteur très prochainement.${expected.fr(f, d)}`,
    picked_up: (f, d) => `Votre colis a été pris en charge par le transporteur.${expected.fr(f, d)}`,
    in_transit: (f, d) => `Votre colis est en cours d'acheminement.${expected.fr(f, d)}`,
    out_for_delivery: () => `Bonne nouvelle : votre colis est en cours de livraison aujourd'hui.`,
    ready_for_pickup: (f) => `Votre colis vous attend en point de retrait${f.location ? ` (${f.location})` : ''} : pensez à le retirer avec une pièce d'identité.`,
    delivery_failed: (f) =>
      f.reason === 'consignee_not_home'
        ? `Le transporteur n'a pas pu vous remettre le colis en votre absence ; un avis de passage indique comment le récupérer.`
        : `La livraison n'a pas pu avoir lieu. Nous vérifions avec le transporteur et revenons vers vous.`,
    delivery_delayed: (f, d) => `Votre colis a pris du retard${f.reason?.startsWith('customs') ? ' en douane' : ''} ; nous suivons la situation de près.${expected.fr(f, d)}`,
    on_hold: (f) => `Votre colis est temporairement retenu${f.reason?.startsWith('customs') ? ' en douane' : ' par le transporteur'} ; nous suivons son déblocage et vous tenons informé.`,
    return_to_sender: () => `Votre colis est en retour vers notre entrepôt. Nous vous proposons un nouvel envoi ou un remboursement dès sa réception.`,
    delivered: (f, d) => `Votre colis a été livré${f.deliveredAt ? ` le ${d(f.deliveredAt)}` : ''}. Si vous ne l'avez pas reçu, vérifiez auprès de vos voisins ou de votre gardien, puis dites-le-nous.`,
    cancelled: () => `Cet envoi a été annulé. Nous vérifions votre commande et revenons vers vous.`,
    lost: () => `Votre colis semble perdu par le transporteur. Nous lançons une réclamation et vous proposons un nouvel envoi ou un remboursement.`,
    damaged: () => `Le transporteur signale un colis endommagé. Nous ouvrons une réclamation et vous proposons un nouvel envoi ou un remboursement.`,
    unknown: () => `Le transporteur ne donne pas encore d'information sur ce colis. Nous vérifions et revenons vers vous.`,
  },
  en: {
    pending: (f, d) => `Your order is ready: the label is created and the parcel will be handed to the carrier very soon.${expected.en(f, d)}`,
    picked_up: (f, d) => `The carrier has picked up your parcel.${expected.en(f, d)}`,
    in_transit: (f, d) => `Your parcel is on its way.${expected.en(f, d)}`,
    out_for_delivery: () => `Good news: your parcel is out for delivery today.`,
    ready_for_pickup: (f) => `Your parcel is waiting for you at a pickup point${f.location ? ` (${f.location})` : ''}: bring an ID to collect it.`,
    delivery_failed: (f) =>
      f.reason === 'consignee_not_home'
        ? `The carrier could not deliver your parcel while you were out; the notice left tells you how to collect it.`
        : `The delivery could not be made. We are checking with the carrier and will get back to you.`,
    delivery_delayed: (f, d) => `Your parcel is delayed${f.reason?.startsWith('customs') ? ' in customs' : ''}; we are following it closely.${expected.en(f, d)}`,
    on_hold: (f) => `Your parcel is temporarily held${f.reason?.startsWith('customs') ? ' in customs' : ' by the carrier'}; we are following its release and will keep you informed.`,
    return_to_sender: () => `Your parcel is on its way back to our warehouse. We will offer you a new shipment or a refund as soon as we receive it.`,
    delivered: (f, d) => `Your parcel was delivered${f.deliveredAt ? ` on ${d(f.deliveredAt)}` : ''}. If you have not received it, please check with your neighbours or building staff, then let us know.`,
    cancelled: () => `This shipment was cancelled. We are checking your order and will get back to you.`,
    lost: () => `Your parcel appears to have been lost by the carrier. We are filing a claim and will offer you a new shipment or a refund.`,
    damaged: () => `The carrier reports your parcel as damaged. We are filing a claim and will offer you a new shipment or a refund.`,
    unknown: () => `The carrier has no information on this parcel yet. We are checking and will get back to you.`,
  },
};

/** The suggested reply to a customer asking where their parcel is, in their language. */
export function suggestAnswer(facts: AnswerFacts, lang: CustomerLanguage): string {
  return TEMPLATES[lang][facts.status](facts, (value) => formatDay(value, lang));
}
