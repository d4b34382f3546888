import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_ADDRESSES } from '../fixtures/colissimo/testing.ts';
import { numberFor as fedexNumber } from '../fixtures/fedex/testing.ts';
import { numberFor as laposteNumber } from '../fixtures/laposte/testing.ts';
import { numberFor as relayNumber } from '../fixtures/relay-portal/testing.ts';
import { capturedLogger } from '../fixtures/testing/follow-up-context.ts';
import { decisionOf } from '../fixtures/testing/follow-ups.ts';
import { settle } from '../fixtures/testing/queue-clock.ts';
import { numberFor as upsNumber } from '../fixtures/ups/testing.ts';
import { type ApiWorld, TEST_KEYS, cookiesOf, csrfFrom, passwordOf, startApiWorld } from './api/testing/api-world.ts';
import type { ShipmentInput } from './domain/shipment.ts';

/**
 * A realistic day, in process and logged at trace level: agents look parcels up over the API and
 * the web pages (the relay portal's robot logs in with password and authenticator code and keeps
 * its session cookie; UPS and FedEx take OAuth tokens with their client secrets), a sweep judges
 * the parcels and the follow-ups run (replacement orders, e-mails to customers, claims filed on
 * the portal, a return label with the customer's address), and things fail (a portal redesign, a
 * carrier down, wrong keys and passwords). Then every log line, every error message and every
 * piece of evidence kept is searched for the secrets and the customers' personal data.
 */
const { merchantLyon } = TEST_ADDRESSES;

const CUSTOMERS = [
  { name: 'Camille Martin-Leclerc', email: 'camille.leclerc@example.com', phone: '+33612345678', line1: '12 rue des Écoles' },
  { name: 'Hugo Delacroix-Vidal', email: 'hugo.vidal@example.net', phone: '+33698765432', line1: '7 avenue Jean Jaurès' },
  { name: 'Olivia Hughes-Bennett', email: 'olivia.bennett@example.org', phone: '+447700900123', line1: '221 Baker Street' },
  { name: 'Léa Fontaine-Roussel', email: 'lea.roussel@example.fr', phone: '+33478112233', line1: '3 place Bellecour' },
  { name: 'Ethan Miller-Grant', email: 'ethan.grant@example.com', phone: '+12025550143', line1: '1600 Pennsylvania Avenue' },
];

/** Parcels that take every road: late ones worth reshipping and claiming, a damaged one, a delivered one to send back. */
const PARCELS = [
  { trackingNumber: relayNumber('lost'), carrier: 'relay-portal', declaredValue: 129 },
  { trackingNumber: relayNumber('damaged'), carrier: 'relay-portal', declaredValue: 74.5 },
  { trackingNumber: upsNumber('lost'), carrier: 'ups', declaredValue: 349 },
  { trackingNumber: fedexNumber('delivery-exception'), carrier: 'fedex', declaredValue: 89 },
  { trackingNumber: laposteNumber('delivered'), carrier: 'laposte', declaredValue: 59 },
];

function shipmentOf(parcel: (typeof PARCELS)[number], index: number): ShipmentInput {
  const customer = CUSTOMERS[index]!;
  return {
    ...parcel,
    orderRef: `WEB-SEC-${index + 1}`,
    channel: 'web',
    customerEmail: customer.email,
    customerAddress: { name: customer.name, line1: customer.line1, postcode: '75005', city: 'Paris', country: 'FR', phone: customer.phone },
    customerLang: 'fr',
    currency: 'EUR',
    destinationCountry: 'FR',
    promisedFrom: '2026-03-02',
    promisedTo: '2026-03-03',
  };
}

/** The secrets of a configuration: keys, client secrets, passwords, tokens, the SMTP password in its URL, a portal login. */
function configuredSecrets(env: Record<string, string>): string[] {
  const secrets = Object.entries(env).flatMap(([name, value]) => {
    if (name === 'PARCELBOT_API_KEYS') return value.split(',').map((pair) => pair.slice(pair.indexOf(':') + 1));
    if (name === 'SMTP_URL') return [decodeURIComponent(new URL(value).password)];
    if (name === 'RELAY_PORTAL_LOGIN' || name === 'SELLER_PORTAL_LOGIN') return [value];
    return /(KEY|SECRET|PASSWORD|TOKEN)$/.test(name) ? [value] : [];
  });
  return secrets.filter((secret) => secret.length >= 8);
}

