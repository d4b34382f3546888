import { describe, expect, it } from 'vitest';
import { BusinessCalendar, calendarFor } from './business-calendar.ts';

const france = calendarFor('FR');

describe('France 2026: public holidays from date-holidays', () => {
  it('knows every French public holiday of 2026, and only those', () => {
    expect([...france.holidaysOf(2026)].sort()).toEqual([
      '2026-01-01', // New Year
      '2026-04-06', // Easter Monday
      '2026-05-01', // Labour Day
      '2026-05-08', // Victory in Europe
      '2026-05-14', // Ascension
      '2026-05-25', // Whit Monday (Whit Sunday is an observance: not counted, and a Sunday anyway)
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it.each([
    ['2026-05-22', true, 'a Friday'],
    ['2026-05-23', false, 'a Saturday'],
    ['2026-05-24', false, 'a Sunday (Whit Sunday)'],
    ['2026-05-25', false, 'Whit Monday'],
    ['2026-05-26', true, 'a Tuesday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-04-03', true, 'Good Friday: not a holiday in France (only in Alsace-Moselle)'],
    ['2026-07-14', false, 'Bastille Day, a Tuesday'],
    ['2026-08-15', false, 'Assumption, a Saturday'],
    ['2026-12-24', true, 'Christmas Eve'],
    ['2026-12-25', false, 'Christmas'],
  ])('%s is a business day: %s (%s)', (day, expected) => {
    expect(france.isBusinessDay(day)).toBe(expected);
  });
});

describe('counting business days', () => {
  it.each([
    ['2026-05-22', 1, '2026-05-26', 'Friday + 1 before Whit Monday is Tuesday'],
    ['2026-05-13', 1, '2026-05-15', 'the day before Ascension + 1 is the Friday'],
    ['2026-04-30', 1, '2026-05-04', 'Thursday 30 April + 1 steps over 1 May and the weekend'],
    ['2026-05-07', 1, '2026-05-11', 'Thursday 7 May + 1 steps over 8 May and the weekend'],
    ['2026-05-23', 0, '2026-05-23', '+ 0 is the day itself, business day or not'],
    ['2026-05-23', 1, '2026-05-26', 'Saturday + 1 is Tuesday after Whit Monday'],
    ['2026-05-26', -1, '2026-05-22', 'Tuesday - 1 is the Friday before Whit Monday'],
    ['2026-12-24', 2, '2026-12-29', 'Christmas Eve + 2: Christmas and the weekend skipped'],
    ['2025-12-31', 1, '2026-01-02', 'across the new year'],
    ['1969-12-31', 1, '1970-01-02', 'before 1970 too (weekdays from day numbers below zero): Wednesday + 1 steps over New Year'],
    ['1969-12-26', 1, '1969-12-29', 'Friday 26 December 1969 + 1 is the Monday'],
  ])('%s + %i business days = %s (%s)', (day, count, expected) => {
    expect(france.addBusinessDays(day, count)).toBe(expected);
  });

  it.each([
    ['2026-05-22', '2026-05-26', 1, 'Friday to the Tuesday after Whit Monday'],
    ['2026-05-22', '2026-05-25', 0, 'Friday to Whit Monday'],
    ['2026-05-22', '2026-05-22', 0, 'the same day'],
    ['2026-05-18', '2026-05-29', 8, 'two weeks less Whit Monday, counted after the Monday'],
    ['2026-05-26', '2026-05-22', -1, 'backwards'],
    ['2026-07-10', '2026-07-17', 4, 'a week with 14 July'],
  ])('from %s to %s: %i business days (%s)', (from, to, expected) => {
    expect(france.businessDaysBetween(from, to)).toBe(expected);
  });
});

describe('other countries', () => {
  it.each([
    ['DE', '2026-10-03', false, 'German Unity Day (a Saturday anyway)'],
    ['DE', '2026-04-03', false, 'Good Friday'],
    ['DE', '2026-12-26', false, 'St Stephen’s Day'],
    ['DE', '2026-05-08', true, '8 May is French, not German'],
    ['DE', '2026-07-14', true, '14 July is French, not German'],
    ['BE', '2026-07-21', false, 'Belgian National Day'],
    ['BE', '2026-07-14', true, '14 July is a working day in Belgium'],
    ['BE', '2026-05-08', true, '8 May is a working day in Belgium'],
    ['FR', '2026-07-21', true, 'Belgian National Day is a working day in France'],
    ['IL', '2026-04-02', false, 'Passover'],
    ['IL', '2026-04-01', true, 'the eve of Passover, when the holiday starts at sunset'],
  ])('%s %s is a business day: %s (%s)', (country, day, expected) => {
    expect(calendarFor(country).isBusinessDay(day)).toBe(expected);
  });

  it.each([
    ['KR', ['2026-02-17', '2026-02-18', '2026-02-19'], 'Seollal, three days'],
    ['KR', ['2026-09-24', '2026-09-25'], 'Chuseok, Thursday to Saturday'],
    ['SZ', ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01'], 'Incwala, into the next year'],
  ])('%s: every day a holiday of several days lasts is off: %j (%s)', (country, days) => {
    const calendar = calendarFor(country);
    expect(days.filter((day) => calendar.isBusinessDay(day))).toEqual([]);
  });

  it('counts a holiday of several days in full: DHL to Korea, Friday 13 to Monday 23 February 2026 is 3 business days, not 5', () => {
    expect(calendarFor('KR').businessDaysBetween('2026-02-13', '2026-02-23')).toBe(3);
    expect(calendarFor('KR').isBusinessDay('2026-02-20')).toBe(true);
  });

  it('counts in the country of destination: Friday 2 April + 1 is Monday in France, Tuesday in Germany (Good Friday, Easter Monday)', () => {
    expect(calendarFor('FR').addBusinessDays('2026-04-02', 1)).toBe('2026-04-03');
    expect(calendarFor('DE').addBusinessDays('2026-04-02', 1)).toBe('2026-04-07');
  });

  it.each([
    ['FR', 'Europe/Paris'],
    ['de', 'Europe/Berlin'],
    ['BE', 'Europe/Brussels'],
    ['US', 'America/New_York'],
    ['ES', 'Europe/Madrid'],
    ['RE', 'Indian/Reunion'],
  ])('%s reads days in %s (a country with several zones: its first, the capital’s)', (country, zone) => {
    expect(calendarFor(country).timeZone).toBe(zone);
  });

  it('a country without holiday data keeps weekends only, in UTC, and says so', () => {
    const nowhere = new BusinessCalendar('XX');
    expect(nowhere.knowsHolidays).toBe(false);
    expect(nowhere.timeZone).toBe('UTC');
    expect(nowhere.isBusinessDay('2026-12-25')).toBe(true);
    expect(nowhere.isBusinessDay('2026-12-26')).toBe(false);
  });
});

describe('time zones: days are the destination country’s', () => {
  it.each([
    ['2026-05-22T21:30:00Z', '2026-05-22', 'Friday 23:30 in Paris (summer time) is Friday'],
    ['2026-05-22T22:30:00Z', '2026-05-23', '00:30 in Paris on Saturday is Saturday, although still Friday in UTC'],
    ['2026-01-09T22:30:00Z', '2026-01-09', 'Friday 23:30 in Paris in winter is still Friday'],
    ['2026-01-09T23:30:00Z', '2026-01-10', '00:30 in Paris in winter is Saturday'],
    ['2026-03-28T23:30:00Z', '2026-03-29', 'the night summer time starts: 00:30 winter time, Sunday'],
    ['2026-10-24T22:30:00Z', '2026-10-25', 'the night winter time starts: 00:30 summer time, Sunday'],
    ['2026-10-25T22:30:00Z', '2026-10-25', 'the evening after it: 23:30 winter time, still Sunday'],
  ])('%s is %s in France (%s)', (instant, day) => {
    expect(france.dayOf(new Date(instant))).toBe(day);
  });

  it.each([
    ['2026-03-27', '09:00', '2026-03-27T08:00:00.000Z', 'winter time: UTC+1'],
    ['2026-03-30', '09:00', '2026-03-30T07:00:00.000Z', 'the Monday after summer time starts: UTC+2'],
    ['2026-10-26', '09:00', '2026-10-26T08:00:00.000Z', 'the Monday after winter time starts: UTC+1'],
    ['2026-05-26', '00:00', '2026-05-25T22:00:00.000Z', 'midnight in summer'],
  ])('%s at %s in Paris is %s (%s)', (day, hhmm, expected) => {
    expect(france.at(day, hhmm).toISOString()).toBe(expected);
  });

  it('in New York, 09:00 is 13:00 UTC in summer and 14:00 UTC in winter', () => {
    const us = calendarFor('US');
    expect(us.at('2026-07-15', '09:00').toISOString()).toBe('2026-07-15T13:00:00.000Z');
    expect(us.at('2026-01-15', '09:00').toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('the start of the next business day at 09:00 local: from a Friday night before Whit Monday to Tuesday', () => {
    expect(france.startOfNextBusinessDay(new Date('2026-05-22T21:30:00Z'), '09:00').toISOString()).toBe('2026-05-26T07:00:00.000Z');
    // 00:30 on Saturday in Paris is Friday in UTC: the next business day is still Tuesday.
    expect(france.startOfNextBusinessDay(new Date('2026-05-22T22:30:00Z'), '09:00').toISOString()).toBe('2026-05-26T07:00:00.000Z');
  });
});

describe('business hours between two instants', () => {
  it.each([
    ['2026-05-22T16:00:00Z', '2026-05-26T08:00:00Z', 16, 'Friday 18:00 to Tuesday 10:00 in Paris: 6 h Friday, Whit Monday and the weekend skipped, 10 h Tuesday'],
    ['2026-05-19T08:00:00Z', '2026-05-20T08:00:00Z', 24, 'a whole weekday, night included'],
    ['2026-05-23T08:00:00Z', '2026-05-24T20:00:00Z', 0, 'a weekend'],
    ['2026-03-27T23:00:00Z', '2026-03-30T22:00:00Z', 24, 'over the weekend summer time starts: Monday alone counts'],
    ['2026-05-20T08:00:00Z', '2026-05-19T08:00:00Z', 0, 'backwards'],
  ])('%s -> %s: %i hours (%s)', (from, to, hours) => {
    expect(france.businessHoursBetween(new Date(from), new Date(to))).toBe(hours);
  });
});
