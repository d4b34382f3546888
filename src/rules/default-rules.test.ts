import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, scan, shipmentFixture } from '../../fixtures/rules/testing.ts';
import type { Decision } from '../domain/follow-up.ts';
import type { Shipment } from '../domain/shipment.ts';
import type { TrackingEvent } from '../domain/tracking-event.ts';
import type { LinkedShipment } from '../promise/shipment-as-of.ts';
import { explainShipment, judgeShipment } from './judge-shipment.ts';
import { DEFAULT_RULES_FILE, loadRules } from './load-rules.ts';
import type { Contacts, Trigger } from './rule-facts.ts';

// The default rules on the reference flow of seed 001 (Rue du Commerce), step by step. The order
// is worth 89.90 EUR and promised by Friday 22 May 2026; Monday 25 May is Whit Monday.

const rules = await loadRules(undefined, DEFAULT_THRESHOLDS);

const moving = [scan('2026-05-19T08:10:00+02:00', 'picked_up'), scan('2026-05-21T06:40:00+02:00')];
const oneContact: Contacts = { count: 1, firstAt: '2026-05-20T08:00:00.000Z' };

interface Step {
  trigger: Trigger;
  at: string;
  shipment?: Partial<Shipment>;
  /** Oldest first. */
  scans?: TrackingEvent[];
  contacts?: Contacts;
  reshipments?: LinkedShipment[];
}

function decide(step: Step): { verdict: string; decisions: Decision[] } {
  const record = {
    shipment: shipmentFixture(step.shipment),
    events: [...(step.scans ?? moving)].reverse(),
    contacts: step.contacts ?? oneContact,
    reshipments: step.reshipments ?? [],
  };
  const { verdict, decisions } = judgeShipment(rules, record, step.trigger, new Date(step.at));
  // The sweep's path (no words) and `rules explain`'s (every matcher in words) decide alike.
  expect(explainShipment(rules, record, step.trigger, new Date(step.at)).evaluation.decisions).toEqual(decisions);
  return { verdict: verdict.verdict, decisions };
}

describe('the seed flow with the default rules', () => {
  it('1. an agent looks the parcel up before the promise: a check is scheduled the business day after it, at 09:00 Paris time', () => {
    expect(decide({ trigger: 'lookup', at: '2026-05-20T10:00:00+02:00' })).toEqual({
      verdict: 'on_time',
      decisions: [
        {
          ruleId: 'lookup-check-after-promise',
          action: 'check',
          params: {},
          // Friday's promise + 1 business day skips the weekend and Whit Monday: Tuesday 26 May, 09:00 summer time.
          at: '2026-05-26T07:00:00.000Z',
          reason: 'Check that the parcel was delivered by the business day after the promise.',
        },
      ],
    });
  });

  it('2. the check comes due and the parcel is not delivered: reship, e-mail the customer, claim for the delay', () => {
    expect(decide({ trigger: 'check', at: '2026-05-26T09:00:00+02:00' })).toEqual({
      verdict: 'late',
      decisions: [
        { ruleId: 'not-delivered-reship', action: 'reshipment', params: { reason: 'not_delivered' }, reason: 'Not delivered (late): a replacement is sent.' },
        { ruleId: 'not-delivered-reship', action: 'customer_email', params: { template: 'reshipped', after: 'reshipment' }, reason: 'The customer is told a replacement is on its way, once it is ordered.' },
        {
          ruleId: 'claim-late',
          action: 'carrier_claim',
          params: { type: 'late' },
          reason: 'Not delivered by 2026-05-22 (business days late: 1); a delay claim is filed with laposte.',
        },
      ],
    });
  });

  it('2b. the same check for an order worth less than AUTO_REFUND_MAX: refund and tell the customer instead', () => {
    expect(decide({ trigger: 'check', at: '2026-05-26T09:00:00+02:00', shipment: { declaredValue: 24.9 } })).toEqual({
      verdict: 'late',
      decisions: [
        { ruleId: 'not-delivered-refund', action: 'refund', params: { reason: 'not_delivered' }, reason: 'Worth 24.90 EUR, less than 30 EUR: refunded rather than reshipped and claimed.' },
        { ruleId: 'not-delivered-refund', action: 'customer_email', params: { template: 'refunded', after: 'refund' }, reason: 'The customer is told the order is refunded, once it is.' },
      ],
    });
  });

  it('3. the original and its reshipment are both delivered: a return label, nothing else', () => {
    const decided = decide({
      trigger: 'sweep',
      at: '2026-05-28T20:00:00+02:00',
      shipment: { status: 'delivered', deliveredAt: '2026-05-27T11:00:00+02:00', isFinal: true },
      scans: [...moving, scan('2026-05-27T11:00:00+02:00', 'delivered')],
      reshipments: [{ trackingNumber: '6A12345678902', status: 'delivered', deliveredAt: '2026-05-28T10:30:00+02:00' }],
    });
    expect(decided).toEqual({
      verdict: 'delivered_twice',
      decisions: [
        {
          ruleId: 'delivered-twice-return-label',
          action: 'return_label',
          params: { reason: 'delivered_twice' },
          reason: 'Delivered twice (original and reshipment); the customer gets a label to send one back.',
        },
      ],
    });
  });

  it('a look-up after the promise schedules the check at a time already past: it is due at once', () => {
    const { decisions } = decide({ trigger: 'lookup', at: '2026-05-27T15:00:00+02:00' });
    expect(decisions).toEqual([expect.objectContaining({ action: 'check', at: '2026-05-26T07:00:00.000Z' })]);
  });

  it('a look-up with no promise nor estimate checks the next business day at 09:00', () => {
    const { decisions } = decide({ trigger: 'lookup', at: '2026-05-22T16:00:00+02:00', shipment: { promisedTo: undefined } });
    expect(decisions).toEqual([expect.objectContaining({ action: 'check', at: '2026-05-26T07:00:00.000Z' })]);
  });
});

