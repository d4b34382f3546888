import type { z } from 'zod';
import { countryCode, dayInZone, isCalendarDay } from '../../src/domain/calendar-day.ts';
import type { MarketplaceOrder, PromiseSource, RejectedOrder } from '../../src/domain/marketplace-order.ts';
import { calendarFor } from '../../src/promise/business-calendar.ts';
import { readJsonPayload, readOrderRecord, RobotError } from '../../src/robot-kit/index.ts';
import { carrierIdOf } from './carrier-codes.ts';
import { stageOf } from './order-states.ts';
import { instant, type MiraklOrder, miraklOrder, orderListResponse } from './payload.ts';

// Pure: an OR11 body in, orders out. No sockets, no clock; tested on recorded payloads.

/** What reading an order needs from the robot's settings. */
export interface ReadSettings {
  /** The channel of orders without one: `mirakl:<instance>`. */
  instance: string;
  /** The zone promised instants are turned into days in. */
  timeZone: string;
  /** An `order_additional_fields` code holding the promised day (El Corte Inglés: `fecha-maxima-entrega`). */
  promiseField?: string;
  /** Days added to `shipping_deadline` when the order carries no promised delivery. */
  transitDays: number;
  carrierOverrides: Readonly<Record<string, string>>;
}

export interface ParsedOrderList {
  orders: MarketplaceOrder[];
  /** Full orders as Mirakl sent them, by id, for the refund (lines and their refunds). */
  raw: Map<string, MiraklOrder>;
  rejected: RejectedOrder[];
  total: number;
}

/**
 * An OR11 answer. A body that is not the documented envelope fails as a whole
 * (CARRIER_BAD_PAYLOAD, personal data blanked from the evidence); an order that cannot be read
 * is rejected with the field and why, and the others stand.
 */
export function parseOrderList(body: string, settings: ReadSettings): ParsedOrderList {
  const page = readEnvelope(body);
  const parsed: ParsedOrderList = { orders: [], raw: new Map(), rejected: [], total: page.total_count };
  for (const raw of page.orders) {
    const read = readOrder(raw, settings);
    if ('reason' in read) parsed.rejected.push(read);
    else {
      parsed.orders.push(read.order);
      parsed.raw.set(read.order.orderRef, read.raw);
    }
  }
  return parsed;
}

function readEnvelope(body: string): z.infer<typeof orderListResponse> {
  const read = readJsonPayload(body, orderListResponse);
  if ('data' in read) return read.data;
  throw new RobotError('CARRIER_BAD_PAYLOAD', `Mirakl answered OR11 with a body that does not match the Seller API: ${read.problem}`, {
    evidence: { body },
    cause: read.cause,
  });
}

/** One order of OR11, or why it cannot be read (field names and codes only: no personal data). */
export function readOrder(raw: unknown, settings: ReadSettings): { order: MarketplaceOrder; raw: MiraklOrder } | RejectedOrder {
  const read = readOrderRecord(raw, miraklOrder, 'order_id');
  const { orderRef } = read;
  if ('reason' in read) return { orderRef, reason: read.reason };
  const order = read.data;
  const stage = stageOf(order.order_state);
  if (!stage) return { orderRef, reason: `order_state: unknown state ${JSON.stringify(order.order_state.slice(0, 40))}` };
  const destinationCountry = countryCode(order.customer?.shipping_address?.country_iso_code) ?? countryCode(order.customer?.shipping_address?.country);
  const promise = promiseOf(order, destinationCountry, settings);
  if ('reason' in promise) return { orderRef, reason: promise.reason };
  // The first code given: Mirakl may send an unset one as "" rather than null.
  const carrier = [order.shipping_carrier_code, order.shipping_carrier_standard_code, order.shipping_company].find((code) => code?.trim()) ?? undefined;
  return {
    raw: order,
    order: {
      orderRef: order.order_id,
      state: order.order_state,
      stage,
      lines: order.order_lines.map((line) => ({
        sku: line.offer_sku ?? '',
        title: line.product_title ?? '',
        quantity: line.quantity,
        unitPrice: line.price_unit ?? (line.quantity > 0 ? line.price / line.quantity : line.price),
      })),
      total: order.total_price ?? undefined,
      currency: order.currency_iso_code ?? undefined,
      carrier,
      carrierId: carrierIdOf([order.shipping_carrier_code, order.shipping_carrier_standard_code, order.shipping_company], settings.carrierOverrides),
      trackingNumber: order.shipping_tracking?.trim() || undefined,
      ...promise,
      shipBy: order.shipping_deadline ?? undefined,
      createdAt: order.created_date,
      updatedAt: order.last_updated_date,
      channel: `mirakl:${order.channel?.code || settings.instance}`,
      customerEmail: order.customer_notification_email?.trim() || undefined,
      customerLocale: order.customer?.locale ?? undefined,
      destinationCountry,
    },
  };
}

type PromiseFields = Pick<MarketplaceOrder, 'promisedFrom' | 'promisedTo' | 'promiseSource'>;

/**
 * What the customer was promised, most trusted first: Mirakl's `delivery_date` window; else the
 * platform's own field (MIRAKL_PROMISE_FIELD); else the ship-by `shipping_deadline` plus
 * MIRAKL_TRANSIT_DAYS business days of the destination country (France when the order names
 * none), as promises are compared (domain.md): a parcel shipped on Friday does not travel on
 * Sunday. Days are taken in MIRAKL_TIME_ZONE.
 */
function promiseOf(order: MiraklOrder, destinationCountry: string | undefined, settings: ReadSettings): PromiseFields | RejectedOrder {
  const day = (at: string) => dayInZone(new Date(at), settings.timeZone);
  const { earliest, latest } = order.delivery_date ?? {};
  if (latest) {
    const from = day(earliest ?? latest);
    const to = day(latest);
    if (from > to) return { reason: 'delivery_date: earliest is after latest' };
    return promiseWindow(from, to, 'delivery_date');
  }
  if (settings.promiseField) {
    const field = order.order_additional_fields?.find((each) => each.code === settings.promiseField);
    if (field) {
      const value = typeof field.value === 'string' ? field.value.trim() : '';
      if (isCalendarDay(value)) return promiseWindow(value, value, 'platform_field');
      if (instant.safeParse(value).success) return promiseWindow(day(value), day(value), 'platform_field');
      return { reason: `order_additional_fields.${settings.promiseField}: expected a day YYYY-MM-DD or an ISO 8601 date and time` };
    }
  }
  if (order.shipping_deadline) {
    const shipBy = day(order.shipping_deadline);
    // A day past year 9999 is no calendar day: promiseWindow rejects it without counting from it.
    const promised = isCalendarDay(shipBy) ? calendarFor(destinationCountry ?? 'FR').addBusinessDays(shipBy, settings.transitDays) : shipBy;
    return promiseWindow(promised, promised, 'shipping_deadline');
  }
  return {};
}

/** A window of two days, or the order rejected when a day falls past year 9999 (a placeholder such as `9999-12-31T23:59:59-14:00`). */
function promiseWindow(promisedFrom: string, promisedTo: string, promiseSource: PromiseSource): PromiseFields | RejectedOrder {
  if (!isCalendarDay(promisedFrom) || !isCalendarDay(promisedTo)) return { reason: `${promiseSource}: the promised day is past year 9999` };
  return { promisedFrom, promisedTo, promiseSource };
}
