import { z } from 'zod';
import { defineRobot } from '../../src/robot-kit/index.ts';
import { checkPortal, findRefund, listOrders, readOrder, refund } from './portal.ts';
import { sellerPortalSession } from './session.ts';

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 15000';

const config = z.object({
  // No default: there is no one real host, each marketplace has its own back office.
  SELLER_PORTAL_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) address of the seller back office, e.g. https://sellers.example-marketplace.com' }).optional(),
  // Optional so that parcelbot starts without them; the robot's calls then fail with ROBOT_NOT_CONFIGURED.
  SELLER_PORTAL_LOGIN: z.string().regex(/^\S+$/, { error: 'must be the e-mail the seller account signs in with, without spaces' }).optional(),
  SELLER_PORTAL_PASSWORD: z.string().min(1).optional(),
  // The pages need no JavaScript: plain HTTP is ~50 times cheaper than a browser (platform-notes.md).
  SELLER_PORTAL_MODE: z.enum(['http', 'browser'], { error: 'must be http (plain HTTP with cookies) or browser (Chromium)' }).default('http'),
  SELLER_PORTAL_TIMEOUT_MS: z.coerce.number({ error: TIMEOUT_MESSAGE }).int({ error: TIMEOUT_MESSAGE }).positive({ error: TIMEOUT_MESSAGE }).default(15_000),
});

export default defineRobot({
  id: 'seller-portal',
  title: "A marketplace's seller back office: orders with their promises, refunds",
  kind: 'portal',
  // No `track`: this robot reads orders and refunds them; it tracks no parcel.
  capabilities: {},
  config,
  create(context, settings) {
    const inSession = sellerPortalSession(context.portal, settings);
    return {
      listOrders: (query) => inSession((driver) => listOrders(driver, query)),
      readOrder: (orderRef) => inSession((driver) => readOrder(driver, orderRef)),
      refund(request) {
        // One attempt for the whole call: the runtime may run the steps twice (a new sign-in).
        const attempt = { sent: false };
        return inSession((driver) => refund(driver, request, attempt));
      },
      findRefund: (request) => inSession((driver) => findRefund(driver, request)),
      checkPortal: () => inSession(checkPortal),
    };
  },
});
