import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ADDRESSES } from '../../fixtures/colissimo/testing.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { readPdf } from '../../fixtures/testing/pdf-text.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import type { ReturnParties } from '../../src/domain/return-label.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import colissimo from './index.ts';

/** The robot over real HTTP (undici) against the Colissimo simulator, both on one frozen clock. */
const START = '2026-03-10T09:00:00+01:00';
const http = createHttpClient();
const { server, clock } = await useFixtureServer('colissimo', START);
const simulator = server.colissimo;
afterAll(() => http.close());

const { customerParis, customerBrussels, merchantLyon } = TEST_ADDRESSES;
const parties: ReturnParties = { customer: customerParis, merchant: merchantLyon, orderRef: 'CMD-1001' };

function robot(env: Record<string, string | undefined> = {}) {
  const settings = Object.fromEntries(Object.entries({ ...server.env, ...env }).filter(([, value]) => value !== undefined));
  return colissimo.create(testRobotContext({ http, clock, tokens: keyOnlyTokens('Colissimo') }), colissimo.config.parse(settings));
}

describe('return labels from the Colissimo web service', () => {
  it('makes a CORE label: a valid PDF holding its 8R return number, sent by the customer to the merchant', async () => {
    const label = await robot().returnLabel('6A12345678901', parties);
    expect(label).toMatchObject({ returnTrackingNumber: '8R90000000001', fileName: 'colissimo-return-8R90000000001.pdf' });
    const { pdf, text } = await readPdf(label.pdf);
    expect(pdf.getTitle()).toBe('Colissimo return label 8R90000000001');
    expect(text).toContain('8R90000000001');
    expect(text).toContain('Camille Martin');
    expect(text).toContain('69002 Lyon FR');
    expect(text).toContain('Réf. 6A12345678901');
    expect(simulator.labels().map(({ order }) => order)).toEqual([
      expect.objectContaining({ productCode: 'CORE', depositDate: '2026-03-10', weight: 1, orderNumber: 'CMD-1001', addresseeParcelRef: '6A12345678901' }),
    ]);
  });

  it('makes a CORI label for a customer abroad, with the configured default weight', async () => {
    await robot({ COLISSIMO_DEFAULT_WEIGHT_KG: '2.5' }).returnLabel('CB123456789FR', { customer: customerBrussels, merchant: merchantLyon });
    expect(simulator.labels()[0]?.order).toMatchObject({ productCode: 'CORI', weight: 2.5, sender: { countryCode: 'BE' } });
  });

  it('makes a new label at each call: the service has no idempotency key', async () => {
    const relabel = robot();
    const numbers = [await relabel.returnLabel('6A12345678901', parties), await relabel.returnLabel('6A12345678901', parties)].map((label) => label.returnTrackingNumber);
    expect(numbers).toEqual(['8R90000000001', '8R90000000002']);
    expect(simulator.stats().labelsByProduct).toEqual({ CORE: 2 });
  });
});

describe('what goes wrong, classified', () => {
  it.each([
    { name: 'a wrong password', env: { COLISSIMO_PASSWORD: 'wrong' }, code: 'CARRIER_AUTH_REFUSED', message: /\[30000\] Identifiant ou mot de passe incorrect/ },
    { name: 'the service unreachable', env: { COLISSIMO_LABEL_URL: 'http://127.0.0.1:9' }, code: 'CARRIER_NETWORK_ERROR', message: /cannot reach 127.0.0.1:9/ },
    { name: 'no contract configured', env: { COLISSIMO_CONTRACT_NUMBER: undefined }, code: 'ROBOT_NOT_CONFIGURED', message: /^COLISSIMO_CONTRACT_NUMBER not set/ },
  ])('$name: $code', async ({ env, code, message }) => {
    const error = await rejectionOf(robot(env).returnLabel('6A12345678901', parties));
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(JSON.stringify(error.evidence ?? {})).not.toContain('demo-colissimo-ws');
  });

  it('a field the service requires, missing: CARRIER_BAD_REQUEST naming it', async () => {
    const error = await rejectionOf(robot().returnLabel('6A12345678901', { ...parties, customer: { ...customerParis, city: ' ' } }));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_REQUEST', message: 'Colissimo refused the label request: [30100] Le champ letter.sender.address.city est obligatoire' });
  });

  it('no addresses given (a robot asked like a portal): CARRIER_BAD_REQUEST before any call', async () => {
    expect(await rejectionOf(robot().returnLabel('6A12345678901'))).toMatchObject({ code: 'CARRIER_BAD_REQUEST' });
    expect(simulator.stats().totalCalls).toBe(0);
  });

  it.each([
    { fault: 'http-500', code: 'CARRIER_UNAVAILABLE' },
    { fault: 'http-503', code: 'CARRIER_UNAVAILABLE' },
    { fault: 'invalid-json', code: 'CARRIER_BAD_PAYLOAD' },
    { fault: 'wrong-shape', code: 'CARRIER_BAD_PAYLOAD' },
    { fault: 'missing-label', code: 'CARRIER_BAD_PAYLOAD' },
  ] as const)('fault $fault: $code', async ({ fault, code }) => {
    simulator.setFaults({ fault });
    expect((await rejectionOf(robot().returnLabel('6A12345678901', parties))).code).toBe(code);
  });

  it('an answer that does not come in time: CARRIER_TIMEOUT', async () => {
    simulator.setFaults({ fault: 'timeout', holdMs: 5_000 });
    expect((await rejectionOf(robot({ COLISSIMO_TIMEOUT_MS: '200' }).returnLabel('6A12345678901', parties))).code).toBe('CARRIER_TIMEOUT');
    expect(simulator.stats().heldCalls).toBe(1);
  });
});

describe('the robot declaration', () => {
  it('tracks nothing: it declares no track capability and no number check', () => {
    expect(colissimo.checkTrackingNumber).toBeUndefined();
    expect(colissimo.capabilities.track).toBeUndefined();
  });

  it('defaults to the real service', () => {
    expect(colissimo.config.parse({}).COLISSIMO_LABEL_URL).toBe('https://ws.colissimo.fr');
  });
});
