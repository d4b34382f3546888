import { countryCode, dayInZone } from '../../src/domain/calendar-day.ts';
import type { MarketplaceOrder, OrderPage, RejectedOrder } from '../../src/domain/marketplace-order.ts';
import { readJsonPayload, readOrderRecord, RobotError } from '../../src/robot-kit/index.ts';
import { marketplaceOf } from './marketplaces.ts';
import { stageOf } from './order-statuses.ts';
import { amazonOrder, getOrdersResponse } from './payload.ts';

// Pure: a getOrders body in, orders out. No sockets, no clock; tested on recorded payloads.

/**
 * A getOrders answer (carrier-apis.md 9.4): its orders, the unreadable ones with why, and the
 * NextToken of the page after. Orders v0 never names a tracking number (9.6): shipments are found
 * by the Amazon order id. Personal data (BuyerInfo, the address but its country) is not read.
 */
export function parseGetOrders(body: string): OrderPage {
  const read = readJsonPayload(body, getOrdersResponse);
  if (!('data' in read)) {
    throw new RobotError('CARRIER_BAD_PAYLOAD', `Amazon answered getOrders with a body that does not match Orders v0: ${read.problem}`, {
      evidence: { body },
      cause: read.cause,
    });
  }
  const page: OrderPage = { orders: [], rejected: [], next: read.data.payload.NextToken };
  for (const raw of read.data.payload.Orders) {
    const order = readOrder(raw);
    if ('reason' in order) page.rejected.push(order);
    else page.orders.push(order);
  }
  return page;
}

export function readOrder(raw: unknown): MarketplaceOrder | RejectedOrder {
  const read = readOrderRecord(raw, amazonOrder, 'AmazonOrderId');
  const { orderRef } = read;
  if ('reason' in read) return { orderRef, reason: read.reason };
  const order = read.data;
  const stage = stageOf(order.OrderStatus);
  if (!stage) return { orderRef, reason: `OrderStatus: unknown status ${JSON.stringify(order.OrderStatus.slice(0, 40))}` };
  const marketplace = marketplaceOf(order.MarketplaceId);
  const day = (at: string | undefined) => (at === undefined ? undefined : dayInZone(new Date(at), marketplace.timeZone));
  const promisedTo = day(order.LatestDeliveryDate);
  const promisedFrom = day(order.EarliestDeliveryDate ?? order.LatestDeliveryDate);
  if (promisedFrom !== undefined && promisedTo !== undefined && promisedFrom > promisedTo) return { orderRef, reason: 'EarliestDeliveryDate: after LatestDeliveryDate' };
  const amount = order.OrderTotal === undefined ? undefined : Number(order.OrderTotal.Amount);
  return {
    orderRef: order.AmazonOrderId,
    state: order.OrderStatus,
    stage,
    lines: [],
    total: amount !== undefined && Number.isFinite(amount) ? amount : undefined,
    currency: order.OrderTotal?.CurrencyCode,
    promisedFrom: promisedTo === undefined ? undefined : promisedFrom,
    promisedTo,
    promiseSource: promisedTo === undefined ? undefined : 'delivery_date',
    shipBy: order.LatestShipDate,
    createdAt: order.PurchaseDate,
    updatedAt: order.LastUpdateDate,
    channel: `amazon:${marketplace.code}`,
    destinationCountry: countryCode(order.ShippingAddress?.CountryCode),
  };
}
