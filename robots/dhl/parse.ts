import type { z } from 'zod';
import { isInOrder } from '../../src/domain/snapshot.ts';
import { type Evidence, RobotError, type TrackOutcome, readJsonPayload, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import { notFoundAnswer, problemDetail, shipmentsAnswer } from './payload.ts';
import { chooseShipment } from './shipment-choice.ts';
import { newestScanMs, toSnapshot } from './shipment-snapshot.ts';

const CARRIER = 'DHL';

/** Why a 404 without DHL's unknown-number answer is no "not found", and what to check. */
const NOT_THE_TRACKING_API =
  'not the documented unknown-number answer ("No result found", instance "/shipment/<number>"), so the call may not have reached the tracking API: ' +
  'check DHL_API_URL, the base URL such as https://api-eu.dhl.com (the robot adds /track/shipments)';

/**
 * Reads a `GET /track/shipments?trackingNumber=...` answer into the outcome of that one number.
 * Pure: the status and body come from `fetchShipments`. Throws RobotError when the call failed or
 * the body does not match the documented format (with the body as evidence).
 */
export function parseShipmentsResponse(status: number, body: string, trackingNumber: string): TrackOutcome {
  // The client already did this; repeated so the parser is safe on its own. The parser does not
  // know the host, so the evidence names the path only.
  throwForCommonStatus(CARRIER, { method: 'GET', url: '/track/shipments' }, { status, headers: {}, text: body }, 0);
  const evidence: Evidence = { status, body };
  if (status === 404) {
    // Only DHL's documented answer means "unknown number": any other 404 would report every parcel unknown.
    const answer = read(notFoundAnswer, body, evidence, NOT_THE_TRACKING_API);
    return { trackingNumber, kind: 'not_found', message: `${CARRIER} does not know this number: "${answer.detail}"` };
  }
  if (status === 400) {
    // Not documented; the only parameter that varies is the number, which the robot checked first.
    const problem = read(problemDetail, body, evidence);
    throw new RobotError('CARRIER_BAD_REQUEST', `${CARRIER} refused the request as malformed: "${problem.detail ?? problem.title ?? 'Bad Request'}"`, { evidence });
  }
  if (status !== 200) throw badPayload('the Unified API documents no such status', evidence);

  const answer = read(shipmentsAnswer, body, evidence);
  const shipment = chooseShipment(answer.shipments, trackingNumber, newestScanMs);
  if (!shipment) return { trackingNumber, kind: 'not_found', message: `${CARRIER} answered no shipment for this number` };
  const snapshot = toSnapshot(trackingNumber, shipment);
  if (snapshot.estimatedDelivery && !isInOrder(snapshot.estimatedDelivery)) throw badPayload('the estimated delivery ends before it starts', evidence);
  return { trackingNumber, kind: 'found', snapshot };
}

/** The body checked against `schema`; else a bad payload saying where, then `advice` when given. */
function read<T>(schema: z.ZodType<T>, body: string, evidence: Evidence, advice?: string): T {
  const result = readJsonPayload(body, schema);
  if ('problem' in result) throw badPayload(advice ? `${result.problem}; ${advice}` : result.problem, evidence, result.cause);
  return result.data;
}

function badPayload(detail: string, evidence: Evidence, cause?: unknown): RobotError {
  return new RobotError('CARRIER_BAD_PAYLOAD', `${CARRIER} answered HTTP ${evidence.status} with a body that does not match the Unified API: ${detail}`, { evidence, cause });
}
