import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { createCustomerAndCarrierExecutors } from './customer-and-carrier-executors.ts';
import type { DocumentSink } from './document-sink.ts';

const registry = await RobotRegistry.load();
const core = (env: Record<string, string>) => loadConfig(env, registry.all()).core;
// Building the executors writes and reads no document.
const documents: DocumentSink = {
  save: () => Promise.reject(new Error('building the executors saves no document')),
  read: () => Promise.reject(new Error('building the executors reads no document')),
};

describe('createCustomerAndCarrierExecutors', () => {
  it('gives one executor per follow-up kind it carries out, with the shipped claim windows', async () => {
    const built = await createCustomerAndCarrierExecutors(core({}), documents);
    expect(built.executors.map((executor) => executor.kind)).toEqual(['customer_email', 'return_label', 'carrier_claim']);
    expect(built.windows.version).toBe(2);
    built.close();
  });

  it.each([
    [{ CLAIM_WINDOWS_FILE: new URL('../../fixtures/claim-windows/unknown-count.yaml', import.meta.url).pathname }, /unknown-count\.yaml:7: defaults\.damaged\.closes\.count/],
    [{ MERCHANT_RETURN_NAME: 'Maison Exemple', MERCHANT_RETURN_CITY: 'Lyon' }, /^MERCHANT_RETURN_LINE1: required with MERCHANT_RETURN_NAME/],
  ])('stops the start on wrong settings %j', async (env, message) => {
    const error = await createCustomerAndCarrierExecutors(core(env), documents).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    [{ SMTP_URL: 'http://smtp.example.com' }, 'SMTP_URL: expected an SMTP URL such as smtp://user:password@smtp.example.com:587 (smtps:// for TLS from the first byte)'],
    [{ SMTP_FROM: 'Service client' }, 'SMTP_FROM: expected the sender, e.g. "Service client <service-client@shop.example>"'],
    [{ CLAIM_WINDOW_ALERT_DAYS: '-1' }, 'CLAIM_WINDOW_ALERT_DAYS: expected a whole number from 0 to 60 (days)'],
    [{ MERCHANT_RETURN_COUNTRY: 'France' }, 'MERCHANT_RETURN_COUNTRY: expected a 2-letter ISO 3166 country code such as FR'],
  ])('refuses %j at start with one line naming the variable', (env, message) => {
    expect(() => core(env)).toThrow(message);
  });
});