describe('secrets and personal data stay out of logs, errors and evidence', () => {
  const { logger, lines } = capturedLogger('trace');
  let world: ApiWorld;
  const found: { what: string; value: string }[] = [];
  let captured = '';

  beforeAll(async () => {
    world = await startApiWorld({
      logger,
      env: {
        MERCHANT_RETURN_NAME: merchantLyon.name,
        MERCHANT_RETURN_LINE1: merchantLyon.line1,
        MERCHANT_RETURN_POSTCODE: merchantLyon.postcode,
        MERCHANT_RETURN_CITY: merchantLyon.city,
        FOLLOWUP_APPROVAL_ABOVE: '10000',
        FOLLOWUP_ATTEMPTS: '2',
        FOLLOWUP_BACKOFF_MS: '20',
        PARCELBOT_METRICS_TOKEN: 'metrics-token-0f9e8d7c6b5a4321',
      },
    });
    const { app } = world;
    const store = await app.store();
    await store.shipments.upsertMany(PARCELS.map(shipmentOf), app.clock.now());
    const trackWorkers = app.startWorkers(undefined, 2);
    const workers = [trackWorkers, app.startFollowUpWorker(2)];
    let webSession = '';
    try {
      await Promise.all(trackWorkers.workers.map((worker) => worker.waitUntilReady()));
      webSession = await dayOfWork(world);
    } finally {
      for (const worker of workers) await worker.close();
    }

    // What was issued along the way, read before the world forgets it: OAuth tokens and portal cookies.
    const redis = app.redis.connect();
    const stored: string[] = [];
    for await (const keys of redis.scanStream({ match: `${app.config.core.PARCELBOT_QUEUE_PREFIX}:*tokens:*` }) as AsyncIterable<string[]>) {
      for (const key of keys) {
        const value = (await redis.get(key)) ?? '';
        // A token as issued, or a portal session: a browser's storage state or a cookie jar, each with cookie values.
        if (!value.startsWith('{')) stored.push(value);
        else for (const cookie of (JSON.parse(value) as { cookies?: { value: string }[] }).cookies ?? []) stored.push(cookie.value);
      }
    }
    await redis.quit();
    expect(stored.filter((value) => value.length >= 16).length, 'OAuth tokens and portal cookies issued').toBeGreaterThanOrEqual(3);

    const secrets = [
      ...configuredSecrets(world.env),
      ...Object.values(TEST_KEYS),
      ...['alice', 'marc', 'ada'].map(passwordOf),
      ...stored.filter((value) => value.length >= 16),
      ...webSession.split('; ').map((cookie) => cookie.slice(cookie.indexOf('=') + 1)),
    ];
    const personal = CUSTOMERS.flatMap((customer) => [customer.name, customer.email, customer.phone, customer.line1]);

    captured = [
      ...lines,
      ...(await store.db.query<{ text: string }>('select message || coalesce(evidence::text, \'\') as text from exceptions')).map((row) => row.text),
      ...(await store.db.query<{ text: string }>("select coalesce(last_error::text, '') || coalesce(result::text, '') as text from followups")).map((row) => row.text),
      ...(await store.db.query<{ text: string }>("select coalesce(details::text, '') as text from followup_audit")).map((row) => row.text),
      ...(await store.db.query<{ text: string }>("select coalesce(request::text, '') || coalesce(response::text, '') || coalesce(error, '') as text from effects")).map((row) => row.text),
      ...(await store.db.query<{ text: string }>("select coalesce(result::text, '') as text from lookups where outcome = 'failed'")).map((row) => row.text),
      ...(await failedJobReasons(world)),
    ].join('\n');
    for (const secret of secrets) if (captured.includes(secret)) found.push({ what: 'secret', value: secret });
    for (const data of personal) if (captured.toLowerCase().includes(data.toLowerCase())) found.push({ what: 'personal data', value: data });
  }, 240_000);

  afterAll(async () => world?.close());

  it('the day did happen, and what it wrote was captured: logs, exceptions with their evidence, follow-ups done', async () => {
    expect(lines.length).toBeGreaterThan(50);
    // Logs name ids; results, errors and evidence name orders and parcels, right next to where personal data would be.
    for (const { trackingNumber } of [...PARCELS.slice(0, 4), { trackingNumber: relayNumber('ready-for-pickup') }, { trackingNumber: upsNumber('delivered') }]) expect(captured).toContain(trackingNumber);
    for (const order of ['WEB-SEC-1', 'WEB-SEC-2', 'WEB-SEC-3', 'WEB-SEC-4']) expect(captured).toContain(order);
    // The portal's page showed the account's login: the evidence has it blanked.
    expect(captured).toMatch(/Signed in as <span [^>]*>\[blanked\]<\/span>/);
    const store = await world.app.store();
    const codes = (await store.db.query<{ code: string }>('select distinct code from exceptions order by code')).map((row) => row.code);
    expect(codes).toEqual(expect.arrayContaining(['PORTAL_LAYOUT_CHANGED', 'CARRIER_UNAVAILABLE']));
    const done = await store.db.query<{ kind: string }>("select distinct kind from followups where state = 'done' order by kind");
    expect(done.map((row) => row.kind)).toEqual(expect.arrayContaining(['carrier_claim', 'customer_email', 'reshipment', 'return_label']));
    expect(world.fixtures.smtp.messages().length).toBeGreaterThan(0);
  });

  it('holds no key, client secret, token, password, cookie, nor any customer e-mail, name, phone or street', () => {
    expect(found).toEqual([]);
  });
});

