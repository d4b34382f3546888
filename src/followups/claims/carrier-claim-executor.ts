import { z } from 'zod';
import { CLAIM_TYPES, type ClaimRequest, type ClaimType } from '../../domain/claim.ts';
import type { Shipment } from '../../domain/shipment.ts';
import type { Robot } from '../../robot-kit/define-robot.ts';
import type { NewClaim } from '../../store/claim-repository.ts';
import { RobotError } from '../../robot-kit/robot-error.ts';
import type { DocumentSink } from '../document-sink.ts';
import type { ExecutionResult, ExecutorContext, FollowUp, FollowUpExecutor } from '../follow-up-executor.ts';
import { type ClaimWindow, claimWindowOf } from './claim-window.ts';
import { type ClaimWindows, whereToFile } from './claim-windows.ts';
import { evidenceFileName, evidencePackPdf } from './evidence-pack.ts';

/**
 * The code of the exception row that asks an agent to file a claim by hand. A task, not a
 * failure: it is not in the error-code registry, and every task code starts with `TASK_`.
 */
export const FILE_CLAIM_TASK = 'TASK_FILE_CLAIM';

export interface CarrierClaimDeps {
  documents: DocumentSink;
  windows: ClaimWindows;
}

/** A rule's parameters for a claim; others it wrote are left for the audit trail. */
const paramsSchema = z.looseObject({
  type: z.enum(CLAIM_TYPES, { error: `expected one of ${CLAIM_TYPES.join(', ')}` }),
  verdict: z.string().optional(),
  reason: z.string().optional(),
  amount: z.number({ error: 'expected an amount such as 49.9' }).positive({ error: 'expected an amount above 0' }).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected a 3-letter ISO 4217 code such as EUR' }).optional(),
});
type ClaimParams = z.output<typeof paramsSchema>;

interface Prepared {
  params: ClaimParams;
  amount?: number;
  currency: string;
  window: ClaimWindow;
  pdf: Buffer;
  fileName: string;
  documentId: string;
}

/**
 * `carrier_claim`: an evidence pack (PDF) for every claim, kept as a document; then the claim is
 * filed by the carrier's robot when it has `fileClaim` (its reference stored in `claims`), or
 * left to an agent: a `to_file` claim and a TASK_FILE_CLAIM exception saying where and by when.
 */
export function createCarrierClaimExecutor(deps: CarrierClaimDeps): FollowUpExecutor {
  return {
    kind: 'carrier_claim',
    async execute(followUp, context) {
      const prepared = await prepare(followUp, context, deps);
      const robot = context.robot(context.shipment.carrier);
      return robot.fileClaim ? fileThroughRobot(followUp, context, robot, prepared) : leaveToAgent(followUp, context, deps.windows, prepared);
    },
  };
}

async function prepare(followUp: FollowUp, context: ExecutorContext, deps: CarrierClaimDeps): Promise<Prepared> {
  const parsed = paramsSchema.safeParse(followUp.params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RobotError('FOLLOW_UP_PARAMS_INVALID', `carrier_claim follow-up ${followUp.id}: ${issue?.path.join('.') || 'params'}: ${issue?.message}`);
  }
  const params = parsed.data;
  const { shipment, store } = context;
  const events = await store.tracking.events(shipment.id);
  // What carriers answered when robots failed on this parcel; tasks (such as this claim's) are no answers.
  const answers = (await store.exceptions.listForShipment(shipment.id)).filter((exception) => exception.evidence !== undefined && !exception.code.startsWith('TASK_'));
  const window = claimWindowOf(deps.windows, shipment.carrier, params.type, { delivered: shipment.deliveredAt, promised: shipment.promisedTo, last_event: events[0]?.at });
  const amount = params.amount ?? shipment.declaredValue;
  const currency = params.currency ?? shipment.currency ?? 'EUR';
  const pdf = await evidencePackPdf({
    shipment,
    type: params.type,
    ...(params.verdict ? { verdict: params.verdict } : {}),
    ...(params.reason ? { reason: params.reason } : {}),
    ruleId: followUp.ruleId,
    ...(amount === undefined ? {} : { amount }),
    currency,
    window,
    events,
    answers,
    generatedAt: context.clock.now(),
  });
  const fileName = evidenceFileName(shipment.trackingNumber, params.type);
  const documentId = await deps.documents.save({ fileName, contentType: 'application/pdf', bytes: pdf }, { kind: 'evidence_pack', shipmentId: shipment.id, followUpId: followUp.id });
  return { params, ...(amount === undefined ? {} : { amount }), currency, window, pdf, fileName, documentId };
}

