import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { numberFor } from '../../../fixtures/laposte/testing.ts';
import { decisionOf, storedShipment } from '../../../fixtures/testing/follow-ups.ts';
import { type ApiWorld, cookiesOf, csrfFrom, startApiWorld } from '../testing/api-world.ts';
import { ActionOutcomes } from './action-outcomes.ts';

const HOSTILE_LABEL = '<img src=x onerror=alert(1)>';
const HOSTILE_PLACE = '</td><script>alert(2)</script>';
// The smallest valid PNG header and IHDR: enough for the route to serve it as a PNG.
const OUTCOME_URL = /^\/manager\/queue\?outcome=[\w-]{22}$/;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex').toString('base64');

describe('web pages', () => {
  let world: ApiWorld;
  let agent = '';
  let manager = '';
  beforeAll(async () => {
    world = await startApiWorld({ env: { FOLLOWUP_APPROVAL_ABOVE: '0' } });
    agent = await world.signIn('agent');
    manager = await world.signIn('manager');
  });
  afterAll(async () => world?.close());

  const get = (url: string, cookie: string) => world.server.inject({ method: 'GET', url, headers: { cookie } });
  async function post(url: string, cookie: string, fields: Record<string, string | string[]>, csrfPage = '/agent') {
    const form = new URLSearchParams({ _csrf: await world.csrfToken(cookie, csrfPage) });
    for (const [name, value] of Object.entries(fields)) for (const entry of [value].flat()) form.append(name, entry);
    return world.server.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
  }
  const shipmentId = async (trackingNumber: string) => (await (await world.app.store()).shipments.find('laposte', trackingNumber))?.id;

  describe('signing in', () => {
    it('refuses a wrong password and an unknown name alike, and keeps no session', async () => {
      for (const name of ['alice', 'nobody']) {
        const form = await world.server.inject({ method: 'GET', url: '/signin' });
        const response = await world.server.inject({
          method: 'POST',
          url: '/signin',
          headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ name, password: 'not-the-password', _csrf: csrfFrom(form.body) }).toString(),
        });
        expect(response.statusCode).toBe(401);
        expect(response.body).toContain('Wrong name or password.');
        expect(response.cookies.map((cookie) => cookie.name)).not.toContain('pb_session');
      }
    });

    it('sets a signed, httpOnly, SameSite=Strict session cookie and goes back where the user was sent from, on this site only', async () => {
      const form = await world.server.inject({ method: 'GET', url: '/signin?next=/dashboard' });
      const signIn = (next: string) =>
        world.server.inject({
          method: 'POST',
          url: '/signin',
          headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ name: 'marc', password: 'marcmarc-secret', next, _csrf: csrfFrom(form.body) }).toString(),
        });
      const response = await signIn('/dashboard');
      expect(response.headers.location).toBe('/dashboard');
      const session = response.cookies.find((cookie) => cookie.name === 'pb_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(session?.secure).toBeUndefined();
      expect((await signIn('//evil.example/phish')).headers.location).toBe('/agent');
      expect((await signIn('https://evil.example')).headers.location).toBe('/agent');
    });

    it('refuses a form posted without its CSRF token, or with a token of another user', async () => {
      const bare = await world.server.inject({ method: 'POST', url: '/agent/search', headers: { cookie: agent, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'q=CMD-1' });
      expect(bare.statusCode).toBe(403);
      expect(bare.body).toContain('the form expired');
      const foreign = await world.server.inject({
        method: 'POST',
        url: '/agent/search',
        headers: { cookie: agent, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ q: 'CMD-1', _csrf: await world.csrfToken(manager) }).toString(),
      });
      expect(foreign.statusCode).toBe(403);
    });

    it('ends a session after its lifetime and after sign-out', async () => {
      const cookie = await world.signIn('agent');
      world.clock.advance(13 * 3_600_000);
      try {
        expect((await get('/agent', cookie)).headers.location).toBe('/signin?next=%2Fagent');
      } finally {
        world.clock.advance(-13 * 3_600_000);
      }
      const out = await post('/signout', cookie, {});
      expect(out.headers.location).toBe('/signin');
      expect(out.cookies.find((cookie) => cookie.name === 'pb_session')?.value).toBe('');
    });

    it('ends a signed-out session wherever its cookie is replayed from, until it would have expired, and only that session', async () => {
      const copied = await world.signIn('agent');
      const other = await world.signIn('agent');
      expect((await get('/agent', copied)).statusCode).toBe(200);
      const redis = world.app.redis.connect();
      const endedKeys = () => redis.keys(`${world.env.PARCELBOT_QUEUE_PREFIX}:session-ended:*`);
      const endedBefore = await endedKeys();
      expect((await post('/signout', copied, {})).headers.location).toBe('/signin');
      expect((await get('/agent', copied)).headers.location).toBe('/signin?next=%2Fagent');
      expect((await world.server.inject({ method: 'GET', url: '/api/shipments', headers: { cookie: copied } })).statusCode).toBe(401);
      expect((await get('/agent', other)).statusCode).toBe(200);
      // Remembered as ended for the rest of its lifetime only, under the installation's prefix.
      try {
        const ended = (await endedKeys()).filter((key) => !endedBefore.includes(key));
        expect(ended).toHaveLength(1);
        const ttl = await redis.pttl(ended[0] ?? '');
        expect(ttl).toBeGreaterThan(11 * 3_600_000);
        expect(ttl).toBeLessThanOrEqual(12 * 3_600_000);
      } finally {
        await redis.quit();
      }
    });

    it('refuses a session cookie of the version before sessions had ids: its user signs in again', async () => {
      const tomorrow = world.clock.now().getTime() + 24 * 3_600_000;
      const cookie = `pb_session=${encodeURIComponent(world.server.signCookie(`alice|agent|${tomorrow}`))}`;
      expect((await get('/agent', cookie)).headers.location).toBe('/signin?next=%2Fagent');
    });

    it('goes back to a path holding characters a header cannot, percent-encoded, still on this site only', async () => {
      const form = await world.server.inject({ method: 'GET', url: `/signin?next=${encodeURIComponent('/agent?q=€')}` });
      expect(form.statusCode).toBe(200);
      const signIn = (next: string) =>
        world.server.inject({
          method: 'POST',
          url: '/signin',
          // From an address of its own: the other tests' sign-ins count against 127.0.0.1's limit.
          remoteAddress: '192.0.2.10',
          headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ name: 'alice', password: 'alicealice-secret', next, _csrf: csrfFrom(form.body) }).toString(),
        });
      expect((await signIn('/agent?q=€')).headers.location).toBe('/agent?q=%E2%82%AC');
      expect((await signIn('/agent?q=a%20b&r=ü😀')).headers.location).toBe('/agent?q=a%20b&r=%C3%BC%F0%9F%98%80');
      expect((await signIn('/\\evil.example')).headers.location).toBe('/agent');
      expect((await signIn('/é/evil.example')).headers.location).toBe('/%C3%A9/evil.example');
      // A control character is refused as a field, not sent on to the Location header.
      expect((await signIn('/\u0001/evil.example')).statusCode).toBe(400);
    });
  });

  describe('the agent page', () => {
    beforeAll(async () => {
      const store = await world.app.store();
      await store.shipments.upsertMany(
        [
          { trackingNumber: numberFor('in-transit'), carrier: 'laposte', orderRef: 'CMD-4001', customerEmail: 'lea.dubois@example.com', customerLang: 'fr', destinationCountry: 'FR', promisedFrom: '2026-03-11', promisedTo: '2026-03-11' },
          { trackingNumber: numberFor('delivered'), carrier: 'laposte', orderRef: 'CMD-4002', customerLang: 'en', destinationCountry: 'FR' },
          { trackingNumber: numberFor('problem'), carrier: 'laposte', orderRef: 'CMD-4002', customerLang: 'en', destinationCountry: 'FR' },
        ],
        world.clock.now(),
      );
      await store.tracking.recordSnapshot(
        {
          trackingNumber: numberFor('in-transit'),
          carrier: 'laposte',
          status: 'in_transit',
          isFinal: false,
          events: [{ at: '2026-03-10T06:00:00+01:00', code: 'ET1', label: HOSTILE_LABEL, location: HOSTILE_PLACE, status: 'in_transit', source: 'api', robot: 'laposte' }],
          unmappedCodes: [],
        },
        new Date('2026-03-10T06:00:00Z'),
      );
      const judged = await store.shipments.find('laposte', numberFor('in-transit'));
      await store.shipments.recordVerdicts([{ id: judged?.id ?? 0, verdict: 'at_risk', reasons: ['Expected 2026-03-11 <b>at the earliest</b>, after the promise.'] }], world.clock.now());
    });

    it('finds a case by customer e-mail and shows status, verdict, promise, answer, freshness and contacts', async () => {
      const found = await post('/agent/search', agent, { q: 'LEA.DUBOIS@example.com' });
      expect(found.statusCode).toBe(303);
      expect(found.headers.location).toBe(`/agent/shipments/${await shipmentId(numberFor('in-transit'))}`);
      const page = (await get(found.headers.location ?? '', agent)).body;
      expect(page).toContain('in transit');
      expect(page).toMatch(/<dd class="verdict">at_risk<\/dd>/);
      expect(page).toContain('<dd class="verdict-reasons">Expected 2026-03-11 &lt;b&gt;at the earliest&lt;/b&gt;, after the promise.</dd>');
      expect(page).toContain('2026-03-11');
      expect(page).toContain("Votre colis est en cours d&#39;acheminement.");
      expect(page).toMatch(/class="age">\(2 h ago\)/);
      expect(page).toMatch(/class="contacts">0 look-ups/);
      expect(page).toContain('data-copy="answer-text"');
    });

    it('shows what a carrier wrote as text: an event label holding HTML or script never becomes markup', async () => {
      const page = (await get(`/agent/shipments/${await shipmentId(numberFor('in-transit'))}`, agent)).body;
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page).toContain('&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      expect(page).not.toContain(HOSTILE_LABEL);
      expect(page).not.toContain('<script>alert');
      // The only script is the app's own file: no inline script anywhere.
      expect(page.match(/<script[^>]*>/g)).toEqual(['<script src="/static/app.js" defer>']);
    });

    it('says why a search found nothing', async () => {
      const page = await post('/agent/search', agent, { q: 'Dupont, Lyon' });
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('nothing matches this search, and as a tracking number it should have letters A-Z and digits only');
    });

    it('says a case id is too big for any shipment, rather than failing', async () => {
      const page = await get('/agent/shipments/3000000000', agent);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('path.id: expected a whole number from 1 to 2147483647');
    });

    it('lists the parcels of an order with several', async () => {
      const page = await post('/agent/search', agent, { q: 'CMD-4002' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(numberFor('delivered'));
      expect(page.body).toContain(numberFor('problem'));
    });

    it('asks the carrier for a number the store does not know, and says so when no worker is online', async () => {
      const page = await post('/agent/search', agent, { q: numberFor('out-for-delivery') });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('no worker is working the laposte look-up queue');
      const workers = world.app.startWorkers(['laposte'], 1);
      await Promise.all(workers.workers.map((worker) => worker.waitUntilReady()));
      try {
        const found = await post('/agent/search', agent, { q: numberFor('out-for-delivery') });
        expect(found.headers.location).toBe(`/agent/shipments/${await shipmentId(numberFor('out-for-delivery'))}`);
        // Read a moment ago, yet "read it again now" asks the carrier, not the store.
        const carrierCalls = world.fixtures.laposte.stats().totalCalls;
        const refreshed = await post(`${found.headers.location}/refresh`, agent, {});
        expect(refreshed.headers.location).toBe(found.headers.location);
        expect(world.fixtures.laposte.stats().totalCalls).toBe(carrierCalls + 1);
        const [latest] = await world.db.query<{ result: { fresh?: { source: string } } }>('select result from lookups order by id desc limit 1');
        expect(latest?.result.fresh?.source).toBe('carrier');
        expect((await get(found.headers.location ?? '', agent)).body).toMatch(/class="contacts">2 look-ups/);
      } finally {
        await workers.close();
      }
    });

    it('says until when the carrier makes look-ups wait, without waiting for an answer that cannot come', async () => {
      const workers = world.app.startWorkers(['laposte'], 1);
      await Promise.all(workers.workers.map((worker) => worker.waitUntilReady()));
      world.fixtures.laposte.setFaults({ fault: 'rate-limited', retryAfterSeconds: 3600 });
      try {
        // The first look-up meets the 429: the carrier's look-up queue is held for an hour.
        await world.app.queues.addAgentLookup('laposte', numberFor('picked-up'), 'agent-1');
        const queue = world.app.queues;
        await vi.waitFor(async () => expect(await queue.rateLimitHoldMs('laposte', 'agents', world.app.jobSizes.workerLimiter('laposte', 'agents').max)).toBeGreaterThan(0), { timeout: 10_000 });
        const page = await post('/agent/search', agent, { q: numberFor('label-created') });
        expect(page.statusCode).toBe(200);
        expect(page.body).toMatch(/laposte asks to wait \(rate limit\) until \d{4}-\d{2}-\d{2} \d{2}:\d{2}.*: the look-up stays queued and runs then/);
      } finally {
        world.fixtures.laposte.resetFaults();
        await workers.close();
      }
    });
  });

  describe('the manager pages', () => {
    let hostileId = 0;
    let parcelId = 0;
    const followUpIds: Record<'claim' | 'refund', string> = { claim: '', refund: '' };
    beforeAll(async () => {
      const store = await world.app.store();
      const parcel = await store.shipments.find('laposte', numberFor('problem'));
      if (!parcel) throw new Error('the shipment was not stored');
      parcelId = parcel.id;
      await store.shipments.recordVerdicts([{ id: parcel.id, verdict: 'late', reasons: ['Promised by 2026-03-09.'] }], world.clock.now());
      // A rule's sentence is shown as text too: rules files are written by people.
      followUpIds.claim = (await world.app.followUps.propose(parcel, decisionOf('carrier_claim', { params: { type: 'lost' }, reason: `Lost ${HOSTILE_LABEL}` }))).followUp.id;
      followUpIds.refund = (await world.app.followUps.propose(parcel, decisionOf('refund'))).followUp.id;
      const label = await store.documents.save({ followUpId: followUpIds.claim, shipmentId: parcel.id, fileName: 'evidence-pack.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7\n') }, world.clock.now());
      await store.claims.record({ followUpId: followUpIds.claim, shipmentId: parcel.id, carrier: 'laposte', trackingNumber: parcel.trackingNumber, type: 'lost', filedVia: 'portal', status: 'submitted', reference: 'LP-CLM-2026-0042', evidenceDocumentId: String(label), filedAt: world.clock.now() }, world.clock.now());
      for (const [index, code] of ['CARRIER_UNAVAILABLE', 'CARRIER_TIMEOUT'].entries()) {
        await store.exceptions.open({ carrier: 'laposte', trackingNumber: numberFor('problem'), code, message: `fault ${index}`, jobId: `job-page-${index}`, openedAt: world.clock.now() });
      }
      await store.exceptions.open({
        carrier: 'relay-portal',
        trackingNumber: 'RP3182746507',
        code: 'PORTAL_LAYOUT_CHANGED',
        message: HOSTILE_LABEL,
        evidence: { step: 'search', html: '<html><body><script>parent.alert(3)</script><p>"portal"</p></body></html>', screenshot: PNG, body: '<b>payload</b>' },
        jobId: 'job-page-hostile',
        openedAt: world.clock.now(),
      });
      hostileId = Number((await world.db.query<{ id: number }>(`select id from exceptions where job_id = 'job-page-hostile'`))[0]?.id);
    });

    it('lists follow-ups awaiting approval and open exceptions, with their text escaped', async () => {
      const page = (await get('/manager/queue?sort=newest&carrier=&minAgeHours=', manager)).body;
      expect(page).toContain(`data-follow-up="${followUpIds.claim}"`);
      expect(page).toContain('Follow-ups awaiting approval (2)');
      expect(page).toContain('Open exceptions (3)');
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page).not.toContain(HOSTILE_LABEL);
    });

    it('approves a follow-up from the queue: queued to run, and the manager is named in its audit trail on the case', async () => {
      const response = await post(`/manager/followups/${followUpIds.claim}/approve`, manager, {}, '/manager/queue');
      expect(response.headers.location).toMatch(OUTCOME_URL);
      const record = await world.app.followUps.get(followUpIds.claim);
      expect(record?.followUp.state).toBe('proposed');
      expect(record?.audit.at(-1)).toMatchObject({ actor: 'manager:marc', event: 'approved' });
      expect(await world.app.followUps.queue.queue.getJob(followUpIds.claim)).toBeDefined();
      const queue = (await get(response.headers.location ?? '', manager)).body;
      expect(queue).toContain('approve: 1 done.');
      expect(queue).not.toContain(`data-follow-up="${followUpIds.claim}"`);
      const parcel = (await get(`/agent/shipments/${parcelId}`, manager)).body;
      expect(parcel).toMatch(new RegExp(`<tr data-follow-up="${followUpIds.claim}"><td>carrier claim</td><td class="state">proposed</td>`));
      expect(parcel).toMatch(/<span class="actor">manager:marc<\/span> <span class="event">approved<\/span> <span class="move">\(awaiting approval → proposed\)<\/span>/);
    });

    it('rejects a follow-up from the queue only with a reason, kept in its audit trail', async () => {
      const bare = await post(`/manager/followups/${followUpIds.refund}/reject`, manager, { reason: ' ' }, '/manager/queue');
      expect(bare.statusCode).toBe(400);
      expect(bare.body).toContain('say why the follow-up is rejected');
      const response = await post(`/manager/followups/${followUpIds.refund}/reject`, manager, { reason: 'refunded by phone' }, '/manager/queue');
      expect((await get(response.headers.location ?? '', manager)).body).toContain('reject: 1 done.');
      expect((await world.app.followUps.get(followUpIds.refund))?.audit.at(-1)).toMatchObject({ actor: 'manager:marc', event: 'rejected', details: { reason: 'refunded by phone' } });
      const again = await post(`/manager/followups/${followUpIds.refund}/approve`, manager, {}, '/manager/queue');
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('is cancelled: only one awaiting approval can be approved');
    });

    it("shows the case's claim with its reference and lets managers, not agents, download its documents", async () => {
      const forManager = (await get(`/agent/shipments/${parcelId}`, manager)).body;
      expect(forManager).toContain('<td class="reference">LP-CLM-2026-0042</td><td class="claim-status">submitted</td>');
      const link = /<a href="(\/api\/documents\/\d+)" download>evidence-pack.pdf<\/a>/.exec(forManager)?.[1];
      expect(link).toBeDefined();
      const download = await get(link ?? '', manager);
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename="evidence-pack.pdf"/);
      expect(download.body).toBe('%PDF-1.7\n');
      const forAgent = (await get(`/agent/shipments/${parcelId}`, agent)).body;
      expect(forAgent).toContain('evidence-pack.pdf');
      expect(forAgent).not.toContain('/api/documents/');
      expect((await get(link ?? '', agent)).statusCode).toBe(403);
    });

    it('resolves exceptions in bulk, and counts what could not be done', async () => {
      const ids = (await world.db.query<{ id: number }>(`select id from exceptions where job_id like 'job-page-_' order by id`)).map((row) => String(row.id));
      const response = await post('/manager/exceptions/bulk', manager, { ids: [...ids, '999999'], action: 'resolve', reason: 'handled by phone' }, '/manager/queue');
      expect((await get(response.headers.location ?? '', manager)).body).toContain('resolve: 2 done, 1 refused.<br><span class="refusal"><a href="/manager/exceptions/999999">#999999</a>: no exception 999999</span>');
      const closed = await world.db.query('select resolution, resolution_note from exceptions where id = any($1)', [ids.map(Number)]);
      expect(closed).toEqual([
        { resolution: 'resolved', resolution_note: 'handled by phone' },
        { resolution: 'resolved', resolution_note: 'handled by phone' },
      ]);
    });

    it("names, for each exception the form could not act on, the API's reason: the field and the fix", async () => {
      const store = await world.app.store();
      const parcel = await store.shipments.find('laposte', numberFor('problem'));
      if (!parcel) throw new Error('the shipment was not stored');
      const claim = (await world.app.followUps.propose(parcel, decisionOf('carrier_claim', { ruleId: 'claim-damaged', params: { type: 'damaged' } }))).followUp;
      await store.exceptions.open({ carrier: 'laposte', trackingNumber: numberFor('problem'), code: 'CARRIER_UNAVAILABLE', message: 'x', jobId: 'job-page-decide', openedAt: world.clock.now(), followUpId: claim.id });
      await store.exceptions.open({ carrier: 'seller-portal', trackingNumber: 'ORDER-77', code: 'PORTAL_LAYOUT_CHANGED', message: 'y', jobId: 'job-page-portal', openedAt: world.clock.now() });
      const idOf = async (jobId: string) => String((await world.db.query<{ id: number }>('select id from exceptions where job_id = $1', [jobId]))[0]?.id);
      const [decide, portal, closed] = [await idOf('job-page-decide'), await idOf('job-page-portal'), await idOf('job-page-0')];
      const link = (id: string) => `<a href="/manager/exceptions/${id}">#${id}</a>`;

      // The single exception's page posts its buttons to the same form.
      const rejected = await post('/manager/exceptions/bulk', manager, { ids: decide, action: 'reject', reason: '' }, `/manager/exceptions/${decide}`);
      expect((await get(rejected.headers.location ?? '', manager)).body).toContain(`reject: 0 done, 1 refused.<br><span class="refusal">${link(decide)}: reason: say why the follow-up is rejected</span>`);
      expect(rejected.headers.location).toMatch(OUTCOME_URL);

      const retried = await post('/manager/exceptions/bulk', manager, { ids: [portal, closed], action: 'retry' }, '/manager/queue');
      const page = (await get(retried.headers.location ?? '', manager)).body;
      expect(page).toContain(`retry: 0 done, 2 refused.<br><span class="refusal">${link(portal)}: robot seller-portal does not track parcels: resolve this exception once handled</span>`);
      expect(page).toMatch(new RegExp(`<span class="refusal">${link(closed)}: exception ${closed} was closed \\(resolved\\) by marc at `));

      // An outcome is the acting manager's alone: another's, or an id of no outcome, shows nothing.
      const redis = world.app.redis.connect();
      try {
        const theirs = await new ActionOutcomes({ redis, prefix: world.app.config.core.PARCELBOT_QUEUE_PREFIX }).save('ada', { action: 'retry', done: 0, refused: [{ id: 1, detail: 'not for marc' }] });
        expect((await get(`/manager/queue?outcome=${theirs}`, manager)).body).not.toContain('class="notice');
      } finally {
        await redis.quit();
      }
      expect((await get('/manager/queue?outcome=AAAAAAAAAAAAAAAAAAAAAA', manager)).body).not.toContain('class="notice');
    });

    it("shows an exception's evidence safely: the portal's HTML in a sandboxed frame, the screenshot as an image, the payload as text", async () => {
      const page = (await get(`/manager/exceptions/${hostileId}`, manager)).body;
      // It names no follow-up awaiting approval: only retry and resolve are offered.
      expect(page.match(/name="action" value="(\w+)"/g)).toEqual(['name="action" value="retry"', 'name="action" value="resolve"']);
      expect(page).toMatch(/<iframe class="captured" sandbox="" referrerpolicy="no-referrer" title="[^"]+" srcdoc="&lt;html&gt;&lt;body&gt;&lt;script&gt;parent.alert\(3\)&lt;\/script&gt;&lt;p&gt;&quot;portal&quot;&lt;\/p&gt;/);
      expect(page).toContain(`<img class="screenshot" alt="Screenshot of the page when the robot failed" src="/manager/exceptions/${hostileId}/screenshot.png">`);
      expect(page).toContain('<pre class="payload">&lt;b&gt;payload&lt;/b&gt;</pre>');
      const image = await get(`/manager/exceptions/${hostileId}/screenshot.png`, manager);
      expect(image.headers['content-type']).toBe('image/png');
      expect(image.rawPayload.equals(Buffer.from(PNG, 'base64'))).toBe(true);
    });

    it('draws the dashboard as inline SVG under a strict Content-Security-Policy', async () => {
      const response = await get('/dashboard', manager);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
      expect(response.body).toMatch(/<svg role="img" aria-label="Late rate by carrier[^"]*"/);
      // Three parcels judged (one after a real look-up), one of them late: the database counts them.
      expect(response.body).toContain('33 % (1/3)');
      expect(response.body).toMatch(/<svg role="img" aria-label="Open exceptions by age"/);
      expect(response.body).toContain('carrier_claim · proposed</text>');
      expect(response.body).toContain('refund · cancelled</text>');
      expect(response.body).toContain('<table class="robots">');
    });
  });
});

