import { afterAll, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import laposte from './index.ts';

/** The robot over real HTTP (undici) against the La Poste simulator, both on one frozen clock. */
const http = createHttpClient();
const { server, clock } = await useFixtureServer('laposte', '2024-07-10T10:00:00Z');
afterAll(() => http.close());

function robot(env: Record<string, string> = {}) {
  const context = testRobotContext({ http, clock, tokens: keyOnlyTokens('La Poste') });
  return laposte.create(context, laposte.config.parse({ ...server.env, ...env }));
}

const UNKNOWN = '6A99999999999';
const NOT_YET_AVAILABLE = /^La Poste does not know this number: "Votre suivi n'est pas encore disponible\. /;

describe('numbers La Poste does not know', () => {
  it('reads returnCode 104 alone (HTTP 404) as not found, with La Poste\'s message', async () => {
    server.laposte.configure({ notFoundCode: 104 });
    const [outcome] = await robot().track([UNKNOWN]);
    expect(outcome).toEqual({ trackingNumber: UNKNOWN, kind: 'not_found', message: expect.stringMatching(NOT_YET_AVAILABLE) });
  });

  it('keeps the parcel found next to a 104 in a 207', async () => {
    server.laposte.configure({ notFoundCode: 104 });
    const [found, notYet] = await robot().track([numberFor('delivered'), UNKNOWN]);
    expect(found).toMatchObject({ kind: 'found', snapshot: { trackingNumber: numberFor('delivered'), status: 'delivered' } });
    expect(notYet).toEqual({ trackingNumber: UNKNOWN, kind: 'not_found', message: expect.stringMatching(NOT_YET_AVAILABLE) });
    expect(server.laposte.stats().byStatus).toEqual({ 207: 1 });
  });

  it('reads the recorded returnCode 404 and an invalid number item by item in a 207', async () => {
    const outcomes = await robot().track([numberFor('in-transit'), UNKNOWN, 'ABC']);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['found', 'not_found', 'rejected']);
  });
});

describe('LAPOSTE_LANG', () => {
  it('asks for en_GB and gets English labels', async () => {
    const [outcome] = await robot({ LAPOSTE_LANG: 'en_GB' }).track([numberFor('delivered')]);
    expect(outcome?.kind === 'found' && outcome.snapshot.events[0]?.label).toBe('Your parcel has been delivered.');
  });
});
