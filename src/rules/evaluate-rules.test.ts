import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, scan, shipmentFixture } from '../../fixtures/rules/testing.ts';
import type { Shipment } from '../domain/shipment.ts';
import { carrierSettings } from '../promise/carrier-settings.ts';
import { computeVerdict } from '../promise/compute-verdict.ts';
import { decideRules, evaluateRules } from './evaluate-rules.ts';
import { parseRules } from './parse-rules.ts';
import type { Contacts, RuleFacts, Trigger } from './rule-facts.ts';

/** One rule around the matchers under test, deciding a check. */
function ruleWith(when: string, then = '      - action: check\n        reason: Look again.') {
  return parseRules(`rules:\n  - id: under-test\n    description: The rule under test.\n    when: ${when}\n    then:\n${then}\n`, 'rules.yaml', DEFAULT_THRESHOLDS);
}

const NOW = new Date('2026-05-26T09:00:00+02:00');
const scans = [scan('2026-05-21T08:00:00+02:00'), scan('2026-05-19T08:00:00+02:00', 'picked_up')];

function facts(shipment: Partial<Shipment> = {}, contacts: Contacts = { count: 0 }, trigger: Trigger = 'check'): RuleFacts {
  const stored = shipmentFixture(shipment);
  const verdict = computeVerdict({ shipment: stored, events: scans, now: NOW, settings: carrierSettings(stored.carrier) });
  return { trigger, shipment: stored, events: scans, verdict, contacts };
}

function judge(when: string, given: RuleFacts = facts()) {
  const ruleSet = ruleWith(when);
  const { trace, decisions } = evaluateRules(ruleSet, given, NOW);
  // The sweep's path, which builds no words and stops at the first matcher that fails, decides alike.
  expect(decideRules(ruleSet, given, NOW)).toEqual(decisions);
  const [rule] = trace;
  if (!rule) throw new Error('no trace');
  return { matched: rule.matched, says: rule.matchers.map((outcome) => `${outcome.matched ? 'yes' : 'no'} ${outcome.matcher}: ${outcome.says}`) };
}

describe('matchers, and what they say', () => {
  it.each<[string, string, RuleFacts, boolean, string[]]>([
    ['trigger in a list', '{ trigger: [check, sweep] }', facts(), true, ['yes trigger: trigger is check, one of check, sweep']],
    ['trigger alone', '{ trigger: lookup }', facts(), false, ['no trigger: trigger is check, not lookup']],
    ['verdict', '{ verdict: [on_time, at_risk] }', facts(), false, ['no verdict: verdict is late, not one of on_time, at_risk']],
    ['status', '{ status: in_transit }', facts(), true, ['yes status: status is in_transit']],
    ['carrier', '{ carrier: [dhl, ups] }', facts(), false, ['no carrier: carrier is laposte, not one of dhl, ups']],
    ['channel glob', '{ channel: "mirakl:*" }', facts({ channel: 'mirakl:cdiscount' }), true, ['yes channel: channel mirakl:cdiscount matches mirakl:*']],
    ['channel glob, other channel', '{ channel: ["mirakl:*", "amazon:??"] }', facts({ channel: 'amazon:fra' }), false, ['no channel: channel amazon:fra matches none of mirakl:*, amazon:??']],
    ['no channel', '{ channel: "web" }', facts({ channel: undefined }), false, ['no channel: no channel matches none of web']],
    ['value below a threshold', '{ value: { below: AUTO_REFUND_MAX } }', facts({ declaredValue: 24.9 }), true, ['yes value: declared value 24.90 EUR: below AUTO_REFUND_MAX (30)']],
    ['value at the threshold is not below it', '{ value: { below: AUTO_REFUND_MAX } }', facts({ declaredValue: 30 }), false, ['no value: declared value 30.00 EUR: not below AUTO_REFUND_MAX (30)']],
    ['value in a range', '{ value: { at_least: 10, at_most: 50 } }', facts({ declaredValue: 60 }), false, ['no value: declared value 60.00 EUR: at least 10, not at most 50']],
    ['value in another currency', '{ value: { below: 100 } }', facts({ declaredValue: 20, currency: 'GBP' }), false, ['no value: declared value 20.00 GBP is not in EUR: not compared']],
    ['value in the currency asked for', '{ value: { below: 100, currency: GBP } }', facts({ declaredValue: 20, currency: 'GBP' }), true, ['yes value: declared value 20.00 GBP: below 100']],
    ['no declared value', '{ value: { below: 100 } }', facts({ declaredValue: undefined }), false, ['no value: no declared value']],
    ['age since the promise', '{ age: { since: promise, at_least: 1 } }', facts(), true, ['yes age: 1 business day since the promise: at least 1']],
    ['age since the first scan', '{ age: { since: first_scan, above: 5 } }', facts(), false, ['no age: 4 business days since the first scan: not above 5']],
    ['age with no promise', '{ age: { since: promise, at_least: 1 } }', facts({ promisedTo: undefined }), false, ['no age: no promise to count from']],
    ['contacts above the target', '{ contacts: { above: CONTACTS_TARGET } }', facts({}, { count: 3, firstAt: '2026-05-20T08:00:00Z' }), true, ['yes contacts: 3 customer contacts: above CONTACTS_TARGET (2)']],
    ['contacts at the target', '{ contacts: { above: CONTACTS_TARGET } }', facts({}, { count: 2, firstAt: '2026-05-20T08:00:00Z' }), false, ['no contacts: 2 customer contacts: not above CONTACTS_TARGET (2)']],
    ['case age', '{ case_age: { above: RESOLUTION_TARGET_DAYS } }', facts({}, { count: 1, firstAt: '2026-05-13T08:00:00Z' }), true, ['yes case_age: case open 7 business days (since the first contact): above RESOLUTION_TARGET_DAYS (5)']],
    ['case age with no contact', '{ case_age: { above: 0 } }', facts(), false, ['no case_age: no customer contact: no case open']],
    ['not: none holds', '{ verdict: late, not: { value: { below: 30 }, status: pending } }', facts(), true, ['yes verdict: verdict is late', 'yes not: none of these holds: status is in_transit, not pending; declared value 89.90 EUR: not below 30']],
    ['not: one holds', '{ not: { value: { below: 100 }, status: pending } }', facts(), false, ['no not: but declared value 89.90 EUR: below 100']],
    ['unless: one of them holds', '{ unless: { value: { below: 100 }, status: pending } }', facts(), true, ['yes unless: not all of these hold: status is in_transit, not pending; declared value 89.90 EUR: below 100']],
    ['unless: all of them hold', '{ unless: { value: { below: 100 }, verdict: late } }', facts(), false, ['no unless: but all of these hold: verdict is late; declared value 89.90 EUR: below 100']],
  ])('%s', (_label, when, given, matched, says) => {
    expect(judge(when, given)).toEqual({ matched, says });
  });
});

