import { z } from 'zod';
import { isTimeZone } from '../../src/domain/calendar-day.ts';
import type { OrderPage } from '../../src/domain/marketplace-order.ts';
import { RobotError, defineRobot } from '../../src/robot-kit/index.ts';
import { parseCarrierOverrides } from './carrier-codes.ts';
import { type MiraklClient, createMiraklClient } from './client.ts';
import { decodePosition, encodePosition, nextPosition, PAGE_SIZE, pageOffset } from './paging.ts';
import { parseOrderList, type ReadSettings } from './parse.ts';
import { refundOrder } from './refund.ts';

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 10000';

const config = z.object({
  // No default: every marketplace runs its own Mirakl instance (https://<instance>.mirakl.net).
  MIRAKL_API_URL: z.url({ protocol: /^https?$/, error: "must be the http(s) address of your marketplace's Mirakl instance, e.g. https://marketplace.mirakl.net" }).optional(),
  // Optional so that parcelbot starts without it; the robot's calls then fail with ROBOT_NOT_CONFIGURED.
  MIRAKL_API_KEY: z.string().regex(/^\S+$/, { error: 'must be the shop API key from the Mirakl back office (My user settings > API key), without spaces' }).optional(),
  MIRAKL_SHOP_ID: z.coerce.number({ error: 'must be the numeric id of the shop, e.g. 2045' }).int({ error: 'must be the numeric id of the shop, e.g. 2045' }).positive({ error: 'must be the numeric id of the shop, e.g. 2045' }).optional(),
  MIRAKL_INSTANCE: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'must name the marketplace in lower-case letters, digits and dashes, e.g. cdiscount' }).optional(),
  MIRAKL_TIME_ZONE: z.string().refine(isTimeZone, { error: 'must be an IANA time zone, e.g. Europe/Paris or Europe/Madrid' }).default('Europe/Paris'),
  MIRAKL_PROMISE_FIELD: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, { error: 'must be the code of an order additional field, e.g. fecha-maxima-entrega' }).optional(),
  MIRAKL_TRANSIT_DAYS: z.coerce.number({ error: 'must be a whole number of days from 0 to 30, e.g. 2' }).int({ error: 'must be a whole number of days from 0 to 30, e.g. 2' }).min(0, { error: 'must be a whole number of days from 0 to 30, e.g. 2' }).max(30, { error: 'must be a whole number of days from 0 to 30, e.g. 2' }).default(2),
  MIRAKL_CARRIER_CODES: z
    .string()
    .transform((value, context) => {
      try {
        return parseCarrierOverrides(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: `must list CODE=robot pairs separated by commas, e.g. COLISPRIVE=laposte,DHLDE=dhl (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .optional(),
  MIRAKL_REFUND_REASON_CODE: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { error: 'must be a refund reason code of your Mirakl platform, e.g. 14' }).optional(),
  MIRAKL_TIMEOUT_MS: z.coerce.number({ error: TIMEOUT_MESSAGE }).int({ error: TIMEOUT_MESSAGE }).positive({ error: TIMEOUT_MESSAGE }).default(10_000),
});

type MiraklConfig = z.infer<typeof config>;

export default defineRobot({
  id: 'mirakl',
  title: 'Mirakl Seller API: marketplace orders (OR11) and refunds (OR28)',
  kind: 'api',
  capabilities: {
    // Mirakl's OR11 call frequency is "at most once a minute, every 5 minutes recommended"
    // (carrier-apis.md 8.2). A sync every 15 minutes is one poll; its pages are paced to that
    // frequency too by default, as an instance may enforce it per call (MIRAKL_RATE_LIMIT=10/1m...
    // where the operator allows more).
    orders: { rateLimit: { max: 1, durationMs: 60_000 }, carriesTracking: true },
  },
  config,
  create(context, settings) {
    // Made at the first call, so that a robot without settings still starts.
    let client: MiraklClient | undefined;
    const connect = () => (client ??= createMiraklClient(context.http, context.clock, connection(settings)));
    const reading = readSettings(settings);
    const byId = async (orderRef: string) => parseOrderList(await connect().listOrders({ order_ids: orderRef }), reading);
    return {
      async readOrderPage({ updatedFrom, updatedTo, page }): Promise<OrderPage> {
        const asked = pagePosition(page);
        const params = { start_update_date: updatedFrom, end_update_date: updatedTo, max: String(PAGE_SIZE), offset: String(pageOffset(asked)) };
        const list = parseOrderList(await connect().listOrders(params), reading);
        const next = nextPosition(asked, list.orders.length + list.rejected.length, list.total);
        return { orders: list.orders, rejected: list.rejected, next: next && encodePosition(next) };
      },
      async readOrder(orderRef) {
        const list = await byId(orderRef);
        const rejected = list.rejected.find((order) => order.orderRef === orderRef);
        if (rejected) throw new RobotError('CARRIER_BAD_PAYLOAD', `Mirakl's order ${orderRef} cannot be read: ${rejected.reason}`);
        return list.orders.find((order) => order.orderRef === orderRef);
      },
      refund: (request) => refundOrder(request, { reasonCode: settings.MIRAKL_REFUND_REASON_CODE, read: byId, send: (body) => connect().refund(body) }),
    };
  },
});

/** The settings a call needs, or ROBOT_NOT_CONFIGURED naming what is missing. */
function connection(settings: MiraklConfig) {
  const missing = [settings.MIRAKL_API_URL === undefined && 'MIRAKL_API_URL', settings.MIRAKL_API_KEY === undefined && 'MIRAKL_API_KEY'].filter(Boolean);
  if (settings.MIRAKL_API_URL === undefined || settings.MIRAKL_API_KEY === undefined) {
    throw new RobotError(
      'ROBOT_NOT_CONFIGURED',
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: set MIRAKL_API_URL to your marketplace's Mirakl address and MIRAKL_API_KEY to the shop API key of its back office`,
    );
  }
  return { apiUrl: settings.MIRAKL_API_URL, apiKey: settings.MIRAKL_API_KEY, shopId: settings.MIRAKL_SHOP_ID, timeoutMs: settings.MIRAKL_TIMEOUT_MS };
}

function readSettings(settings: MiraklConfig): ReadSettings {
  return {
    instance: settings.MIRAKL_INSTANCE ?? instanceOf(settings.MIRAKL_API_URL),
    timeZone: settings.MIRAKL_TIME_ZONE,
    promiseField: settings.MIRAKL_PROMISE_FIELD,
    transitDays: settings.MIRAKL_TRANSIT_DAYS,
    carrierOverrides: settings.MIRAKL_CARRIER_CODES ?? {},
  };
}

/** `cdiscount` for https://cdiscount.mirakl.net: the first label of a named host, else plain `mirakl`. */
function instanceOf(apiUrl: string | undefined): string {
  const host = apiUrl === undefined ? '' : new URL(apiUrl).hostname;
  const label = host.split('.')[0] ?? '';
  return /^[a-z][a-z0-9-]*$/.test(label) && label !== 'localhost' && host.includes('.') ? label : 'mirakl';
}

function pagePosition(page: string | undefined) {
  try {
    return decodePosition(page);
  } catch (error) {
    throw new RobotError('CARRIER_BAD_REQUEST', `readOrderPage: ${(error as Error).message}`);
  }
}
