import { describe, expect, it } from 'vitest';
import { CLAIM_STATUS_LABELS, CLAIM_TYPE_LABELS } from '../../fixtures/relay-portal/claims.ts';
import { EVENT_LABELS } from '../../fixtures/relay-portal/event-codes.ts';
import { CLAIM_STATUSES, CLAIM_TYPES } from '../../src/domain/claim.ts';
import { STATUS_REASONS } from '../../src/domain/status-reason.ts';
import { isTerminalStatus, TRACKING_STATUSES } from '../../src/domain/tracking-status.ts';
import { mapClaimStatusLabel, mapClaimTypeLabel, mapRelayCode } from './status-map.ts';

describe('the relay status map', () => {
  it.each(Object.keys(EVENT_LABELS))('maps %s, which the portal shows, into the taxonomy', (code) => {
    const mapping = mapRelayCode(code);
    expect(mapping).toBeDefined();
    expect(TRACKING_STATUSES).toContain(mapping!.status);
    if (mapping!.reason) expect(STATUS_REASONS).toContain(mapping!.reason);
    // A status the domain calls terminal is final on this portal too.
    if (isTerminalStatus(mapping!.status)) expect(mapping!.final).toBe(true);
  });

  it.each([
    ['COL', { status: 'delivered', final: true }],
    ['RTS', { status: 'return_to_sender', reason: 'carrier_returned_to_sender', final: true }],
    ['NCL', { status: 'return_to_sender', reason: 'consignee_not_collected' }],
    ['RLC', { status: 'delivery_delayed', reason: 'consignee_business_closed' }],
    ['LST', { status: 'lost', reason: 'carrier_parcel_lost', final: true }],
    ['DMG', { status: 'damaged', reason: 'carrier_damaged_parcel' }],
  ])('reads %s as %j', (code, mapping) => {
    expect(mapRelayCode(code)).toEqual(mapping);
  });

  it('knows no other code, and does not read inherited names as codes', () => {
    expect(mapRelayCode('XFR')).toBeUndefined();
    expect(mapRelayCode('toString')).toBeUndefined();
  });

  it('maps every claim status and type label the portal writes', () => {
    for (const status of CLAIM_STATUSES) expect(mapClaimStatusLabel(CLAIM_STATUS_LABELS[status])).toBe(status);
    for (const type of CLAIM_TYPES) expect(mapClaimTypeLabel(CLAIM_TYPE_LABELS[type])).toBe(type);
    expect(mapClaimStatusLabel('Closed')).toBeUndefined();
    expect(mapClaimTypeLabel('constructor')).toBeUndefined();
  });
});
