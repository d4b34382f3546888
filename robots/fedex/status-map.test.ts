import { describe, expect, it } from 'vitest';
import { STATUS_REASONS } from '../../src/domain/status-reason.ts';
import { isTrackingStatus } from '../../src/domain/tracking-status.ts';
import { FEDEX_MAPPED_CODES, mapFedExCode } from './status-map.ts';

/** carrier-apis.md 5.4: the appendix's movement and regulatory codes, then the ones seen in real payloads. */
const EXPECTED = [
  ['AA', 'in_transit', undefined],
  ['AC', 'in_transit', undefined],
  ['AD', 'out_for_delivery', undefined],
  ['AF', 'in_transit', undefined],
  ['AO', 'in_transit', undefined],
  ['AP', 'pending', undefined],
  ['AR', 'in_transit', undefined],
  ['AX', 'in_transit', undefined],
  ['CA', 'cancelled', undefined],
  ['CH', 'in_transit', undefined],
  ['DD', 'delivery_delayed', undefined],
  ['DE', 'delivery_failed', undefined],
  ['DL', 'delivered', undefined],
  ['DP', 'in_transit', undefined],
  ['DR', 'pending', undefined],
  ['DS', 'pending', undefined],
  ['DY', 'delivery_delayed', undefined],
  ['EA', 'in_transit', undefined],
  ['ED', 'out_for_delivery', undefined],
  ['EO', 'in_transit', undefined],
  ['EP', 'pending', undefined],
  ['FD', 'in_transit', undefined],
  ['HL', 'ready_for_pickup', undefined],
  ['HP', 'ready_for_pickup', undefined],
  ['IT', 'in_transit', undefined],
  ['IX', 'in_transit', undefined],
  ['LO', 'in_transit', undefined],
  ['OC', 'pending', 'retailer_label_created'],
  ['OD', 'out_for_delivery', undefined],
  ['OF', 'in_transit', undefined],
  ['Ow', 'in_transit', undefined],
  ['OX', 'in_transit', undefined],
  ['PD', 'delivery_delayed', undefined],
  ['PF', 'in_transit', undefined],
  ['PL', 'in_transit', undefined],
  ['PM', 'in_transit', undefined],
  ['PU', 'picked_up', undefined],
  ['PX', 'picked_up', undefined],
  ['RR', 'in_transit', undefined],
  ['RM', 'in_transit', undefined],
  ['RC', 'in_transit', undefined],
  ['RS', 'return_to_sender', undefined],
  ['RP', 'pending', 'retailer_label_created'],
  ['LP', 'cancelled', undefined],
  ['RG', 'pending', 'retailer_label_created'],
  ['RD', 'cancelled', undefined],
  ['SE', 'delivery_delayed', 'carrier_incident'],
  ['SF', 'in_transit', undefined],
  ['SP', 'in_transit', undefined],
  ['TR', 'in_transit', undefined],
  ['CC', 'in_transit', undefined],
  ['CD', 'on_hold', 'customs_delay'],
  ['CP', 'in_transit', undefined],
  ['AE', 'in_transit', undefined],
  ['IN', 'pending', 'retailer_label_created'],
  ['RL', 'delivery_delayed', undefined],
] as const;

describe('mapFedExCode', () => {
  it.each(EXPECTED)('maps %s to %s (reason %s)', (code, status, reason) => {
    const mapping = mapFedExCode(code);
    expect(mapping).toEqual(reason === undefined ? { status } : { status, reason });
    expect(isTrackingStatus(mapping?.status ?? 'missing')).toBe(true);
    if (mapping?.reason !== undefined) expect(STATUS_REASONS).toContain(mapping.reason);
  });

  it('knows exactly the expected codes', () => {
    expect([...FEDEX_MAPPED_CODES].sort()).toEqual(EXPECTED.map(([code]) => code).sort());
  });

  it.each(['ZX', 'dl', 'OW', '', 'constructor', 'toString', '__proto__'])('knows nothing of %j', (code) => {
    expect(mapFedExCode(code)).toBeUndefined();
  });
});
