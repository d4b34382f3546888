import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { GOOD_NUMBER as STORED, HOSTILE_NUMBERS } from '../testing/hostile-numbers.ts';
import { storedRows } from '../testing/stored-rows.ts';
import { type ApiWorld, startApiWorld } from './testing/api-world.ts';

// Hostile and mistaken input through every API door that takes it: a 4xx problem naming the
// field, never a stack trace, never an echo of what was sent, and the store exactly as it was.
// The plainer mistakes (a number for text, broken JSON, a text body) are in api-errors.test.ts.

const LONG = '6'.repeat(5000);
/** A NUL refuses a whole request (it is checked before any schema): rows are tried without it. */
const ROW_NUMBERS = HOSTILE_NUMBERS.filter(({ label }) => label !== 'a NUL');

interface BadRequest {
  label: string;
  method?: 'GET' | 'POST';
  url: string;
  payload?: unknown;
  contentType?: string;
  status: number;
  type: string;
  /** The field the problem must name, when the fault is in one. */
  field?: string;
  says: RegExp;
}

const json = (value: unknown) => JSON.stringify(value);
const row = (values: Record<string, unknown>) => ({ shipments: [{ tracking_number: numberFor('delivered'), carrier: 'laposte', ...values }] });

const BAD_REQUESTS: BadRequest[] = [
  ...HOSTILE_NUMBERS.map(({ label, number, says }) => ({
    label: `a look-up of a number with ${label}`,
    url: '/api/lookups',
    payload: { trackingNumber: number, carrier: 'laposte' },
    status: 400,
    type: 'invalid-request',
    field: 'trackingNumber',
    says,
  })),
  { label: 'a misspelt field, which would have asked another carrier', url: '/api/lookups', payload: { trackingNumber: STORED, carier: 'dhl' }, status: 400, type: 'invalid-request', field: 'carier', says: /unknown field/ },
  { label: 'an order reference holding NUL', url: '/api/lookups', payload: { orderRef: 'CMD-1\u0000' }, status: 400, type: 'invalid-request', field: 'orderRef', says: /control character U\+0000 at position 6/ },
  { label: 'a carrier that is a list', url: '/api/lookups', payload: { trackingNumber: STORED, carrier: ['laposte'] }, status: 400, type: 'invalid-request', field: 'carrier', says: /string/ },
  { label: 'a body nested 20,000 deep', url: '/api/lookups', payload: `{"trackingNumber":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, contentType: 'application/json', status: 400, type: 'invalid-request', field: 'trackingNumber', says: /string/ },
  { label: 'a body over API_BODY_LIMIT', url: '/api/lookups', payload: json({ trackingNumber: '6'.repeat(70_000) }), contentType: 'application/json', status: 413, type: 'body-too-large', says: /over the 64 KiB limit \(65536 bytes\)/ },
  // Imports: faults of the request as a whole (a row's own faults are reported row by row, below).
  { label: 'a misspelt strict, which would have imported half a file', url: '/api/shipments', payload: { ...row({}), strikt: true }, status: 400, type: 'invalid-request', field: 'strikt', says: /unknown field/ },
  { label: 'an order reference holding NUL', url: '/api/shipments', payload: row({ order_ref: 'CMD\u00001' }), status: 400, type: 'invalid-request', field: 'shipments.0.order_ref', says: /U\+0000 at position 4/ },
  { label: 'half a surrogate pair', url: '/api/shipments', payload: '{"shipments":[{"tracking_number":"6A00641463161","carrier":"laposte","customer_name":"\\ud800"}]}', contentType: 'application/json', status: 400, type: 'invalid-request', field: 'shipments.0.customer_name', says: /half a surrogate pair U\+D800/ },
  { label: 'a terminal escape', url: '/api/shipments', payload: row({ channel: '\u001b]0;owned\u0007' }), status: 400, type: 'invalid-request', field: 'shipments.0.channel', says: /U\+001B/ },
  { label: 'a column name holding NUL', url: '/api/shipments', payload: row({ 'order_ref\u0000': 'x' }), status: 400, type: 'invalid-request', field: 'shipments.0', says: /a field name holds the control character U\+0000/ },
  { label: 'a Latin-1 body', url: '/api/shipments', payload: Buffer.from(json(row({ order_ref: 'café' })), 'latin1'), contentType: 'application/json', status: 400, type: 'invalid-encoding', says: /not valid UTF-8/ },
  { label: 'a UTF-16 body with its BOM', url: '/api/shipments', payload: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json(row({})), 'utf16le')]), contentType: 'application/json', status: 400, type: 'invalid-encoding', says: /not valid UTF-8/ },
  { label: 'a binary body', url: '/api/shipments', payload: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]), contentType: 'application/json', status: 400, type: 'invalid-encoding', says: /not valid UTF-8/ },
  { label: 'an import over API_IMPORT_BODY_LIMIT', url: '/api/shipments', payload: json(row({ order_ref: 'x'.repeat(140_000) })), contentType: 'application/json', status: 413, type: 'body-too-large', says: /over the 128 KiB limit \(131072 bytes\)/ },
  // Searches.
  { label: 'a search parameter the API does not have', method: 'GET', url: '/api/shipments?search=6A', status: 400, type: 'invalid-request', field: 'query.search', says: /unknown field/ },
  { label: 'a search holding NUL', method: 'GET', url: '/api/shipments?q=CMD%00', status: 400, type: 'invalid-request', field: 'query.q', says: /U\+0000/ },
  { label: 'a carrier filter holding NUL', method: 'GET', url: '/api/shipments?carrier=%00', status: 400, type: 'invalid-request', field: 'query.carrier', says: /U\+0000/ },
  { label: 'a search of 5,000 characters', method: 'GET', url: `/api/shipments?q=${LONG}`, status: 400, type: 'invalid-request', field: 'query.q', says: /254/ },
  // Ids the store's columns cannot hold, and days no calendar has: a 400 naming the field, never the store's 500.
  { label: 'a shipment id over the integer column', method: 'GET', url: '/api/shipments/3000000000', status: 400, type: 'invalid-request', field: 'path.id', says: /^expected a whole number from 1 to 2147483647$/ },
  { label: 'a page cursor over the integer column', method: 'GET', url: '/api/shipments?before=3000000000', status: 400, type: 'invalid-request', field: 'query.before', says: /from 1 to 2147483647/ },
  { label: 'a follow-up filter by a shipment id over the integer column', method: 'GET', url: '/api/followups?shipmentId=3000000000', status: 400, type: 'invalid-request', field: 'query.shipmentId', says: /from 1 to 2147483647/ },
  { label: 'an exception id past what JavaScript counts exactly', method: 'GET', url: '/api/exceptions/9007199254740993', status: 400, type: 'invalid-request', field: 'path.id', says: /from 1 to 9007199254740991/ },
  { label: 'a promised day of 30 February', method: 'GET', url: '/api/shipments?promisedFrom=2026-02-30', status: 400, type: 'invalid-request', field: 'query.promisedFrom', says: /YYYY-MM-DD, a day of the calendar/ },
  { label: 'a promised day of 31 April', method: 'GET', url: '/api/shipments?promisedTo=2026-04-31', status: 400, type: 'invalid-request', field: 'query.promisedTo', says: /a day of the calendar/ },
  { label: 'a promised day of year 0000', method: 'GET', url: '/api/shipments?promisedTo=0000-01-01', status: 400, type: 'invalid-request', field: 'query.promisedTo', says: /year from 0001/ },
  { label: 'a creation day of year 0000', method: 'GET', url: '/api/shipments?createdFrom=0000-01-01', status: 400, type: 'invalid-request', field: 'query.createdFrom', says: /year from 0001/ },
  { label: 'a creation day of 30 February, once read as 2 March', method: 'GET', url: '/api/shipments?createdFrom=2026-02-30', status: 400, type: 'invalid-request', field: 'query.createdFrom', says: /every field in range/ },
  { label: 'a creation instant at 24:30', method: 'GET', url: '/api/shipments?createdTo=2026-03-10T24:30:00Z', status: 400, type: 'invalid-request', field: 'query.createdTo', says: /every field in range/ },
  { label: 'a path that is not UTF-8', method: 'GET', url: '/api/shipments/%E0%A4%A', status: 400, type: 'invalid-request', says: /percent-encode/ },
  { label: 'an id of 5,000 characters', method: 'GET', url: `/api/lookups/${LONG}`, status: 414, type: 'uri-too-long', says: /over 100 characters/ },
];

describe('bad input through the API', () => {
  let world: ApiWorld;
  let before: Awaited<ReturnType<typeof storedRows>>;

  beforeAll(async () => {
    world = await startApiWorld({ env: { API_BODY_LIMIT: '65536', API_IMPORT_BODY_LIMIT: '131072' } });
    const imported = await send({ method: 'POST', url: '/api/shipments', payload: { shipments: [{ tracking_number: STORED, carrier: 'laposte', order_ref: 'CMD-1', promised_date: '2026-03-11' }] } });
    expect(imported.json()).toMatchObject({ inserted: 1, problems: [] });
    const store = await world.app.store();
    const at = '2026-03-10T06:00:00+01:00';
    await store.tracking.recordSnapshot(
      { trackingNumber: STORED, carrier: 'laposte', status: 'in_transit', isFinal: false, events: [{ at, code: 'ET1', label: 'En transit', status: 'in_transit', source: 'api', robot: 'laposte' }], unmappedCodes: [] },
      world.clock.now(),
    );
    await store.lookups.start({ jobId: 'lookup-seed', trackingNumber: STORED, carrier: 'laposte', requestedBy: 'alice', requestedAt: world.clock.now() });
    before = await storedRows(world.db);
    expect(before.tracking_events).toHaveLength(1);
  });
  afterAll(async () => world?.close());

  function send({ method = 'POST', url, payload, contentType }: Pick<BadRequest, 'method' | 'url' | 'payload' | 'contentType'>) {
    const headers = { ...world.bearer('manager'), ...(contentType ? { 'content-type': contentType } : {}) };
    return world.server.inject({ method, url, headers, payload: payload as string });
  }

  it.each(BAD_REQUESTS)('refuses $label: $status, naming what is wrong', async (request) => {
    const response = await send(request);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(request.status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ type: `/problems/${request.type}`, status: request.status });
    if (request.field) expect(problem.errors).toEqual([{ field: request.field, message: expect.stringMatching(request.says) }]);
    else expect(problem.detail).toMatch(request.says);
    expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
    for (const echo of ['66666666666666666666', 'DROP TABLE', '<script>', '\u0410', '\u200b', 'owned', 'café', 'xxxxxxxxxxxxxxxxxxxx']) expect(response.body).not.toContain(echo);
  });

  it('reports each bad row of an import by index and field, and changes no stored shipment', async () => {
    const stored = { tracking_number: STORED, carrier: 'laposte' };
    const rows = [
      ...ROW_NUMBERS.map(({ number }) => ({ tracking_number: number, carrier: 'laposte' })),
      { ...stored, order_ref: 'CMD-CHANGED', promised_date: '2026-02-30' },
      { ...stored, order_ref: 'CMD-CHANGED', promised_from: '10/03/2026' },
      { ...stored, order_ref: 'CMD-CHANGED', destination_country: 'f\u0131' },
      { ...stored, order_ref: 42 },
      { ...stored, carrier: "laposte'; DROP TABLE shipments;--" },
      { tracking_number: numberFor('delivered'), carrier: 'laposte', declared_value: 'lots' },
    ];
    const response = await send({ url: '/api/shipments', payload: { shipments: rows } });
    expect(response.statusCode).toBe(200);
    const at = (index: number) => ROW_NUMBERS.length + index;
    expect(response.json()).toMatchObject({ rows: rows.length, inserted: 0, updated: 0 });
    expect(response.json().problems).toEqual([
      ...ROW_NUMBERS.map(({ says }, index) => ({ index, field: 'tracking_number', message: expect.stringMatching(says) })),
      { index: at(0), field: 'promised_date', message: 'expected a real calendar date' },
      { index: at(1), field: 'promised_from', message: 'expected a date as YYYY-MM-DD' },
      { index: at(2), field: 'destination_country', message: 'expected a 2-letter ISO 3166 country code such as FR' },
      { index: at(3), field: 'order_ref', message: 'expected text' },
      { index: at(4), field: 'carrier', message: expect.stringMatching(/^unknown carrier "laposte'; drop table shipments;--": expected one of /) },
      { index: at(5), field: 'declared_value', message: 'expected an amount such as 49.90' },
    ]);
  });

  it('searches with the text it was given, never as a pattern or a statement', async () => {
    for (const q of ['%%%%%%', '______', "'; DROP TABLE shipments;--", "6A' OR '1'='1", '<script>alert(1)</script>']) {
      const response = await send({ method: 'GET', url: `/api/shipments?q=${encodeURIComponent(q)}` });
      expect(response.statusCode, q).toBe(200);
      expect(response.json(), q).toEqual({ items: [], nextCursor: null });
    }
  });

  it('keeps every stored row as it was, and answers the next good requests', async () => {
    expect(await storedRows(world.db)).toEqual(before);
    const list = await send({ method: 'GET', url: `/api/shipments?q=${STORED}` });
    expect(list.json().items).toEqual([expect.objectContaining({ trackingNumber: STORED, orderRef: 'CMD-1' })]);
    const imported = await send({ url: '/api/shipments', payload: row({ order_ref: 'CMD-2' }) });
    expect(imported.json()).toMatchObject({ inserted: 1, problems: [] });
  });
});
