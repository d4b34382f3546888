import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TEST_ADDRESSES } from '../../../fixtures/colissimo/testing.ts';
import { callThroughLedger, executorContextOf, followUpOf, storedShipment } from '../../../fixtures/testing/follow-up-context.ts';
import { rejectionOf } from '../../../fixtures/testing/robot-errors.ts';
import { startTestWorld } from '../../testing/test-app.ts';
import { createCustomerEmailExecutor } from './customer-email-executor.ts';
import { createSmtpMailer, messageIdFor } from './smtp-mailer.ts';

const world = await startTestWorld();
const smtp = world.fixtures.smtp;
const mailer = createSmtpMailer(world.app.config.core);
const executor = createCustomerEmailExecutor(mailer);
afterEach(() => smtp.reset());
afterAll(async () => {
  mailer.close();
  await world.close();
});

const camille = await storedShipment(world, {
  trackingNumber: '6A12345678901',
  carrier: 'laposte',
  orderRef: 'CMD-1001',
  customerEmail: 'camille.martin@example.com',
  customerLang: 'fr',
  customerAddress: TEST_ADDRESSES.customerParis,
  declaredValue: 49.9,
  currency: 'EUR',
  destinationCountry: 'FR',
});
const john = await storedShipment(world, { trackingNumber: '6A12345678902', carrier: 'laposte', orderRef: 'CMD-1002', customerEmail: 'john.smith@example.com', customerLang: 'en', destinationCountry: 'BE' });
const anonymous = await storedShipment(world, { trackingNumber: '6A12345678903', carrier: 'laposte', customerLang: 'fr', destinationCountry: 'FR' });

