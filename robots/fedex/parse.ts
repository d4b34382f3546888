import type { z } from 'zod';
import { isInOrder } from '../../src/domain/snapshot.ts';
import { RobotError, type TrackOutcome, httpEvidence } from '../../src/robot-kit/index.ts';
import { type AuthRefusal, CARRIER, type Exchange, badPayload, firstIssue, statusLine, throwForFedExStatus } from './fedex-errors.ts';
import { type FedExError, type FoundTrackResult, type TrackResult, errorResponse, trackResponse, trackResults } from './payload.ts';
import { toSnapshot } from './snapshot.ts';

/** A 401 reaches the parser only after the robot refreshed its token once (session.ts). */
const TRACK_REFUSAL: AuthRefusal = {
  refuses: (status) => status === 401 || status === 403,
  advice: 'check that the developer.fedex.com project of FEDEX_CLIENT_ID has the Track API',
};

/** Per-number error codes inside an HTTP 200 (carrier-apis.md 5.7; INVALID from third-party clients). */
const NOT_FOUND = 'TRACKING.TRACKINGNUMBER.NOTFOUND';
const INVALID = 'TRACKING.TRACKINGNUMBER.INVALID';

/**
 * Reads a `POST /track/v1/trackingnumbers` answer into one outcome per requested number, in
 * order. Pure: `nowMs` only dates a daily-quota wait. Throws RobotError when the whole call failed
 * or the body does not match the Track API (with the body as evidence); a number whose own answer
 * does not match is that number's `failed` outcome.
 */
export function parseTrackResponse(exchange: Exchange, requestedNumbers: readonly string[], nowMs: number): TrackOutcome[] {
  throwForFedExStatus(exchange, nowMs, TRACK_REFUSAL);
  const { status } = exchange.response;
  // 400 (empty number, more than 30...) and 404 (no such resource: a wrong FEDEX_API_URL) refuse the whole call.
  if (status === 400 || status === 404) throw wholeCallRefused(exchange);
  if (status !== 200) throw badPayload(exchange, 'Track v1 documents no such status');

  const body = readJson(exchange, trackResponse);
  const answers = new Map(body.output.completeTrackResults.map((complete) => [complete.trackingNumber, complete]));
  return requestedNumbers.map((trackingNumber) => {
    const answer = answers.get(trackingNumber);
    if (!answer) return unreadable(trackingNumber, exchange, 'no completeTrackResult answers it');
    const results = trackResults.safeParse(answer.trackResults);
    if (!results.success) {
      const issues = results.error.issues.map((issue) => ({ ...issue, path: ['trackResults', ...issue.path] }));
      return unreadable(trackingNumber, exchange, firstIssue(issues), answer, results.error);
    }
    return outcomeOf(trackingNumber, results.data, exchange, answer);
  });
}

/**
 * A number whose answer cannot be read fails alone, with its own completeTrackResult as evidence
 * (none when FedEx left it out): the others of the call (up to 30) are still recorded.
 */
function unreadable(trackingNumber: string, exchange: Exchange, detail: string, answer?: unknown, cause?: unknown): TrackOutcome {
  const error = badPayload(exchange, `for ${trackingNumber}, ${detail}`, cause, answer === undefined ? '' : JSON.stringify(answer));
  return { trackingNumber, kind: 'failed', error };
}

function readJson<Schema extends z.ZodType>(exchange: Exchange, schema: Schema): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(exchange.response.text);
  } catch (cause) {
    throw badPayload(exchange, 'the body is not JSON', cause);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badPayload(exchange, firstIssue(parsed.error.issues), parsed.error);
  return parsed.data;
}

function wholeCallRefused(exchange: Exchange): RobotError {
  const { errors } = readJson(exchange, errorResponse);
  const messages = errors.map((error) => (error.message ? `"${error.message}"` : error.code)).join('; ');
  const advice = exchange.response.status === 404 ? ': check FEDEX_API_URL' : '';
  return new RobotError('CARRIER_BAD_REQUEST', `${CARRIER} refused the request (${statusLine(exchange)}): ${messages}${advice}`, {
    evidence: httpEvidence(exchange.request, exchange.response),
  });
}

function outcomeOf(trackingNumber: string, results: readonly TrackResult[], exchange: Exchange, answer: unknown): TrackOutcome {
  const found = results.filter(isFound);
  if (found.length > 0) {
    const snapshot = toSnapshot(trackingNumber, latestShipment(found));
    if (snapshot.estimatedDelivery && !isInOrder(snapshot.estimatedDelivery)) return unreadable(trackingNumber, exchange, 'the estimated delivery ends before it starts', answer);
    return { trackingNumber, kind: 'found', snapshot };
  }
  // Every result is an error (the schema guarantees it): the first one answers for the number.
  const error = results[0]?.error as FedExError;
  const evidence = httpEvidence(exchange.request, exchange.response);
  const quoted = error.message ? `"${error.message}"` : error.code;
  if (error.code === NOT_FOUND) return { trackingNumber, kind: 'not_found', message: `${CARRIER} does not know this number: ${quoted}` };
  if (error.code === INVALID) {
    return { trackingNumber, kind: 'rejected', error: new RobotError('TRACKING_NUMBER_INVALID', `${CARRIER} refused this number as invalid: ${quoted}`, { evidence }) };
  }
  // Another per-number refusal (TRACKING.DATA.NOTUNIQUE...): this number alone needs a person.
  return { trackingNumber, kind: 'rejected', error: new RobotError('CARRIER_BAD_REQUEST', `${CARRIER} refused this number (${error.code}): ${quoted}`, { evidence }) };
}

function isFound(result: TrackResult): result is FoundTrackResult {
  return result.error === undefined && result.latestStatusDetail !== undefined && result.scanEvents !== undefined;
}

/**
 * FedEx reuses numbers: one number can answer several shipments ("In case of duplicates, multiple
 * track details will be populated"). The customer asks about the latest one, so the shipment with
 * the most recent scan wins; on a tie (or no scans), FedEx's first.
 */
function latestShipment(found: readonly FoundTrackResult[]): FoundTrackResult {
  const lastScan = (result: FoundTrackResult): number => Math.max(-Infinity, ...result.scanEvents.map((scan) => Date.parse(scan.date)));
  return found.reduce((best, candidate) => (lastScan(candidate) > lastScan(best) ? candidate : best));
}
