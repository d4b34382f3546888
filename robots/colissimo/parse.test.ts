import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import { parseLabelAnswer } from './parse.ts';

const payload = (name: string) => readFileSync(new URL(`../../fixtures/colissimo/payloads/${name}`, import.meta.url));
const multipart = (boundary: string) => `multipart/mixed; boundary="${boundary}"; type="application/json"`;
const RECORDED = multipart('uuid:dee537d3-3319-4ad8-87c1-b958f43e0739');
const request = { method: 'POST', url: 'https://ws.colissimo.fr/sls-ws/SlsServiceWSRest/2.0/generateLabel' };
const exchange = (name: string, status: number, contentType = RECORDED) => ({ request, status, contentType, bytes: payload(name) });

describe('parseLabelAnswer', () => {
  it('reads the parcel number from the JSON part and the label bytes from the label part', async () => {
    const { parcelNumber, pdf } = parseLabelAnswer(exchange('label-created.multipart', 200));
    expect(parcelNumber).toBe('6A15984040331');
    expect((await PDFDocument.load(pdf)).getTitle()).toBe('Colissimo label 6A15984040331');
  });

  it.each([
    {
      file: 'credentials-refused-400.multipart',
      contentType: multipart('uuid:07a458a8-bd7d-45ab-8349-865ac38f9b6e'),
      code: 'CARRIER_AUTH_REFUSED',
      message: 'Colissimo refused the contract number or password ([30000] Identifiant ou mot de passe incorrect): check COLISSIMO_CONTRACT_NUMBER and COLISSIMO_PASSWORD',
    },
    { file: 'eori-invalid-400.json', contentType: 'application/json', code: 'CARRIER_BAD_REQUEST', message: 'Colissimo refused the label request: [30562] Le format du numéro EORI est invalide' },
  ])('classifies $file as $code with its JSON part as evidence', ({ file, contentType, code, message }) => {
    const error = errorOf(() => parseLabelAnswer(exchange(file, 400, contentType)));
    expect(error).toMatchObject({ code, message, evidence: { request, status: 400, body: expect.stringContaining('"type":"ERROR"') } });
  });

  it.each([
    { file: 'label-part-missing.multipart', status: 200, message: 'Colissimo gave parcel number 6A15984040331 but no PDF label part' },
    { file: 'messages-not-a-list.multipart', status: 200, message: "Colissimo's JSON part does not match its format: messages Invalid input: expected array, received object" },
    { file: 'cut-short.multipart', status: 200, message: "Colissimo's multipart answer cannot be read: the multipart body ends before its closing boundary" },
    { file: 'label-created.multipart', status: 202, message: 'Colissimo answered HTTP 202 without a parcel number or an error message' },
    { file: 'cut-short.multipart', status: 200, message: 'Colissimo answered HTTP 200 without a readable JSON part', contentType: 'application/json' },
  ])('refuses $file (HTTP $status) as CARRIER_BAD_PAYLOAD: $message', ({ file, status, message, contentType }) => {
    const error = errorOf(() => parseLabelAnswer(exchange(file, status, contentType)));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', message });
    expect(error.evidence?.body).not.toContain('%PDF');
  });
});
