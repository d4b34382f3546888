import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberFor as dhlNumber } from '../../fixtures/dhl/testing.ts';
import { numberFor as fedexNumber } from '../../fixtures/fedex/testing.ts';
import { numberFor as laposteNumber } from '../../fixtures/laposte/testing.ts';
import { numberFor as upsNumber } from '../../fixtures/ups/testing.ts';
import type { Evidence } from '../robot-kit/index.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

/**
 * A carrier answers a delivered parcel's look-up with a body the robot cannot read (the
 * simulator's `invalid-json`, cut in the middle, and `wrong-shape`): the exception opened keeps
 * the body as evidence, without the names and streets the answer carries, but with what a person
 * needs to see what went wrong (the status, the field names, the codes, the tracking number).
 */
const CARRIERS = [
  { carrier: 'dhl', number: dhlNumber('express-delivered'), personal: ['DUBOIS'], kept: ['"proofOfDelivery"', '"signed"', '"statusCode":"delivered"'] },
  { carrier: 'ups', number: upsNumber('delivered'), personal: ['MARTIN', 'RUE DES ECOLES'], kept: ['"packageAddress"', '"attentionName"', '"receivedBy"', '"statusCode":"011"'] },
  { carrier: 'fedex', number: fedexNumber('delivered-late'), personal: ['MARTIN', 'RUE DES ECOLES'], kept: ['"recipientInformation"', '"streetLines"', '"receivedByName"', '"derivedCode":"DL"'] },
  // Suivi v2 documents no personal field: its evidence is checked to keep what matters.
  { carrier: 'laposte', number: laposteNumber('delivered'), personal: [], kept: ['"idShip"', '"returnCode":200', '"code":"DI1"'] },
] as const;

describe('evidence of a carrier answer the robot cannot read', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await startTestWorld({ env: { DHL_RATE_LIMIT: 'off', UPS_RATE_LIMIT: 'off', FEDEX_RATE_LIMIT: 'off', LAPOSTE_RATE_LIMIT: 'off' } });
  });
  afterAll(async () => world?.close());

  /** Looks `number` up with `fault` on its simulator; the evidence of the exception it opened. */
  async function evidenceOfFault(carrier: (typeof CARRIERS)[number]['carrier'], number: string, fault: 'invalid-json' | 'wrong-shape'): Promise<Evidence> {
    const { app, fixtures, db } = world;
    fixtures[carrier].setFaults({ fault });
    const events = await app.queues.queueEvents(carrier, 'agents');
    const job = await app.queues.addAgentLookup(carrier, number, 'agent-1');
    const workers = app.startWorkers([carrier], 1);
    try {
      await job.waitUntilFinished(events, 20_000).catch(() => undefined);
    } finally {
      await workers.close();
      fixtures[carrier].setFaults({});
    }
    const [exception] = await db.query<{ code: string; evidence: Evidence }>('select code, evidence from exceptions where job_id = $1', [job.id]);
    expect(exception?.code).toBe('CARRIER_BAD_PAYLOAD');
    return exception!.evidence;
  }

  it.each(CARRIERS)('$carrier: no name or street, the shape and codes kept', async ({ carrier, number, personal, kept }) => {
    const wrongShape = await evidenceOfFault(carrier, number, 'wrong-shape');
    const cut = await evidenceOfFault(carrier, number, 'invalid-json');
    for (const evidence of [wrongShape, cut]) {
      expect(evidence.status).toBe(200);
      for (const value of personal) expect(evidence.body).not.toContain(value);
    }
    for (const text of kept) expect(wrongShape.body).toContain(text);
    expect(wrongShape.body).toContain(number);
    expect(cut.body).toContain(number);
  });
});
