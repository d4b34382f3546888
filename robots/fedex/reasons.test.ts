import { describe, expect, it } from 'vitest';
import { reasonFor } from './reasons.ts';

describe('reasonFor', () => {
  // Texts from real scans (karrio fixtures) and the Track OpenAPI examples, then plausible ones.
  it.each([
    ['Customer not available or business closed', 'consignee_not_home'],
    ['Business closed', 'consignee_business_closed'],
    ['Refused by recipient', 'consignee_refused'],
    ['Incorrect address - Apartment number or suite missing', 'consignee_incorrect_address'],
    ['Unable to locate recipient', 'consignee_incorrect_address'],
    ['Package damaged', 'carrier_damaged_parcel'],
    ['Weather delay', 'weather_delay'],
    ['Import duties and taxes due', 'customs_duties_unpaid'],
    ['Import documentation required', 'customs_documentation'],
    ['Package available for clearance', 'customs_delay'],
    ['Package delayed', undefined],
    ['FedEx redirected your package to a nearby FedEx location', undefined],
  ])('reads %j as %s', (description, reason) => {
    expect(reasonFor('delivery_failed', undefined, { descriptions: [description] })).toBe(reason);
  });

  it.each([
    ['WEATHER', 'weather_delay'],
    ['CLEARANCE', 'customs_delay'],
    ['OPERATIONAL', 'carrier_incident'],
    ['LOCAL', undefined],
    ['GENERAL', undefined],
    ['SNOWSTORM', undefined],
  ])('reads delayDetail.type %s as %s', (delayType, reason) => {
    expect(reasonFor('delivery_delayed', undefined, { descriptions: [], delayType })).toBe(reason);
  });

  it("prefers the texts, then the delay type, then the code's own reason", () => {
    expect(reasonFor('delivery_delayed', 'carrier_incident', { descriptions: ['Weather delay'], delayType: 'OPERATIONAL' })).toBe('weather_delay');
    expect(reasonFor('delivery_delayed', 'carrier_incident', { descriptions: ['Package delayed'], delayType: 'CLEARANCE' })).toBe('customs_delay');
    expect(reasonFor('delivery_delayed', 'carrier_incident', { descriptions: [] })).toBe('carrier_incident');
  });

  it("keeps the code's reason where the cause does not matter (a label, a delivery)", () => {
    expect(reasonFor('pending', 'retailer_label_created', { descriptions: ['Customer not available'] })).toBe('retailer_label_created');
    expect(reasonFor('delivered', undefined, { descriptions: ['Left at front door. Package delivered to residence'], delayType: 'WEATHER' })).toBeUndefined();
  });
});
