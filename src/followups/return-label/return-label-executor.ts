import type { PostalAddress } from '../../domain/postal-address.ts';
import type { ReturnParties } from '../../domain/return-label.ts';
import type { Shipment } from '../../domain/shipment.ts';
import { RobotError } from '../../robot-kit/robot-error.ts';
import type { DocumentSink } from '../document-sink.ts';
import { customerEmailOf, sendCustomerEmail } from '../email/send-customer-email.ts';
import type { Mailer } from '../email/smtp-mailer.ts';
import type { FollowUpExecutor } from '../follow-up-executor.ts';

export interface ReturnLabelDeps {
  mailer: Mailer;
  documents: DocumentSink;
  /** MERCHANT_RETURN_*: where returns go (merchantReturnAddressOf). */
  merchant: PostalAddress | undefined;
  /** The label service used when the shipment's carrier robot makes none. Default `colissimo`. */
  labelRobot?: string;
}

/** What the label effect records: JSON, so the ledger can keep it; the PDF itself is in the documents. */
interface MadeLabel {
  robot: string;
  documentId: string;
  fileName: string;
  returnTrackingNumber?: string;
}

/**
 * `return_label`: a carrier return label for the shipment, kept as a document and e-mailed to
 * the customer. The shipment's own carrier robot makes it when it can (a portal that knows the
 * parcel); otherwise the label service robot (Colissimo), which needs the customer's and the
 * merchant's addresses. Two effects, two keys: `<id>:label` then `<id>:email`. Neither service
 * takes an idempotency key, so both are at most once (no reconcile, no retry): a crash right
 * after the label was made leaves a manager to check, never a second label.
 */
export function createReturnLabelExecutor(deps: ReturnLabelDeps): FollowUpExecutor {
  const labelRobot = deps.labelRobot ?? 'colissimo';
  return {
    kind: 'return_label',
    async execute(followUp, context) {
      const { shipment } = context;
      // Checked first: a label nobody can be sent is a label wasted.
      customerEmailOf(shipment);
      const own = context.robot(shipment.carrier);
      const [robotId, robot] = own.returnLabel ? [shipment.carrier, own] : [labelRobot, context.robot(labelRobot)];
      const parties = own.returnLabel ? partiesIfKnown(shipment, deps.merchant) : requiredParties(shipment, deps.merchant, labelRobot);
      const label = await context.effects.once<MadeLabel>(`${followUp.id}:label`, {
        target: robotId,
        call: async () => {
          if (!robot.returnLabel) throw new RobotError('ROBOT_NOT_CONFIGURED', `robot ${robotId} makes no return labels`);
          const made = await robot.returnLabel(shipment.trackingNumber, parties);
          const documentId = await deps.documents.save({ fileName: made.fileName, contentType: 'application/pdf', bytes: made.pdf }, { kind: 'return_label', shipmentId: shipment.id, followUpId: followUp.id });
          return { robot: robotId, documentId, fileName: made.fileName, ...(made.returnTrackingNumber ? { returnTrackingNumber: made.returnTrackingNumber } : {}) };
        },
      });
      const pdf = await readLabel(deps.documents, label);
      const { messageId } = await sendCustomerEmail(followUp, context, deps.mailer, {
        template: 'return_label',
        purpose: 'email',
        ...(label.returnTrackingNumber ? { facts: { returnTrackingNumber: label.returnTrackingNumber } } : {}),
        attachments: [{ filename: label.fileName, content: pdf, contentType: 'application/pdf' }],
      });
      return {
        summary: `Return label ${label.returnTrackingNumber ?? label.fileName} made by ${label.robot} and e-mailed to the customer`,
        references: { labelDocumentId: label.documentId, messageId, ...(label.returnTrackingNumber ? { returnTrackingNumber: label.returnTrackingNumber } : {}) },
      };
    },
  };
}

function partiesIfKnown(shipment: Shipment, merchant: PostalAddress | undefined): ReturnParties | undefined {
  return shipment.customerAddress && merchant ? { customer: shipment.customerAddress, merchant, ...(shipment.orderRef ? { orderRef: shipment.orderRef } : {}) } : undefined;
}

/** A label service names both ends: the customer's address (order data) and the merchant's (settings). */
function requiredParties(shipment: Shipment, merchant: PostalAddress | undefined, robotId: string): ReturnParties {
  if (!shipment.customerAddress) {
    throw new RobotError('ORDER_DATA_MISSING', `shipment ${shipment.id} has no customer address, which a ${robotId} return label names as sender: add customer_name, customer_address, customer_postcode and customer_city to the order`);
  }
  if (!merchant) throw new RobotError('ROBOT_NOT_CONFIGURED', 'MERCHANT_RETURN_NAME, MERCHANT_RETURN_LINE1, MERCHANT_RETURN_POSTCODE and MERCHANT_RETURN_CITY are not set: a return label needs the address returns go to');
  return partiesIfKnown(shipment, merchant)!;
}

async function readLabel(documents: DocumentSink, label: MadeLabel): Promise<Buffer> {
  const document = await documents.read(label.documentId);
  if (!document) throw new RobotError('UNEXPECTED_ERROR', `the return label ${label.documentId} was made but is no longer in the documents store`);
  return document.bytes;
}

