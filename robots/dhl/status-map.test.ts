import { describe, expect, it } from 'vitest';
import { STATUS_REASONS } from '../../src/domain/status-reason.ts';
import { isTrackingStatus } from '../../src/domain/tracking-status.ts';
import { KNOWN_STATUS_CODES, mapDhlEvent } from './status-map.ts';

describe('the five statusCode values (carrier-apis.md 3.4), with a text that says nothing more', () => {
  it.each([
    ['pre-transit', 'pending', 'retailer_label_created'],
    ['transit', 'in_transit', undefined],
    ['delivered', 'delivered', undefined],
    ['failure', 'delivery_failed', undefined],
    ['unknown', 'unknown', undefined],
  ] as const)('maps %s to %s (reason %s)', (code, status, reason) => {
    const mapping = mapDhlEvent(code, ['Die Sendung wird bearbeitet.']);
    expect(mapping).toEqual(reason === undefined ? { status } : { status, reason });
    expect(isTrackingStatus(mapping?.status ?? 'missing')).toBe(true);
    if (mapping?.reason !== undefined) expect(STATUS_REASONS).toContain(mapping.reason);
  });

  it('knows exactly the 1.4.1 enum', () => {
    expect([...KNOWN_STATUS_CODES].sort()).toEqual(['delivered', 'failure', 'pre-transit', 'transit', 'unknown']);
  });

  it.each(['exception', 'Transit', 'DELIVERED', '', 'constructor', '__proto__', 'toString'])('knows nothing of %j, whatever its text says', (code) => {
    expect(mapDhlEvent(code, ['The shipment has been loaded onto the delivery vehicle.'])).toBeUndefined();
  });

  it('keeps `unknown` unknown even when the text sounds like something', () => {
    expect(mapDhlEvent('unknown', ['Out for delivery'])).toEqual({ status: 'unknown' });
  });
});