/**
 * Through the carrier's portal robot. `fileClaim` answers the claim already open for the
 * parcel and type instead of filing another (define-robot.ts), so after a crash between the
 * filing and its record the ledger may run it again as `reconcile`: it finds the claim filed.
 */
async function fileThroughRobot(followUp: FollowUp, context: ExecutorContext, robot: Robot, prepared: Prepared): Promise<ExecutionResult> {
  const { shipment, store, clock } = context;
  const { params, amount, currency } = prepared;
  if (amount === undefined) {
    throw new RobotError('ORDER_DATA_MISSING', `shipment ${shipment.id} has no declared value, which a claim states: add declared_value to the order, or an amount to the rule`);
  }
  const request: ClaimRequest = {
    type: params.type,
    trackingNumber: shipment.trackingNumber,
    declaredValue: amount,
    currency,
    description: describeClaim(shipment.trackingNumber, params, shipment.orderRef),
    evidencePdf: { fileName: prepared.fileName, content: prepared.pdf },
  };
  const fileClaim = () => robot.fileClaim!(request);
  const receipt = await context.effects.once(`${followUp.id}:claim`, { target: shipment.carrier, call: fileClaim, reconcile: fileClaim });
  const now = clock.now();
  const claim = await store.claims.record({ ...claimOf(followUp, shipment, prepared), filedVia: 'portal', status: receipt.status, reference: receipt.reference, filedAt: now }, now);
  return {
    summary: `Filed a ${params.type} claim with ${shipment.carrier}: reference ${receipt.reference}`,
    references: { claimReference: receipt.reference, claimId: String(claim.id), evidenceDocumentId: prepared.documentId },
  };
}

/** No robot can file with this carrier: the claim waits for an agent, who is told where and by when. */
async function leaveToAgent(followUp: FollowUp, context: ExecutorContext, windows: ClaimWindows, prepared: Prepared): Promise<ExecutionResult> {
  const { shipment, store, clock } = context;
  const { params, window } = prepared;
  const now = clock.now();
  const claim = await store.claims.record({ ...claimOf(followUp, shipment, prepared), filedVia: 'agent', status: 'to_file' }, now);
  const deadline = window.lastDay ? ` by ${window.lastDay} (end of day, ${windows.calendar.time_zone})` : ' as soon as possible (no date the window counts from is known)';
  const notBefore = window.opensOn ? `, not before ${window.opensOn}` : '';
  await store.exceptions.open({
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    code: FILE_CLAIM_TASK,
    message: `File a ${params.type} claim for parcel ${shipment.trackingNumber} with ${shipment.carrier}${deadline}${notBefore}, at ${whereToFile(windows, shipment.carrier)}; attach the evidence pack ${prepared.fileName} (document ${prepared.documentId}); claim #${claim.id}`,
    evidence: { step: 'carrier claim' },
    jobId: `followup:${followUp.id}`,
    openedAt: now,
  });
  return {
    summary: `Prepared the evidence pack for a ${params.type} claim with ${shipment.carrier}; an agent files it${deadline}`,
    references: { claimId: String(claim.id), evidenceDocumentId: prepared.documentId },
  };
}

/** What a claim row holds whoever files it. */
function claimOf(followUp: FollowUp, shipment: Shipment, prepared: Prepared): Omit<NewClaim, 'filedVia' | 'status'> {
  return {
    followUpId: followUp.id,
    shipmentId: shipment.id,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    type: prepared.params.type,
    ...(prepared.amount === undefined ? {} : { amountClaimed: prepared.amount }),
    currency: prepared.currency,
    evidenceDocumentId: prepared.documentId,
    ...(prepared.window.closesAt ? { windowClosesAt: prepared.window.closesAt } : {}),
  };
}

/** What the carrier reads in the claim's description: the facts, never the customer's identity. */
function describeClaim(trackingNumber: string, params: ClaimParams, orderRef: string | undefined): string {
  const what: Record<ClaimType, string> = { lost: 'was lost', late: 'was delivered late', damaged: 'arrived damaged' };
  const why = [params.verdict && `verdict ${params.verdict}`, params.reason].filter(Boolean).join('; ');
  return `Parcel ${trackingNumber}${orderRef ? ` (order ${orderRef})` : ''} ${what[params.type]}${why ? ` (${why})` : ''}. Tracking timeline and carrier answers in the attached evidence pack.`;
}