/** Its own world: one test database at a time per file (the store's test helper shares one PGlite). */
describe('behind a trusted proxy', () => {
  let proxied: ApiWorld;
  beforeAll(async () => {
    proxied = await startApiWorld({ env: { PARCELBOT_TRUST_PROXY: 'true', LOGIN_RATE_LIMIT: '2/1h' } });
  });
  afterAll(async () => proxied?.close());

  it('marks the session cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const form = await proxied.server.inject({ method: 'GET', url: '/signin', headers: https });
    const response = await proxied.server.inject({
      method: 'POST',
      url: '/signin',
      headers: { ...https, cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: 'alice', password: 'alicealice-secret', _csrf: csrfFrom(form.body) }).toString(),
    });
    expect(response.cookies.find((cookie) => cookie.name === 'pb_session')).toMatchObject({ secure: true, httpOnly: true });
    expect(form.cookies.find((cookie) => cookie.name === 'pb_csrf')).toMatchObject({ secure: true });
  });

  // The proxy appends the address it saw to whatever X-Forwarded-For the client sent: only that last entry is the client's.
  const through = (client: string, forged?: number) => ({ 'x-forwarded-for': forged === undefined ? client : `198.51.100.${forged}, ${client}` });

  it('counts sign-in attempts per address the proxy saw: a forged X-Forwarded-For entry is no new address', async () => {
    const form = await proxied.server.inject({ method: 'GET', url: '/signin' });
    const attempt = (headers: Record<string, string>) =>
      proxied.server.inject({
        method: 'POST',
        url: '/signin',
        headers: { ...headers, cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ name: 'ada', password: 'a-guess', _csrf: csrfFrom(form.body) }).toString(),
      });
    const statuses = [];
    for (let forged = 1; forged <= 3; forged++) statuses.push((await attempt(through('203.0.113.7', forged))).statusCode);
    expect(statuses).toEqual([401, 401, 429]);
    // Another client behind the same proxy has its own count.
    expect((await attempt(through('203.0.113.8'))).statusCode).toBe(401);
  });

  it('counts API calls with a wrong key per address the proxy saw, whatever X-Forwarded-For the client forged', async () => {
    const guess = (forged: number) => proxied.server.inject({ method: 'GET', url: '/api/shipments', headers: { ...through('203.0.113.9', forged), authorization: `Bearer guess-${forged}-0123456789abcdef` } });
    const statuses = [];
    for (let forged = 1; forged <= 3; forged++) statuses.push((await guess(forged)).statusCode);
    expect(statuses).toEqual([401, 401, 429]);
  });
});