// The free texts, English and German, each with the code DHL sends it with (or could).
describe('the texts refine the code', () => {
  it.each([
    // out for delivery: no code of its own
    ['transit', 'The shipment has been loaded onto the delivery vehicle. Delivery is expected to take place today.', 'out_for_delivery', undefined],
    ['transit', 'Die Sendung wurde in das Zustellfahrzeug geladen. Die Zustellung erfolgt voraussichtlich heute.', 'out_for_delivery', undefined],
    ['transit', 'With delivery courier', 'out_for_delivery', undefined],
    ['transit', 'Out for delivery', 'out_for_delivery', undefined],
    // handed over to DHL
    ['transit', 'The shipment has been posted by the sender at the retail outlet.', 'picked_up', undefined],
    ['transit', 'Die Sendung wurde vom Absender in der Filiale eingeliefert.', 'picked_up', undefined],
    ['transit', 'Shipment picked up', 'picked_up', undefined],
    ['transit', 'Die Sendung wurde abgeholt.', 'picked_up', undefined],
    // pickup points
    ['transit', 'The shipment is ready for pick-up at the PACKSTATION.', 'ready_for_pickup', undefined],
    ['transit', 'Die Sendung liegt in der PACKSTATION zur Abholung bereit.', 'ready_for_pickup', undefined],
    ['transit', 'Awaiting collection by recipient as requested', 'ready_for_pickup', undefined],
    ['delivered', 'The shipment has been delivered for pick-up at the retail outlet.', 'ready_for_pickup', undefined],
    // failed attempts and their causes
    ['transit', 'The recipient was not at home. The shipment could not be delivered, and the recipient has been notified.', 'delivery_failed', 'consignee_not_home'],
    ['transit', 'Der Empfänger wurde nicht angetroffen.', 'delivery_failed', 'consignee_not_home'],
    ['failure', 'The recipient has refused to accept the shipment.', 'delivery_failed', 'consignee_refused'],
    ['failure', 'Die Annahme der Sendung wurde verweigert.', 'delivery_failed', 'consignee_refused'],
    ['failure', 'The address is incomplete or incorrect.', 'delivery_failed', 'consignee_incorrect_address'],
    ['failure', 'Incorrect address - Contact DHL', 'delivery_failed', 'consignee_incorrect_address'],
    ['failure', 'Die Sendung konnte aufgrund eines Adressfehlers nicht zugestellt werden.', 'delivery_failed', 'consignee_incorrect_address'],
    ['failure', 'Recipient unknown', 'delivery_failed', 'carrier_address_not_found'],
    ['failure', 'Der Empfänger ist unbekannt.', 'delivery_failed', 'carrier_address_not_found'],
    ['failure', 'Business closed', 'delivery_failed', 'consignee_business_closed'],
    ['failure', 'Die Filiale war geschlossen.', 'delivery_failed', 'consignee_business_closed'],
    ['transit', 'A 2nd attempt at delivery is being made.', 'delivery_failed', undefined],
    ['transit', 'Es erfolgt ein 2. Zustellversuch.', 'delivery_failed', undefined],
    ['transit', 'The shipment was not picked up by the recipient.', 'delivery_failed', 'consignee_not_collected'],
    // held, delayed
    ['transit', 'DHL is attempting to obtain a new delivery address for the recipient.', 'on_hold', 'consignee_incorrect_address'],
    ['transit', 'Es wird versucht, eine neue Zustelladresse für den Empfänger zu ermitteln.', 'on_hold', 'consignee_incorrect_address'],
    ['transit', 'The shipment is pending completion of customs inspection.', 'on_hold', 'customs_delay'],
    ['transit', 'Clearance delay', 'on_hold', 'customs_delay'],
    ['transit', 'customs_inspection', 'on_hold', 'customs_delay'],
    ['transit', 'Die Sendung wird vom Zoll zurückgehalten.', 'on_hold', 'customs_delay'],
    ['failure', 'Shipment held - Available upon receipt of payment', 'on_hold', 'customs_duties_unpaid'],
    ['failure', 'Duties and taxes are payable by the recipient.', 'on_hold', 'customs_duties_unpaid'],
    ['failure', 'Die Einfuhrabgaben sind vom Empfänger zu zahlen.', 'on_hold', 'customs_duties_unpaid'],
    ['failure', 'Customs clearance requires a commercial invoice.', 'on_hold', 'customs_documentation'],
    ['failure', 'Für die Verzollung fehlen Unterlagen.', 'on_hold', 'customs_documentation'],
    ['transit', 'Shipment on hold', 'on_hold', undefined],
    ['transit', 'Delivery is delayed due to severe weather conditions.', 'delivery_delayed', 'weather_delay'],
    ['transit', 'Die Zustellung verzögert sich aufgrund von Unwetter.', 'delivery_delayed', 'weather_delay'],
    ['transit', 'Delay due to a strike at the hub', 'delivery_delayed', 'force_majeure'],
    ['transit', 'The shipment was misrouted and could not be delivered. The shipment will be readdressed.', 'delivery_delayed', 'carrier_sorting_error'],
    ['transit', 'Die Sendung wurde fehlgeleitet.', 'delivery_delayed', 'carrier_sorting_error'],
    ['transit', 'Shipment delayed', 'delivery_delayed', undefined],
    // returns, loss, damage, cancellation
    ['transit', 'The shipment is being returned to the sender.', 'return_to_sender', undefined],
    ['transit', 'Die Sendung wird an den Absender zurückgesandt.', 'return_to_sender', undefined],
    ['transit', 'Die Rücksendung der Sendung an den Absender wurde eingeleitet.', 'return_to_sender', undefined],
    ['delivered', 'Returned to shipper', 'return_to_sender', undefined],
    ['delivered', 'The shipment has been delivered back to the sender.', 'return_to_sender', undefined],
    ['delivered', 'Die Sendung wurde an den Absender zurückgeliefert.', 'return_to_sender', undefined],
    ['transit', 'The recipient refused the shipment. It is being returned to the sender.', 'return_to_sender', 'consignee_refused'],
    ['transit', 'Die Sendung wurde vom Empfänger nicht abgeholt und wird an den Absender zurückgesandt.', 'return_to_sender', 'consignee_not_collected'],
    ['failure', 'The shipment has been damaged and is being repacked.', 'damaged', 'carrier_damaged_parcel'],
    ['failure', 'Die Sendung wurde beschädigt und wird nachverpackt.', 'damaged', 'carrier_damaged_parcel'],
    ['failure', 'The shipment has been lost.', 'lost', 'carrier_parcel_lost'],
    ['failure', 'Die Sendung ist verloren gegangen.', 'lost', 'carrier_parcel_lost'],
    ['failure', 'Shipment cancelled', 'cancelled', undefined],
    ['failure', 'Die Sendung wurde storniert.', 'cancelled', undefined],
  ] as const)('%s "%s" -> %s (%s)', (code, text, status, reason) => {
    expect(mapDhlEvent(code, [text])).toEqual(reason === undefined ? { status } : { status, reason });
  });

  it('reads the remark too', () => {
    expect(mapDhlEvent('transit', ['Clearance event', 'Clearance event', 'The shipment is pending completion of customs inspection.'])).toEqual({
      status: 'on_hold',
      reason: 'customs_delay',
    });
  });

  it.each([
    ['The shipment has been processed in the parcel center of origin.', 'in_transit'],
    ['Die Sendung wurde im Ziel-Paketzentrum bearbeitet.', 'in_transit'],
    ['Clearance processing complete at LEIPZIG - GERMANY', 'in_transit'],
    ['Customs status updated', 'in_transit'],
    ['Die Verzollung ist abgeschlossen.', 'in_transit'],
  ])('leaves routine scans to the code: "%s" -> %s', (text, status) => {
    expect(mapDhlEvent('transit', [text])).toEqual({ status });
  });

  it('never turns a delivery into a failure, a hold or a pickup by the sender', () => {
    for (const text of ['Delivered - Signed for by: JESSICA', 'The recipient has picked up the shipment from the retail outlet.', 'Der Empfänger hat die Sendung in der Filiale abgeholt.']) {
      expect(mapDhlEvent('delivered', [text])).toEqual({ status: 'delivered' });
    }
    expect(mapDhlEvent('delivered', ['Delivered to neighbour, recipient not at home'])).toEqual({ status: 'delivered', reason: 'consignee_not_home' });
    expect(mapDhlEvent('delivered', ['Delivered damaged'])).toEqual({ status: 'delivered', reason: 'carrier_damaged_parcel' });
  });

  it('drops the label-created reason once the text decides the status', () => {
    expect(mapDhlEvent('pre-transit', ['Shipment picked up'])).toEqual({ status: 'picked_up' });
  });

  it('gives only statuses and reasons of the taxonomy', () => {
    const texts = ['Out for delivery', 'Returned to shipper', 'Clearance delay', 'Shipment cancelled', 'The shipment has been lost.', 'Recipient unknown'];
    for (const code of KNOWN_STATUS_CODES) {
      for (const text of texts) {
        const mapping = mapDhlEvent(code, [text])!;
        expect(isTrackingStatus(mapping.status)).toBe(true);
        if (mapping.reason !== undefined) expect(STATUS_REASONS).toContain(mapping.reason);
      }
    }
  });
});
