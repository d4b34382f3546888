import { describe, expect, it } from 'vitest';
import { STATUS_REASONS } from '../../src/domain/status-reason.ts';
import { isTrackingStatus } from '../../src/domain/tracking-status.ts';
import { mapLaPosteCode } from './status-map.ts';

/** carrier-apis.md 2.5: the reference table, then the codes seen only in third-party code. */
const EXPECTED = [
  ['DR1', 'pending', 'retailer_label_created'],
  ['PC1', 'picked_up', undefined],
  ['PC2', 'picked_up', undefined],
  ['ET1', 'in_transit', undefined],
  ['ET2', 'in_transit', undefined],
  ['ET3', 'in_transit', undefined],
  ['ET4', 'in_transit', undefined],
  ['EP1', 'in_transit', undefined],
  ['DO1', 'in_transit', undefined],
  ['DO2', 'in_transit', undefined],
  ['DO3', 'on_hold', 'customs_delay'],
  ['PB1', 'delivery_delayed', 'carrier_incident'],
  ['PB2', 'in_transit', undefined],
  ['MD2', 'out_for_delivery', undefined],
  ['ND1', 'delivery_failed', undefined],
  ['AG1', 'ready_for_pickup', undefined],
  ['RE1', 'return_to_sender', undefined],
  ['DI1', 'delivered', undefined],
  ['DI2', 'return_to_sender', 'carrier_returned_to_sender'],
  ['DI0', 'delivered', undefined],
  ['DI3', 'delivery_failed', undefined],
  ['AN1', 'delivery_failed', 'carrier_address_not_found'],
] as const;

describe('mapLaPosteCode', () => {
  it.each(EXPECTED)('maps %s to %s (reason %s)', (code, status, reason) => {
    const mapping = mapLaPosteCode(code);
    expect(mapping).toEqual(reason === undefined ? { status } : { status, reason });
    expect(isTrackingStatus(mapping?.status ?? 'missing')).toBe(true);
    if (mapping?.reason !== undefined) expect(STATUS_REASONS).toContain(mapping.reason);
  });

  it('keeps ET1 (sorting) apart from MD2 (on the round), unlike karrio', () => {
    expect(mapLaPosteCode('ET1')?.status).not.toBe('out_for_delivery');
    expect(mapLaPosteCode('MD2')?.status).toBe('out_for_delivery');
  });

  it.each(['QX1', 'di1', '', 'constructor', 'toString', '__proto__'])('knows nothing of %j', (code) => {
    expect(mapLaPosteCode(code)).toBeUndefined();
  });
});