describe('the customer_email executor', () => {
  it('sends the French template to a French customer, once, through the ledger without reconcile or retry', async () => {
    const followUp = await followUpOf(world, 'customer_email', camille, { template: 'reshipped', newTrackingNumber: '6A99999999999', reason: 'not delivered by the promise' });
    const effects = callThroughLedger();
    const context = await executorContextOf(world, camille, effects);
    const result = await executor.execute(followUp, context);

    const messageId = messageIdFor(`${followUp.id}:email`, world.env.SMTP_FROM);
    expect(result).toEqual({ summary: 'E-mailed the customer the "reshipped" message in French', references: { messageId } });
    expect(effects.calls).toEqual([{ key: `${followUp.id}:email`, target: 'smtp', reconcile: false, retrySafe: false }]);
    const [mail, ...others] = smtp.messages();
    expect(others).toEqual([]);
    expect(mail).toMatchObject({
      envelope: { from: 'service-client@shop.example', to: ['camille.martin@example.com'] },
      messageId,
      from: 'Service client <service-client@shop.example>',
      subject: 'Un nouveau colis est en route (commande CMD-1001)',
    });
    expect(mail?.text).toContain('Bonjour Camille Martin,');
    expect(mail?.text).toContain("Votre colis 6A12345678901 n'est pas arrivé à la date prévue");
    expect(mail?.text).toContain('avec le numéro 6A99999999999');
    expect(mail?.text).toContain('Bien cordialement,\nService client');
    expect(mail?.html).toContain('<p>Bonjour Camille Martin,</p>');
    // Nothing internal reaches the customer: no rule, no reason, no declared value.
    expect(`${mail?.text}${mail?.html}`).not.toMatch(/test-rule|not delivered by the promise|49[.,]9/);
    expect(context.lines.join('')).toContain('customer e-mail sent');
    expect(context.lines.join('')).not.toMatch(/camille|Martin/i);
  });

  it('sends the English template to an English customer, the refund in their currency format', async () => {
    await executor.execute(await followUpOf(world, 'customer_email', john, { template: 'refunded', amount: 12.5 }), await executorContextOf(world, john));
    const [mail] = smtp.messages();
    expect(mail).toMatchObject({ envelope: { to: ['john.smith@example.com'] }, subject: 'Refund for order CMD-1002' });
    expect(mail?.text).toMatch(/^Hello,\n\nYour parcel 6A12345678902 was not delivered as planned/);
    expect(mail?.text).toContain('We have refunded you €12.50;');
  });

  it('tells of a damaged parcel what is already under way (a replacement the rules decided), instead of asking to choose', async () => {
    const damaged = await storedShipment(world, { trackingNumber: '6A12345678904', carrier: 'laposte', orderRef: 'CMD-1004', customerEmail: 'jo@example.com', customerLang: 'en', destinationCountry: 'FR' });
    await executor.execute(await followUpOf(world, 'customer_email', damaged, { template: 'damaged' }), await executorContextOf(world, damaged));
    expect(smtp.messages()[0]?.text).toContain('Reply to this e-mail to tell us what you prefer: a new shipment or a refund.');
    smtp.reset();

    await world.app.followUps.propose(damaged, { ruleId: 'not-delivered-reship', action: 'reshipment', params: { reason: 'not_delivered' }, reason: 'Not delivered (late)' });
    await executor.execute(await followUpOf(world, 'customer_email', damaged, { template: 'damaged', reason: 'again' }), await executorContextOf(world, damaged));
    const [mail] = smtp.messages();
    expect(mail?.text).toContain('We are taking it up with the carrier and sending you a new parcel.');
    expect(mail?.text).not.toMatch(/what you prefer/);
  });

  it('keeps the same Message-ID for the same e-mail when it is sent again after a temporary refusal', async () => {
    const followUp = await followUpOf(world, 'customer_email', camille, { template: 'delay_apology' });
    smtp.refuseNext({ code: 451, message: 'Greylisted, try again later' });
    expect(await rejectionOf(executor.execute(followUp, await executorContextOf(world, camille)))).toMatchObject({ code: 'SMTP_UNAVAILABLE', message: 'the mail server refused the message for now (EMESSAGE 451)' });
    await executor.execute(followUp, await executorContextOf(world, camille));
    expect(smtp.messages().map((mail) => mail.messageId)).toEqual([messageIdFor(`${followUp.id}:email`, world.env.SMTP_FROM)]);
  });

  it.each([
    { name: 'a customer without e-mail', shipment: anonymous, params: { template: 'reshipped' }, code: 'ORDER_DATA_MISSING', message: /^shipment \d+ has no customer e-mail: add customer_email/ },
    { name: 'an unknown template', shipment: camille, params: { template: 'welcome' }, code: 'FOLLOW_UP_PARAMS_INVALID', message: /template: expected one of reshipped, refunded, damaged, delay_apology/ },
    { name: 'the return-label template without its label', shipment: camille, params: { template: 'return_label' }, code: 'FOLLOW_UP_PARAMS_INVALID', message: /return_label is sent by the return_label follow-up/ },
    { name: 'a negative amount', shipment: john, params: { template: 'refunded', amount: -3 }, code: 'FOLLOW_UP_PARAMS_INVALID', message: /amount: expected an amount above 0/ },
  ])('fails for good, sending nothing, on $name: $code', async ({ shipment, params, code, message }) => {
    const error = await rejectionOf(executor.execute(await followUpOf(world, 'customer_email', shipment, params), await executorContextOf(world, shipment)));
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(smtp.messages()).toEqual([]);
  });
});

describe('SMTP faults, classified', () => {
  const delay = () => followUpOf(world, 'customer_email', camille, { template: 'delay_apology' });

  it('a permanent refusal (550) is final: SMTP_REJECTED', async () => {
    smtp.refuseNext({ code: 550, message: 'Mailbox unavailable' });
    expect((await rejectionOf(executor.execute(await delay(), await executorContextOf(world, camille)))).code).toBe('SMTP_REJECTED');
  });

  it.each([
    { name: 'a wrong password', settings: { SMTP_URL: smtp.url.replace(':demo-smtp@', ':wrong@') }, code: 'SMTP_REJECTED' },
    { name: 'no server listening', settings: { SMTP_URL: 'smtp://parcelbot:demo-smtp@127.0.0.1:9' }, code: 'SMTP_UNAVAILABLE' },
    { name: 'no SMTP_URL', settings: { SMTP_URL: undefined }, code: 'ROBOT_NOT_CONFIGURED' },
  ])('$name: $code', async ({ settings, code }) => {
    const other = createSmtpMailer({ ...world.app.config.core, ...settings });
    try {
      const error = await rejectionOf(createCustomerEmailExecutor(other).execute(await delay(), await executorContextOf(world, camille)));
      expect(error.code).toBe(code);
      expect(error.message).not.toMatch(/demo-smtp|wrong|camille/);
    } finally {
      other.close();
    }
  });
});
