import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TEST_ADDRESSES } from '../../../fixtures/colissimo/testing.ts';
import { callThroughLedger, executorContextOf, followUpOf, storedShipment } from '../../../fixtures/testing/follow-up-context.ts';
import { readPdf } from '../../../fixtures/testing/pdf-text.ts';
import { rejectionOf } from '../../../fixtures/testing/robot-errors.ts';
import { startTestWorld } from '../../testing/test-app.ts';
import { createSmtpMailer } from '../email/smtp-mailer.ts';
import { createStoreDocumentSink } from '../store-document-sink.ts';
import { merchantReturnAddressOf } from './merchant-return-address.ts';
import { createReturnLabelExecutor } from './return-label-executor.ts';

const { merchantLyon, customerParis, customerBrussels } = TEST_ADDRESSES;
const world = await startTestWorld({
  env: { MERCHANT_RETURN_NAME: merchantLyon.name, MERCHANT_RETURN_LINE1: merchantLyon.line1, MERCHANT_RETURN_POSTCODE: merchantLyon.postcode, MERCHANT_RETURN_CITY: merchantLyon.city },
});
const { smtp, colissimo } = world.fixtures;
const documents = createStoreDocumentSink(world.app.store, world.clock);
const mailer = createSmtpMailer(world.app.config.core);
const merchant = merchantReturnAddressOf(world.app.config.core);
const executor = createReturnLabelExecutor({ mailer, documents, merchant });
afterEach(() => {
  smtp.reset();
  colissimo.reset();
});
afterAll(async () => {
  mailer.close();
  await world.close();
});

const base = { carrier: 'laposte', customerLang: 'fr', destinationCountry: 'FR' } as const;
const camille = await storedShipment(world, { ...base, trackingNumber: '6A12345678901', orderRef: 'CMD-1001', customerEmail: 'camille.martin@example.com', customerAddress: customerParis });
const john = await storedShipment(world, { ...base, trackingNumber: 'CB123456789FR', orderRef: 'CMD-1002', customerEmail: 'john.smith@example.com', customerLang: 'en', destinationCountry: 'BE', customerAddress: customerBrussels });
const noAddress = await storedShipment(world, { ...base, trackingNumber: '6A12345678903', customerEmail: 'no.address@example.com' });
const noEmail = await storedShipment(world, { ...base, trackingNumber: '6A12345678904', customerAddress: customerParis });

describe('the return_label executor with the Colissimo label service', () => {
  it('makes the label, keeps the PDF, and e-mails it to the customer: two effects, each at most once', async () => {
    const followUp = await followUpOf(world, 'return_label', camille);
    const effects = callThroughLedger();
    const result = await executor.execute(followUp, await executorContextOf(world, camille, effects));

    expect(result).toMatchObject({
      summary: 'Return label 8R90000000001 made by colissimo and e-mailed to the customer',
      references: { returnTrackingNumber: '8R90000000001', labelDocumentId: expect.stringMatching(/^\d+$/), messageId: expect.stringMatching(/@shop\.example>$/) },
    });
    expect(effects.calls).toEqual([
      { key: `${followUp.id}:label`, target: 'colissimo', reconcile: false, retrySafe: false },
      { key: `${followUp.id}:email`, target: 'smtp', reconcile: false, retrySafe: false },
    ]);
    expect(colissimo.labels().map(({ order }) => order)).toEqual([
      expect.objectContaining({ productCode: 'CORE', orderNumber: 'CMD-1001', addresseeParcelRef: '6A12345678901', sender: expect.objectContaining({ zipCode: '75005' }), addressee: expect.objectContaining({ city: 'Lyon' }) }),
    ]);

    const kept = await documents.read(result.references!.labelDocumentId!);
    const [mail] = smtp.messages();
    expect(mail).toMatchObject({ envelope: { to: ['camille.martin@example.com'] }, subject: 'Votre étiquette de retour (commande CMD-1001)', messageId: result.references?.messageId });
    expect(mail?.text).toContain("l'étiquette jointe (numéro de retour 8R90000000001)");
    expect(mail?.attachments).toEqual([{ filename: 'colissimo-return-8R90000000001.pdf', contentType: 'application/pdf', content: kept?.bytes }]);
    const { pdf, text } = await readPdf(mail!.attachments[0]!.content);
    expect(pdf.getTitle()).toBe('Colissimo return label 8R90000000001');
    expect(text).toContain('8R90000000001');
  });

  it('sends a customer abroad a CORI label, in English', async () => {
    await executor.execute(await followUpOf(world, 'return_label', john), await executorContextOf(world, john));
    expect(colissimo.labels()[0]?.order.productCode).toBe('CORI');
    expect(smtp.messages()[0]).toMatchObject({ subject: 'Your return label (order CMD-1002)', attachments: [expect.objectContaining({ filename: 'colissimo-return-8R90000000001.pdf' })] });
  });

  it.each([
    { name: 'no customer e-mail', shipment: noEmail, code: 'ORDER_DATA_MISSING', message: /has no customer e-mail/ },
    { name: 'no customer address', shipment: noAddress, code: 'ORDER_DATA_MISSING', message: /has no customer address, which a colissimo return label names as sender/ },
  ])('fails for good before any label when the order has $name', async ({ shipment, code, message }) => {
    const error = await rejectionOf(executor.execute(await followUpOf(world, 'return_label', shipment), await executorContextOf(world, shipment)));
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(colissimo.stats().totalCalls).toBe(0);
    expect(smtp.messages()).toEqual([]);
  });

  it('fails for good when the merchant return address is not configured', async () => {
    const unconfigured = createReturnLabelExecutor({ mailer, documents, merchant: undefined });
    const error = await rejectionOf(unconfigured.execute(await followUpOf(world, 'return_label', camille), await executorContextOf(world, camille)));
    expect(error).toMatchObject({ code: 'ROBOT_NOT_CONFIGURED', message: expect.stringMatching(/^MERCHANT_RETURN_NAME, MERCHANT_RETURN_LINE1/) });
  });

  it('e-mails nothing when the label service fails, and says so as the robot classified it', async () => {
    colissimo.setFaults({ fault: 'http-503' });
    expect((await rejectionOf(executor.execute(await followUpOf(world, 'return_label', camille), await executorContextOf(world, camille)))).code).toBe('CARRIER_UNAVAILABLE');
    expect(smtp.messages()).toEqual([]);
  });
});

describe('merchantReturnAddressOf', () => {
  it('reads the address from MERCHANT_RETURN_*, France by default', () => {
    expect(merchant).toEqual({ name: merchantLyon.name, line1: merchantLyon.line1, postcode: '69002', city: 'Lyon', country: 'FR' });
    expect(merchantReturnAddressOf({ ...world.app.config.core, MERCHANT_RETURN_NAME: undefined, MERCHANT_RETURN_LINE1: undefined, MERCHANT_RETURN_POSTCODE: undefined, MERCHANT_RETURN_CITY: undefined })).toBeUndefined();
  });

  it('refuses half an address at start, naming what is missing', () => {
    expect(() => merchantReturnAddressOf({ ...world.app.config.core, MERCHANT_RETURN_CITY: undefined })).toThrow('MERCHANT_RETURN_CITY: required with MERCHANT_RETURN_NAME');
  });
});