describe('incidents with the default rules', () => {
  const RESHIP_AND_TELL = [
    { ruleId: 'not-delivered-reship', action: 'reshipment', params: { reason: 'not_delivered' } },
    { ruleId: 'not-delivered-reship', action: 'customer_email', params: { template: 'reshipped', after: 'reshipment' } },
  ] as const;
  const CLAIM_LATE = { ruleId: 'claim-late', action: 'carrier_claim', params: { type: 'late' } } as const;
  const NO_CONTACT: Contacts = { count: 0 };
  const atPickupPointFrom = (at: string) => [...moving, scan(at, 'ready_for_pickup')];

  it.each<[string, Step, string, Pick<Decision, 'ruleId' | 'action' | 'params'>[]]>([
    [
      'lost by the carrier: reship, e-mail, loss claim',
      { trigger: 'sweep', at: '2026-05-21T22:00:00+02:00', shipment: { status: 'lost' }, scans: [...moving, scan('2026-05-21T18:00:00+02:00', 'lost')] },
      'lost_suspected',
      [
        ...RESHIP_AND_TELL,
        { ruleId: 'claim-lost', action: 'carrier_claim', params: { type: 'lost' } },
      ],
    ],
    [
      'damaged: a damage claim and an e-mail',
      { trigger: 'sweep', at: '2026-05-21T22:00:00+02:00', shipment: { status: 'damaged' }, scans: [...moving, scan('2026-05-21T18:00:00+02:00', 'damaged')] },
      'at_risk',
      [
        { ruleId: 'damaged-claim', action: 'carrier_claim', params: { type: 'damaged' } },
        { ruleId: 'damaged-claim', action: 'customer_email', params: { template: 'damaged' } },
      ],
    ],
    [
      'damaged and late: reship and e-mail, a damage claim, no delay claim',
      { trigger: 'check', at: '2026-05-26T09:00:00+02:00', shipment: { status: 'damaged' }, scans: [...moving, scan('2026-05-21T18:00:00+02:00', 'damaged')] },
      'late',
      [
        ...RESHIP_AND_TELL,
        { ruleId: 'damaged-claim', action: 'carrier_claim', params: { type: 'damaged' } },
        { ruleId: 'damaged-claim', action: 'customer_email', params: { template: 'damaged' } },
      ],
    ],
    [
      'returned to sender, worth 89.90 EUR: a manager decides',
      { trigger: 'sweep', at: '2026-05-21T22:00:00+02:00', shipment: { status: 'return_to_sender' } },
      'returned',
      [{ ruleId: 'returned-manager', action: 'manager_case', params: { reason: 'returned_to_sender' } }],
    ],
    [
      'returned to sender, worth 12 EUR: refunded',
      { trigger: 'sweep', at: '2026-05-21T22:00:00+02:00', shipment: { status: 'return_to_sender', declaredValue: 12 } },
      'returned',
      [
        { ruleId: 'returned-refund', action: 'refund', params: { reason: 'returned_to_sender' } },
        { ruleId: 'returned-refund', action: 'customer_email', params: { template: 'refunded', after: 'refund' } },
      ],
    ],
    [
      'no declared value: never refunded automatically, reshipped and claimed',
      { trigger: 'check', at: '2026-05-26T09:00:00+02:00', shipment: { declaredValue: undefined } },
      'late',
      [
        ...RESHIP_AND_TELL,
        CLAIM_LATE,
      ],
    ],
    [
      'a value in USD is not compared with EUR thresholds: reshipped and claimed',
      { trigger: 'check', at: '2026-05-26T09:00:00+02:00', shipment: { declaredValue: 10, currency: 'USD' } },
      'late',
      [
        ...RESHIP_AND_TELL,
        CLAIM_LATE,
      ],
    ],
    [
      'a label never handed to the carrier and now late: reship, but no claim against the carrier',
      { trigger: 'check', at: '2026-05-26T09:00:00+02:00', shipment: { status: 'pending' }, scans: [scan('2026-05-19T08:10:00+02:00', 'pending')] },
      'late',
      [
        ...RESHIP_AND_TELL,
      ],
    ],
    [
      'a third customer contact: the check, and a manager takes the case',
      { trigger: 'lookup', at: '2026-05-21T10:00:00+02:00', contacts: { count: 3, firstAt: '2026-05-19T08:00:00.000Z' } },
      'on_time',
      [
        { ruleId: 'lookup-check-after-promise', action: 'check', params: {} },
        { ruleId: 'contacts-above-target', action: 'manager_case', params: { reason: 'contacts_above_target' } },
      ],
    ],
    [
      'a case open 7 business days (Ascension and Whit Monday skipped): overdue, on top of the late parcel’s follow-ups',
      { trigger: 'check', at: '2026-05-26T09:00:00+02:00', contacts: { count: 1, firstAt: '2026-05-13T08:00:00.000Z' } },
      'late',
      [
        ...RESHIP_AND_TELL,
        CLAIM_LATE,
        { ruleId: 'case-overdue', action: 'manager_case', params: { reason: 'resolution_overdue' } },
      ],
    ],
    [
      'the carrier says nothing usable after the promise: a person looks',
      { trigger: 'check', at: '2026-05-26T09:00:00+02:00', shipment: { status: 'unknown' }, scans: [] },
      'unknown',
      [{ ruleId: 'status-unknown-after-promise', action: 'manager_case', params: { reason: 'carrier_status_unknown' } }],
    ],
    ['delivered on time and never reshipped: nothing to do', { trigger: 'sweep', at: '2026-05-22T20:00:00+02:00', shipment: { status: 'delivered', deliveredAt: '2026-05-22T11:00:00+02:00' } }, 'delivered_on_time', []],
    ['a sweep before the promise of a moving parcel: nothing to do', { trigger: 'sweep', at: '2026-05-21T22:00:00+02:00' }, 'on_time', []],
    // Promised Friday 22 May: the parcel may still come on Saturday; the business day after the promise is Tuesday 26 (Whit Monday).
    ['the nightly sweep on the Saturday after the promise: late, but nothing done yet', { trigger: 'sweep', at: '2026-05-23T02:05:00+02:00' }, 'late', []],
    ['... nor for a small order, which waits for its refund too', { trigger: 'sweep', at: '2026-05-23T02:05:00+02:00', shipment: { declaredValue: 12 } }, 'late', []],
    [
      'the nightly sweep on the business day after the promise: reship and claim',
      { trigger: 'sweep', at: '2026-05-26T02:05:00+02:00' },
      'late',
      [
        ...RESHIP_AND_TELL,
        CLAIM_LATE,
      ],
    ],
    [
      'waiting at a pickup point since before the promise, a week later: on time, nothing to do',
      { trigger: 'sweep', at: '2026-06-01T02:05:00+02:00', shipment: { status: 'ready_for_pickup' }, scans: atPickupPointFrom('2026-05-21T15:00:00+02:00'), contacts: NO_CONTACT },
      'on_time',
      [],
    ],
    [
      'made available at a pickup point after the promise: a delay claim, but no replacement while it waits there',
      { trigger: 'sweep', at: '2026-06-03T02:05:00+02:00', shipment: { status: 'ready_for_pickup' }, scans: atPickupPointFrom('2026-05-27T15:00:00+02:00'), contacts: NO_CONTACT },
      'late',
      [CLAIM_LATE],
    ],
    [
      '... and no refund of a small order',
      { trigger: 'sweep', at: '2026-06-03T02:05:00+02:00', shipment: { status: 'ready_for_pickup', declaredValue: 12 }, scans: atPickupPointFrom('2026-05-27T15:00:00+02:00'), contacts: NO_CONTACT },
      'late',
      [],
    ],
  ])('%s', (_label, step, verdict, expected) => {
    const decided = decide(step);
    expect(decided.verdict).toBe(verdict);
    expect(decided.decisions.map(({ ruleId, action, params }) => ({ ruleId, action, params }))).toEqual(expected);
  });
});

it('is documented: the README shows the default rules file verbatim', async () => {
  const [readme, rulesFile] = await Promise.all([readFile(new URL('../../README.md', import.meta.url), 'utf8'), readFile(DEFAULT_RULES_FILE, 'utf8')]);
  expect(readme).toContain(`\n\`\`\`yaml\n${rulesFile}\`\`\`\n`);
});