/** Its own world: more follow-ups and exceptions than the queue page shows at once. */
describe('a queue longer than a page', () => {
  const COUNT = 230;
  let world: ApiWorld;
  let manager = '';
  beforeAll(async () => {
    world = await startApiWorld({ env: { FOLLOWUP_APPROVAL_ABOVE: '0' } });
    const store = await world.app.store();
    const parcel = await storedShipment(store, world.clock.now(), { trackingNumber: numberFor('problem'), declaredValue: 300 });
    for (let index = 0; index < COUNT; index++) {
      await world.app.followUps.propose(parcel, decisionOf('carrier_claim', { ruleId: `claim-${index}`, params: { type: 'lost' } }));
      await store.exceptions.open({ carrier: 'laposte', trackingNumber: parcel.trackingNumber, code: 'CARRIER_UNAVAILABLE', message: 'x', jobId: `job-${index}`, openedAt: world.clock.now() });
    }
    manager = await world.signIn('manager');
  }, 60_000);
  afterAll(async () => world?.close());

  const queue = async (url: string) => (await world.server.inject({ method: 'GET', url, headers: { cookie: manager } })).body;
  const followUpsOn = (page: string) => [...page.matchAll(/data-follow-up="([^"]+)"/g)].map((match) => match[1]);
  const exceptionsOn = (page: string) => [...page.matchAll(/name="ids" value="(\d+)"/g)].map((match) => match[1]);
  const nextLink = (page: string, list: 'offset' | 'awaitingOffset') => new RegExp(`<a href="([^"]*[?;]${list}=\\d+[^"]*)" rel="next">`).exec(page)?.[1]?.replaceAll('&amp;', '&');

  it('counts every follow-up and exception, shows a page of each, and links to the rest with the filters kept', async () => {
    const first = await queue('/manager/queue?carrier=laposte');
    expect(first).toContain(`Follow-ups awaiting approval (${COUNT})</h2><p class="pager">Showing 1–200 of ${COUNT}.`);
    expect(first).toContain(`Open exceptions (${COUNT})</h2><p class="pager">Showing 1–200 of ${COUNT}.`);
    expect(followUpsOn(first)).toHaveLength(200);
    expect(exceptionsOn(first)).toHaveLength(200);
    expect(nextLink(first, 'offset')).toBe('/manager/queue?carrier=laposte&sort=oldest&offset=200');
    expect(nextLink(first, 'awaitingOffset')).toBe('/manager/queue?carrier=laposte&sort=oldest&awaitingOffset=200');

    const exceptionsRest = await queue(nextLink(first, 'offset') ?? '');
    expect(exceptionsRest).toContain(`Open exceptions (${COUNT})</h2><p class="pager">Showing 201–${COUNT} of ${COUNT}. <a href="/manager/queue?carrier=laposte&amp;sort=oldest" rel="prev">previous page</a>`);
    expect(new Set([...exceptionsOn(first), ...exceptionsOn(exceptionsRest)]).size).toBe(COUNT);
    // The other list stays where it was.
    expect(followUpsOn(exceptionsRest)).toEqual(followUpsOn(first));

    const followUpsRest = await queue(nextLink(first, 'awaitingOffset') ?? '');
    expect(new Set([...followUpsOn(first), ...followUpsOn(followUpsRest)]).size).toBe(COUNT);
    expect(exceptionsOn(followUpsRest)).toEqual(exceptionsOn(first));
  });

  it('still counts every exception from a link past the end (rows closed since), and goes back to the last page', async () => {
    const past = await queue('/manager/queue?offset=1000');
    expect(past).toContain(`Open exceptions (${COUNT})</h2><p class="pager">Showing nothing past 1000 (${COUNT} in all). <a href="/manager/queue?sort=oldest&amp;offset=${COUNT - 200}" rel="prev">previous page</a>`);
    expect(exceptionsOn(past)).toEqual([]);
  });
});
