import { z } from 'zod';
import type { OrderPage } from '../../src/domain/marketplace-order.ts';
import { RobotError, defineRobot } from '../../src/robot-kit/index.ts';
import { type AmazonClient, createAmazonClient } from './client.ts';
import { DEFAULT_MARKETPLACE_ID } from './marketplaces.ts';
import { parseGetOrders } from './parse.ts';

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 10000';
const CREDENTIAL = (what: string) => `must be the ${what} from Seller Central (Apps and Services > Develop Apps), not empty and without spaces`;
/** getOrders pages hold at most 100 orders (carrier-apis.md 9.3). */
const PAGE_SIZE = 100;

const config = z.object({
  AMAZON_SPAPI_URL: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) address of an SP-API region, e.g. https://sellingpartnerapi-eu.amazon.com' })
    .default('https://sellingpartnerapi-eu.amazon.com'),
  AMAZON_LWA_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) address of Login with Amazon, e.g. https://api.amazon.com' }).default('https://api.amazon.com'),
  // Optional so that parcelbot starts without them; the sync then says ROBOT_NOT_CONFIGURED.
  AMAZON_CLIENT_ID: z.string().regex(/^\S+$/, { error: CREDENTIAL('LWA client id of your app') }).optional(),
  AMAZON_CLIENT_SECRET: z.string().regex(/^\S+$/, { error: CREDENTIAL('LWA client secret of your app') }).optional(),
  AMAZON_REFRESH_TOKEN: z.string().regex(/^\S+$/, { error: CREDENTIAL("seller's refresh token (authorize the app)") }).optional(),
  AMAZON_MARKETPLACE_IDS: z
    .string()
    .regex(/^[A-Z0-9]{9,14}(,[A-Z0-9]{9,14})*$/, { error: 'must list marketplace ids separated by commas, e.g. A13V1IB3VIYZZH (Amazon.fr)' })
    .default(DEFAULT_MARKETPLACE_ID)
    .transform((value) => value.split(',')),
  AMAZON_TIMEOUT_MS: z.coerce.number({ error: TIMEOUT_MESSAGE }).int({ error: TIMEOUT_MESSAGE }).positive({ error: TIMEOUT_MESSAGE }).default(10_000),
});

type AmazonConfig = z.infer<typeof config>;

export default defineRobot({
  id: 'amazon',
  title: 'Amazon Selling Partner API: orders (Orders v0 getOrders) and their promised delivery dates',
  kind: 'api',
  capabilities: {
    // getOrders' usage plan is a bucket of 20 refilled one a minute (carrier-apis.md 9.2): no pace
    // is set, so a sync of up to 20 pages runs at once; past that Amazon answers 429 and the sync
    // waits the minute x-amzn-RateLimit-Limit gives. Orders v0 never names tracking numbers.
    orders: { carriesTracking: false },
  },
  config,
  create(context, settings) {
    let client: AmazonClient | undefined;
    const connect = () => (client ??= createAmazonClient(context, connection(settings)));
    return {
      async readOrderPage({ updatedFrom, updatedTo, page }): Promise<OrderPage> {
        // Every page carries the window's filters: a NextToken only paginates, Amazon reads no
        // filter from it and refuses a page without LastUpdatedAfter (specs/amazon-orders-v0.json, getOrders).
        const params: Record<string, string> = { LastUpdatedAfter: updatedFrom, LastUpdatedBefore: updatedTo, MaxResultsPerPage: String(PAGE_SIZE), ...(page !== undefined ? { NextToken: page } : {}) };
        return parseGetOrders(await connect().getOrders(params));
      },
    };
  },
});

function connection(settings: AmazonConfig) {
  const { AMAZON_CLIENT_ID: clientId, AMAZON_CLIENT_SECRET: clientSecret, AMAZON_REFRESH_TOKEN: refreshToken } = settings;
  if (clientId === undefined || clientSecret === undefined || refreshToken === undefined) {
    const missing = [clientId === undefined && 'AMAZON_CLIENT_ID', clientSecret === undefined && 'AMAZON_CLIENT_SECRET', refreshToken === undefined && 'AMAZON_REFRESH_TOKEN'].filter(Boolean);
    throw new RobotError(
      'ROBOT_NOT_CONFIGURED',
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: register an SP-API app with the Orders role in Seller Central, authorize it, and set AMAZON_CLIENT_ID, AMAZON_CLIENT_SECRET and AMAZON_REFRESH_TOKEN`,
    );
  }
  return { spapiUrl: settings.AMAZON_SPAPI_URL, lwaUrl: settings.AMAZON_LWA_URL, clientId, clientSecret, refreshToken, marketplaceIds: settings.AMAZON_MARKETPLACE_IDS, timeoutMs: settings.AMAZON_TIMEOUT_MS };
}
