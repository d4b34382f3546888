import { describe, expect, it } from 'vitest';
import { withoutPersonalData } from './personal-data.ts';

describe('withoutPersonalData', () => {
  it('blanks personal fields and every e-mail address, in whole or cut JSON', () => {
    expect(withoutPersonalData('{"firstname": "Ana", "note": "write to ana.lopez+eci@mail.example.es", "Phone":"+34 600"}')).toBe(
      '{"firstname": "[blanked]", "note": "write to [blanked]", "Phone":"[blanked]"}',
    );
    expect(withoutPersonalData('{"orders":[{"customer_notification_email":"x@y.fr","lastname":"Lóp')).toBe('{"orders":[{"customer_notification_email":"[blanked]","lastname":"[blanked]"');
    expect(withoutPersonalData('<a@b.fr> x@y@jo@ex.org')).toBe('<[blanked]> x@y@[blanked]');
  });

  it.each([
    ['DHL persons', '{"receiver":{"familyName":"Dubois","givenName":"Léa"},"proofOfDelivery":{"signed":{"name":"DUBOIS"}},"address":{"streetAddress":"3 place Bellecour"}}'],
    ['UPS addresses and delivery', '{"packageAddress":[{"type":"DESTINATION","name":"Dubois","attentionName":"Léa Dubois","address":{"addressLine1":"3 place Bellecour"}}],"deliveryInformation":{"receivedBy":"DUBOIS","signature":{"image":"iVBORw0KGgo"}}}'],
    ['FedEx contacts', '{"contact":{"personName":"Léa Dubois","phoneNumber":33612345678,"companyName":"Dubois SARL"},"streetLines":["3 place Bellecour","Bât. A"],"deliveryDetails":{"receivedByName":"DUBOIS"}}'],
  ])('blanks %s and keeps the shape, codes and numbers', (_carrier, body) => {
    const blanked = withoutPersonalData(body);
    for (const personal of ['Dubois', 'DUBOIS', 'Léa', 'Bellecour', 'Bât. A', '33612345678', 'iVBORw0KGgo']) expect(blanked).not.toContain(personal);
    // Keys, nesting and array lengths stay: `JSON.parse` still reads it, with the same keys.
    expect(Object.keys(JSON.parse(blanked))).toEqual(Object.keys(JSON.parse(body)));
    expect(blanked.match(/"\[blanked\]"/g)?.length).toBeGreaterThan(2);
  });

  it('blanks phone numbers written in text, but not dates, times or tracking numbers', () => {
    const text = '{"note":"call +33 6 12 34 56 78 or 06.12.34.56.78","date":"2026-03-10T09:00:00+01:00","time":"163000","idShip":"0034043493825327594","code":"TB0403"}';
    expect(withoutPersonalData(text)).toBe('{"note":"call [blanked] or [blanked]","date":"2026-03-10T09:00:00+01:00","time":"163000","idShip":"0034043493825327594","code":"TB0403"}');
  });

  it('blanks a value the body was cut in, and an array cut short', () => {
    expect(withoutPersonalData('{"deliveryDetails":{"receivedByName":"CREI')).toBe('{"deliveryDetails":{"receivedByName":"[blanked]"');
    expect(withoutPersonalData('{"streetLines":["455 Atlantic Ave","Apt')).toBe('{"streetLines":["[blanked]","[blanked]"');
  });

  it('reads a body with a 2 MB run of characters and no address in one pass (it took hours)', () => {
    const blob = 'A'.repeat(2_000_000);
    expect(withoutPersonalData(`{"label":"${blob}"}`)).toBe(`{"label":"${blob}"}`);
  });
});
