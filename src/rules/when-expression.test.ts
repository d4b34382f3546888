import { describe, expect, it } from 'vitest';
import { calendarFor } from '../promise/business-calendar.ts';
import { type AnchorValues, isImmediate, parseWhen, resolveWhen, type WhenExpression } from './when-expression.ts';

const france = calendarFor('FR');

function parsed(text: string): WhenExpression {
  const result = parseWhen(text);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('parseWhen', () => {
  it.each([
    ['now', { anchors: ['now'] }],
    ['now + 2 hours', { anchors: ['now'], offset: { amount: 2, unit: 'hour' } }],
    ['promise + 1 business day at 09:00', { anchors: ['promise'], offset: { amount: 1, unit: 'business day' }, time: '09:00' }],
    ['delivered + 2 business days', { anchors: ['delivered'], offset: { amount: 2, unit: 'business day' } }],
    ['promise or estimate or now + 1 business day at 09:00', { anchors: ['promise', 'estimate', 'now'], offset: { amount: 1, unit: 'business day' }, time: '09:00' }],
    ['last_scan - 3 days', { anchors: ['last_scan'], offset: { amount: -3, unit: 'day' } }],
    ['promise at 18:00', { anchors: ['promise'], time: '18:00' }],
    ['  promise  +  1   business   day  ', { anchors: ['promise'], offset: { amount: 1, unit: 'business day' } }],
  ])('reads "%s"', (text, expected) => {
    expect(parsed(text)).toMatchObject(expected);
  });

  it.each([
    ['tomorrow', /unknown anchor "tomorrow": expected one of now, promise, estimate/],
    ['promise + 1 busines day', /unknown unit "busines day": expected business days, days, hours or minutes/],
    ['now + 2 hours at 09:00', /goes with a day offset \(business days or days\), not with hours/],
    ['promise + 1 day at 9h', /"at 9h": expected a time as HH:MM/],
    ['promise + 1 day at 24:00', /"at 24:00": expected a time as HH:MM/],
    ['+ 1 day', /is not a time: write <anchor> \[\+ <n> <unit>\] \[at HH:MM\]/],
    ['', /is not a time/],
  ])('refuses "%s" saying how to write it', (text, message) => {
    const result = parseWhen(text);
    expect('error' in result && result.error).toMatch(message);
  });

  it('"now" alone means at once; anything else is a time', () => {
    expect(isImmediate(parsed('now'))).toBe(true);
    expect(isImmediate(undefined)).toBe(true);
    expect(isImmediate(parsed('now + 0 hours'))).toBe(false);
    expect(isImmediate(parsed('promise'))).toBe(false);
  });
});

describe('resolveWhen in France', () => {
  // Promised by Friday 22 May 2026; Monday 25 May is Whit Monday.
  const anchors: AnchorValues = {
    now: { day: '2026-05-20', instant: new Date('2026-05-20T14:35:00+02:00') },
    promise: { day: '2026-05-22', instant: france.at('2026-05-22') },
    delivered: { day: '2026-05-22', instant: new Date('2026-05-22T16:20:00+02:00') },
  };

  it.each([
    ['promise + 1 business day at 09:00', '2026-05-26T07:00:00.000Z', 'promise', 'Tuesday after Whit Monday, 09:00 Paris summer time'],
    ['promise + 1 day', '2026-05-22T22:00:00.000Z', 'promise', 'the Saturday, from 00:00'],
    ['promise at 18:00', '2026-05-22T16:00:00.000Z', 'promise', 'the promised day at 18:00'],
    ['delivered + 2 business days', '2026-05-27T14:20:00.000Z', 'delivered', 'keeps the delivery’s time of day'],
    ['now + 90 minutes', '2026-05-20T14:05:00.000Z', 'now', 'minutes are added to the instant'],
    ['now', '2026-05-20T12:35:00.000Z', 'now', 'now itself'],
    ['estimate or promise - 1 business day at 08:00', '2026-05-21T06:00:00.000Z', 'promise', 'the first anchor the shipment has'],
    ['now - 1 business day', '2026-05-19T12:35:00.000Z', 'now', 'backwards'],
  ])('%s -> %s (%s)', (text, expected, anchor) => {
    expect(resolveWhen(parsed(text), anchors, france)).toEqual({ at: new Date(expected), anchor });
  });

  it('says which anchors were missing', () => {
    expect(resolveWhen(parsed('estimate or first_contact + 1 day'), anchors, france)).toEqual({ missing: ['estimate', 'first_contact'] });
  });

  it('reads 09:00 in the winter offset before the clocks change and in the summer one after', () => {
    const friday = { promise: { day: '2026-03-27', instant: france.at('2026-03-27') } };
    expect(resolveWhen(parsed('promise at 09:00'), friday, france)).toMatchObject({ at: new Date('2026-03-27T08:00:00Z') });
    expect(resolveWhen(parsed('promise + 1 business day at 09:00'), friday, france)).toMatchObject({ at: new Date('2026-03-30T07:00:00Z') });
  });
});
