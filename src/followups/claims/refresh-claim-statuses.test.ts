import { afterAll, describe, expect, it } from 'vitest';
import { capturedLogger, storedShipment } from '../../../fixtures/testing/follow-up-context.ts';
import { numberFor } from '../../../fixtures/relay-portal/testing.ts';
import { startTestWorld } from '../../testing/test-app.ts';
import { refreshClaimStatuses } from './refresh-claim-statuses.ts';

/**
 * What a sweep does when a carrier cannot be asked: here the relay portal's password is not set.
 * (Statuses read from the portal itself are tested in real Chromium: src/followups/through-relay-portal.test.ts.)
 */
const world = await startTestWorld({ env: { RELAY_PORTAL_PASSWORD: '' } });
const store = await world.app.store();
afterAll(() => world.close());

describe('refreshClaimStatuses', () => {
  it('reports a carrier that fails and goes on with the others, changing nothing', async () => {
    const relay = await storedShipment(world, { trackingNumber: numberFor('lost'), carrier: 'relay-portal', customerLang: 'fr', destinationCountry: 'FR' });
    const ups = await storedShipment(world, { trackingNumber: '1Z999AA10123456784', carrier: 'ups', customerLang: 'fr', destinationCountry: 'FR' });
    const now = world.clock.now();
    const base = { type: 'lost', filedVia: 'portal', status: 'submitted' } as const;
    await store.claims.record({ ...base, followUpId: 'a', shipmentId: relay.id, carrier: 'relay-portal', trackingNumber: relay.trackingNumber, reference: 'CLM-2026-000001' }, now);
    await store.claims.record({ ...base, followUpId: 'b', shipmentId: ups.id, carrier: 'ups', trackingNumber: ups.trackingNumber, reference: 'UPS-1' }, now);
    await store.claims.record({ ...base, followUpId: 'c', shipmentId: relay.id, carrier: 'relay-portal', trackingNumber: relay.trackingNumber, status: 'to_file', reference: undefined, filedVia: 'agent' }, now);
    const { logger, lines } = capturedLogger();

    expect(await refreshClaimStatuses({ store, robot: world.app.robot, clock: world.clock, logger })).toEqual({
      asked: 1,
      changed: [],
      notListed: [],
      unsupported: ['ups'],
      failed: [{ carrier: 'relay-portal', code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(/^RELAY_PORTAL_PASSWORD not set/) }],
    });
    expect((await store.claims.listOpen()).map((claim) => [claim.reference, claim.status, claim.lastCheckedAt])).toEqual([
      ['CLM-2026-000001', 'submitted', undefined],
      ['UPS-1', 'submitted', undefined],
    ]);
    expect(lines.join('')).toContain('claim statuses not read');
  });
});
