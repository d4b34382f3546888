import { describe, expect, it } from 'vitest';
import { renderEmail } from './render-email.ts';

const facts = { orderRef: 'CMD-1001', trackingNumber: '6A12345678901', signature: 'Service client' };

describe('renderEmail', () => {
  it.each([
    ['reshipped', 'fr', 'Un nouveau colis est en route (commande CMD-1001)', 'Nous vous avons envoyé un nouveau colis'],
    ['reshipped', 'en', 'A new parcel is on its way (order CMD-1001)', 'We have sent you a new parcel'],
    ['refunded', 'fr', 'Remboursement de commande CMD-1001', 'Nous vous avons remboursé'],
    ['refunded', 'en', 'Refund for order CMD-1001', 'We have refunded you'],
    ['damaged', 'fr', 'Votre colis a été endommagé (commande CMD-1001)', 'un nouvel envoi ou un remboursement'],
    ['damaged', 'en', 'Your parcel was damaged (order CMD-1001)', 'a new shipment or a refund'],
    ['return_label', 'fr', 'Votre étiquette de retour (commande CMD-1001)', "l'étiquette jointe"],
    ['return_label', 'en', 'Your return label (order CMD-1001)', 'the attached label'],
    ['delay_apology', 'fr', 'Votre colis a du retard (commande CMD-1001)', "n'est pas encore arrivé"],
    ['delay_apology', 'en', 'Your parcel is delayed (order CMD-1001)', 'has not arrived yet'],
  ] as const)('%s in %s: "%s"', (template, language, subject, says) => {
    const email = renderEmail(template, language, facts);
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(says);
    expect(email.text).toContain('6A12345678901');
    expect(email.html).toContain(`<html lang="${language}">`);
  });

  it('writes the same words as text and as HTML, escaped, signed', () => {
    const email = renderEmail('refunded', 'en', { ...facts, name: 'Jo <Smith> & Co', amount: '€12.50' });
    expect(email.text).toBe(
      [
        'Dear Jo <Smith> & Co,',
        'Your parcel 6A12345678901 was not delivered as planned, and we are sorry.',
        'We have refunded you €12.50; the amount will show on your payment method within a few days.',
        'Kind regards,\nService client\n',
      ].join('\n\n'),
    );
    expect(email.html).toContain('<p>Dear Jo &lt;Smith&gt; &amp; Co,</p>');
    expect(email.html).toContain('<p>Kind regards,<br>Service client</p>');
    expect(email.html).not.toContain('<Smith>');
  });

  it.each([
    [undefined, 'Répondez à ce message pour nous dire ce que vous préférez : un nouvel envoi ou un remboursement.'],
    ['reshipment', 'Nous faisons le nécessaire auprès de lui et vous envoyons un nouveau colis.'],
    ['refund', 'Nous faisons le nécessaire auprès de lui et vous remboursons votre commande.'],
  ] as const)('a damaged parcel with %s under way: %s', (remedy, says) => {
    expect(renderEmail('damaged', 'fr', { ...facts, ...(remedy ? { remedy } : {}) }).text).toContain(says);
  });

  it('says what it knows: the new tracking number, the return number; without one, promises no message nothing sends', () => {
    expect(renderEmail('reshipped', 'fr', { ...facts, newTrackingNumber: '6A99999999999' }).text).toContain('avec le numéro 6A99999999999');
    expect(renderEmail('reshipped', 'fr', facts).text).toContain('Nous vous avons envoyé un nouveau colis, sans frais pour vous.');
    expect(renderEmail('reshipped', 'en', facts).text).not.toMatch(/tracking number/);
    expect(renderEmail('return_label', 'en', { ...facts, returnTrackingNumber: '8R90000000001' }).text).toContain('(return number 8R90000000001)');
  });
});