describe('evaluateRules', () => {
  it('judges every matcher even after one failed, so the trace says everything', () => {
    expect(judge('{ trigger: lookup, verdict: late, carrier: laposte }')).toEqual({
      matched: false,
      says: ['no trigger: trigger is check, not lookup', 'yes verdict: verdict is late', 'yes carrier: carrier is laposte'],
    });
  });

  it('fills a reason’s placeholders, an unknown fact reading "unknown"', () => {
    const ruleSet = ruleWith('{ verdict: late }', '      - action: manager_case\n        params: { reason: test }\n        reason: "{verdict} {days_late} {status} {carrier} {contacts} {promised_by} {case_age} {value} {CONTACTS_TARGET}"');
    const { decisions } = evaluateRules(ruleSet, facts(), NOW);
    expect(decisions).toEqual([{ ruleId: 'under-test', action: 'manager_case', params: { reason: 'test' }, reason: 'late 1 in_transit laposte 0 2026-05-22 unknown 89.90 EUR 2' }]);
  });

  it('skips a decision whose time needs a fact the shipment lacks, and says so', () => {
    const ruleSet = ruleWith('{ trigger: check }', '      - action: check\n        at: estimate or delivered + 1 day\n        reason: Look again.\n      - action: check\n        at: now + 1 hour\n        reason: Look again soon.');
    const [rule] = evaluateRules(ruleSet, facts(), NOW).trace;
    expect(rule?.decisions).toEqual([{ ruleId: 'under-test', action: 'check', params: {}, at: '2026-05-26T08:00:00.000Z', reason: 'Look again soon.' }]);
    expect(rule?.skipped).toEqual(['check: no estimate or delivered to compute "estimate or delivered + 1 day"']);
  });

  it('leaves `at` out for decisions due now', () => {
    const { decisions } = evaluateRules(ruleWith('{ verdict: late }', '      - action: check\n        at: now\n        reason: Now.'), facts(), NOW);
    expect(decisions).toEqual([{ ruleId: 'under-test', action: 'check', params: {}, reason: 'Now.' }]);
  });

  it('is pure: the same facts and time give the same answer', () => {
    const ruleSet = ruleWith('{ trigger: check, verdict: late, not: { value: { below: AUTO_REFUND_MAX } } }');
    const given = facts();
    expect(evaluateRules(ruleSet, given, NOW)).toEqual(evaluateRules(ruleSet, given, new Date(NOW)));
  });
});
