import type { ClaimType } from '../../domain/claim.ts';
import { formatLocalDateTime } from '../../domain/local-time.ts';
import type { Shipment } from '../../domain/shipment.ts';
import type { TrackingEvent } from '../../domain/tracking-event.ts';
import type { Evidence } from '../../robot-kit/robot-error.ts';
import { type PdfLine, writePdf } from '../../infra/pdf-writer.ts';
import { type ClaimAmount, money } from './claim-amount.ts';
import type { ClaimWindow } from './claim-window.ts';

/** What a carrier answered when a robot failed on this parcel (the exceptions' evidence). */
export interface CarrierAnswer {
  openedAt: string;
  code: string;
  message: string;
  evidence?: Evidence;
}

export interface EvidenceFacts {
  shipment: Shipment;
  type: ClaimType;
  /** Why parcelbot asks: the verdict and reason the rule gave, and the rule. */
  verdict?: string;
  reason?: string;
  ruleId: string;
  /** What is claimed, and the carrier's cap behind it; undefined when neither the rule nor the order gives a value. */
  amount?: ClaimAmount;
  window: ClaimWindow;
  /** The carrier's events, newest first. */
  events: readonly TrackingEvent[];
  answers: readonly CarrierAnswer[];
  generatedAt: Date;
}

/** Each carrier answer is cut to this many characters: enough to read the carrier's wording. */
const ANSWER_MAX_CHARS = 1500;

/**
 * The PDF a claim is filed with: the parcel, its promise, why a claim is due, the carrier's
 * timeline and the carrier's own answers. It holds the order, never the customer's name, e-mail
 * or address: carriers and agents get what a claim needs.
 */
export function evidencePackPdf(facts: EvidenceFacts): Promise<Buffer> {
  const { shipment, window } = facts;
  const heading = (text: string): PdfLine => ({ text, size: 12, bold: true, gapBefore: 12 });
  const field = (label: string, value: string | number | undefined): PdfLine[] => (value === undefined || value === '' ? [] : [{ text: `${label}: ${value}` }]);
  const time = (value: string | undefined) => (value === undefined ? undefined : formatLocalDateTime(value));
  const { amount } = facts;

  const lines: PdfLine[] = [
    { text: `Carrier claim evidence: parcel ${shipment.trackingNumber}`, size: 16, bold: true },
    { text: `Prepared by parcelbot on ${formatLocalDateTime(facts.generatedAt.toISOString())} (Paris time)`, size: 9 },
    heading('Claim'),
    ...field('Type', facts.type),
    ...field('Carrier', shipment.carrier),
    ...field('Tracking number', shipment.trackingNumber),
    ...field('Amount claimed', amount && money(amount.amount, amount.currency)),
    ...field('Compensation cap', amount?.cap?.note),
    ...field('Cap source', amount?.cap?.rule.source),
    ...field('Window opens', window.opensOn),
    ...field('File by', window.lastDay ? `${window.lastDay} (end of day)` : 'unknown: no date the window counts from'),
    ...field('Window source', window.rule.source),
    heading('Why'),
    ...field('Verdict', facts.verdict),
    ...field('Reason', facts.reason),
    ...field('Rule', facts.ruleId),
    heading('Shipment'),
    ...field('Order', shipment.orderRef),
    ...field('Sales channel', shipment.channel),
    ...field('Declared value', shipment.declaredValue === undefined ? undefined : money(shipment.declaredValue, shipment.currency)),
    ...field('Destination country', shipment.destinationCountry),
    ...field('Service', shipment.product),
    ...field('Status now', [shipment.status, shipment.statusReason].filter(Boolean).join(', ')),
    ...field('Delivered at', time(shipment.deliveredAt)),
    heading('Promise'),
    ...field('Promised to the customer', [shipment.promisedFrom, shipment.promisedTo].filter(Boolean).filter((day, i, days) => days.indexOf(day) === i).join(' to ') || 'no promise recorded'),
    ...field('Carrier estimate', [time(shipment.estimatedFrom), time(shipment.estimatedTo)].filter(Boolean).join(' to ')),
    heading(`Tracking timeline (${facts.events.length} events, newest first)`),
    ...(facts.events.length === 0 ? [{ text: 'No event was ever read for this parcel.' }] : facts.events.map(eventLine)),
    heading('Carrier answers kept as evidence'),
    ...(facts.answers.length === 0 ? [{ text: 'None: every look-up of this parcel succeeded.' }] : facts.answers.flatMap(answerLines)),
  ];
  return writePdf({ title: `Claim evidence ${shipment.trackingNumber} (${facts.type})`, subject: `Carrier claim, ${shipment.carrier}`, at: facts.generatedAt }, lines);
}

export function evidenceFileName(trackingNumber: string, type: ClaimType): string {
  return `claim-evidence-${trackingNumber}-${type}.pdf`;
}

function eventLine(event: TrackingEvent): PdfLine {
  const where = event.location ? ` - ${event.location}` : '';
  return { text: `${formatLocalDateTime(event.at)}  ${event.code}  ${event.label}${where}  [${event.status}${event.reason ? `, ${event.reason}` : ''}]`, size: 9 };
}

function answerLines(answer: CarrierAnswer): PdfLine[] {
  const { evidence } = answer;
  const request = evidence?.request ? `${evidence.request.method} ${evidence.request.url}` : evidence?.step;
  return [
    { text: `${formatLocalDateTime(answer.openedAt)}  ${answer.code}: ${answer.message}`, size: 9, bold: true, gapBefore: 4 },
    ...(request ? [{ text: `${request}${evidence?.status ? ` -> HTTP ${evidence.status}` : ''}`, size: 8 }] : []),
    ...(evidence?.body ? [{ text: evidence.body.length > ANSWER_MAX_CHARS ? `${evidence.body.slice(0, ANSWER_MAX_CHARS)} [cut]` : evidence.body, size: 7 }] : []),
  ];
}
