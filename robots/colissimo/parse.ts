import { type BodyPart, boundaryOf, type Evidence, RobotError, splitMultipart } from '../../src/robot-kit/index.ts';
import { type GenerateLabelAnswer, generateLabelAnswerSchema } from './payload.ts';

/** What came back from `generateLabel`: status, Content-Type and the body's bytes. */
export interface LabelExchange {
  request: { method: string; url: string };
  status: number;
  contentType: string;
  bytes: Buffer;
}

export interface ParsedLabel {
  parcelNumber: string;
  pdf: Buffer;
}

/** Colissimo's message id for a contract number or password it does not know (karrio's recorded answer). */
const CREDENTIALS_REFUSED_ID = '30000';

/**
 * Reads a `generateLabel` answer. Pure. Success is HTTP 200, multipart: a JSON part
 * (`<jsonInfos>`: messages, labelV2Response.parcelNumber) and the label's bytes (`<label>`).
 * Refusals come as HTTP 400 with the same JSON, multipart or bare, its messages typed ERROR:
 * 30000 is a credential refusal, any other id a request the service will not take.
 */
export function parseLabelAnswer(exchange: LabelExchange): ParsedLabel {
  const parts = partsOf(exchange);
  const jsonPart = parts.find((part) => part.headers['content-id'] === '<jsonInfos>') ?? parts.find((part) => /json/i.test(part.headers['content-type'] ?? ''));
  const jsonText = jsonPart?.body.toString('utf8') ?? '';
  const answer = readJson(jsonText, exchange);
  const errors = answer.messages.filter((message) => message.type === 'ERROR');
  if (errors.length > 0) {
    const said = errors.map((message) => `[${message.id}] ${message.messageContent}`).join('; ');
    const evidence = evidenceOf(exchange, jsonText);
    if (errors.some((message) => message.id === CREDENTIALS_REFUSED_ID)) {
      throw new RobotError('CARRIER_AUTH_REFUSED', `Colissimo refused the contract number or password (${said}): check COLISSIMO_CONTRACT_NUMBER and COLISSIMO_PASSWORD`, { evidence });
    }
    throw new RobotError('CARRIER_BAD_REQUEST', `Colissimo refused the label request: ${said}`, { evidence });
  }
  const parcelNumber = answer.labelV2Response?.parcelNumber;
  if (exchange.status !== 200 || parcelNumber === undefined) {
    throw badPayload(`Colissimo answered HTTP ${exchange.status} without a parcel number or an error message`, exchange, jsonText);
  }
  const label = parts.find((part) => part.headers['content-id'] === '<label>');
  const pdf = label && decoded(label);
  if (pdf === undefined || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw badPayload(`Colissimo gave parcel number ${parcelNumber} but no PDF label part`, exchange, jsonText);
  }
  return { parcelNumber, pdf };
}

/** The body's parts; a body that is not multipart (an error answered as bare JSON) is its one part. */
function partsOf(exchange: LabelExchange): BodyPart[] {
  const boundary = boundaryOf(exchange.contentType);
  if (boundary === undefined) return [{ headers: { 'content-type': exchange.contentType }, body: exchange.bytes }];
  try {
    return splitMultipart(exchange.bytes, boundary);
  } catch (error) {
    throw badPayload(`Colissimo's multipart answer cannot be read: ${(error as Error).message}`, exchange, exchange.bytes.subarray(0, 2048).toString('utf8'));
  }
}

function readJson(text: string, exchange: LabelExchange): GenerateLabelAnswer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badPayload(`Colissimo answered HTTP ${exchange.status} without a readable JSON part`, exchange, text);
  }
  const parsed = generateLabelAnswerSchema.safeParse(json);
  if (!parsed.success) throw badPayload(`Colissimo's JSON part does not match its format: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, exchange, text);
  return parsed.data;
}

/** Labels come as raw bytes (`Content-Transfer-Encoding: binary`); base64 is read too. */
function decoded(part: BodyPart): Buffer {
  return /base64/i.test(part.headers['content-transfer-encoding'] ?? '') ? Buffer.from(part.body.toString('latin1'), 'base64') : part.body;
}

/** The JSON part only: the label is binary, and the request (with the password) is never kept. */
function evidenceOf(exchange: LabelExchange, body: string): Evidence {
  return { request: exchange.request, status: exchange.status, body };
}

function badPayload(message: string, exchange: LabelExchange, body: string): RobotError {
  return new RobotError('CARRIER_BAD_PAYLOAD', message, { evidence: evidenceOf(exchange, body) });
}