/** Why each job of every queue failed for good, as BullMQ keeps it (message and stack). */
async function failedJobReasons(world: ApiWorld): Promise<string[]> {
  const queues = [...world.app.queues.queuesOf(world.app.registry.trackers().map((robot) => robot.id)), world.app.followUps.queue.queue];
  const failed = await Promise.all(queues.map((queue) => queue.getFailed()));
  return failed.flat().map((job) => `${job.failedReason}\n${(job.stacktrace ?? []).join('\n')}`);
}

/** Look-ups over the API and the pages, a sweep over the API, the follow-ups it decided, failures. Returns the agent's web session cookies. */
async function dayOfWork(world: ApiWorld): Promise<string> {
  const { app, server } = world;
  const lookUp = async (trackingNumber: string, carrier: string) => {
    const response = await server.inject({ method: 'POST', url: '/api/lookups?wait=60', headers: world.bearer('agent'), payload: { trackingNumber, carrier } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  // Agents: the relay portal (a browser, logging in with the authenticator), UPS and FedEx (OAuth).
  for (const parcel of PARCELS.slice(0, 4)) expect((await lookUp(parcel.trackingNumber, parcel.carrier)).lookups[0]).toMatchObject({ state: 'done' });

  // An agent on the pages looks for a customer by e-mail; someone tries wrong keys and passwords.
  const agent = await world.signIn('agent');
  const page = await server.inject({ method: 'GET', url: '/agent', headers: { cookie: agent } });
  const search = await server.inject({
    method: 'POST',
    url: '/agent/search',
    headers: { cookie: cookiesOf(page, agent), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ q: CUSTOMERS[1]!.email, _csrf: csrfFrom(page.body) }).toString(),
  });
  expect(search.statusCode).toBeLessThan(400);
  expect((await server.inject({ method: 'GET', url: '/api/shipments', headers: { authorization: `Bearer ${TEST_KEYS.admin}x` } })).statusCode).toBe(401);
  expect((await server.inject({ method: 'GET', url: `/api/shipments?q=${encodeURIComponent(CUSTOMERS[0]!.email)}`, headers: world.bearer('agent') })).statusCode).toBe(200);
  expect((await server.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-0f9e8d7c6b5a4321' } })).statusCode).toBe(200);

  // The sweep judges every parcel; the rules' follow-ups run against the OMS, SMTP and the portal.
  const started = await server.inject({ method: 'POST', url: '/api/sweeps', headers: world.bearer('admin') });
  expect(started.statusCode).toBe(202);
  await vi.waitFor(
    async () => {
      const sweep = (await server.inject({ method: 'GET', url: `/api/sweeps/${started.json().id}`, headers: world.bearer('admin') })).json();
      if (sweep.state !== 'done') throw new Error(`sweep ${sweep.id} is ${sweep.state}`);
    },
    { timeout: 120_000, interval: 200 },
  );
  await settle(app, 120_000);

  // The delivered parcel goes back: a return label made with the customer's address, e-mailed.
  const store = await app.store();
  const delivered = await store.shipments.find('laposte', PARCELS[4]!.trackingNumber);
  await app.followUps.propose(delivered!, decisionOf('return_label', { ruleId: 'delivered-twice-return-label', params: { reason: 'delivered_twice' } }));
  await settle(app, 60_000);

  // Failures: the portal redesigned (evidence: the page and a screenshot), UPS down (evidence: its answer).
  world.fixtures['relay-portal'].setFaults({ fault: 'changed-layout' });
  expect((await lookUp(relayNumber('ready-for-pickup'), 'relay-portal')).lookups[0]).toMatchObject({ state: 'failed' });
  world.fixtures['relay-portal'].setFaults({});
  world.fixtures.ups.setFaults({ fault: 'http-503' });
  expect((await lookUp(upsNumber('delivered'), 'ups')).lookups[0]).toMatchObject({ state: 'failed' });
  world.fixtures.ups.setFaults({});
  return agent;
}
