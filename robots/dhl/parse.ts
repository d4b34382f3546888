import type { z } from 'zod';
import { isInOrder } from '../../src/domain/snapshot.ts';
import { type Evidence, RobotError, type TrackOutcome, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import { problemDetail, shipmentsAnswer } from './payload.ts';
import { chooseShipment } from './shipment-choice.ts';
import { newestScanMs, toSnapshot } from './shipment-snapshot.ts';

const CARRIER = 'DHL';

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
    // The documented answer for a number no DHL source knows (problem+json, "No result found").
    const problem = read(problemDetail, body, evidence);
    return { trackingNumber, kind: 'not_found', message: `${CARRIER} does not know this number: "${problem.detail ?? problem.title ?? 'No result found'}"` };
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

function read<Schema extends z.ZodType>(schema: Schema, body: string, evidence: Evidence): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw badPayload('the body is not JSON', evidence, cause);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw badPayload(`at ${issue?.path.join('.') || 'the top level'}: ${issue?.message}`, evidence, result.error);
  }
  return result.data;
}

function badPayload(detail: string, evidence: Evidence, cause?: unknown): RobotError {
  return new RobotError('CARRIER_BAD_PAYLOAD', `${CARRIER} answered HTTP ${evidence.status} with a body that does not match the Unified API: ${detail}`, { evidence, cause });
}
