import { z } from 'zod';
import { localDay } from '../../src/domain/local-time.ts';
import type { ReturnLabel, ReturnParties } from '../../src/domain/return-label.ts';
import { defineRobot, RobotError } from '../../src/robot-kit/index.ts';
import { postGenerateLabel } from './client.ts';
import { OUTPUT_FORMATS, returnLabelBody } from './label-request.ts';
import { parseLabelAnswer } from './parse.ts';

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 15000';
const WEIGHT_MESSAGE = 'must be a weight in kilograms from 0.01 to 30, e.g. 1.5';

const config = z.object({
  COLISSIMO_LABEL_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://ws.colissimo.fr' })
    .default('https://ws.colissimo.fr'),
  // Optional so that parcelbot starts without them; a label then fails with ROBOT_NOT_CONFIGURED.
  COLISSIMO_CONTRACT_NUMBER: z.string().regex(/^\d{6,10}$/, { error: 'must be the Colissimo contract number (6 to 10 digits, from your Colissimo Box)' }).optional(),
  COLISSIMO_PASSWORD: z.string().min(1, { error: 'must not be empty' }).optional(),
  COLISSIMO_LABEL_FORMAT: z.enum(OUTPUT_FORMATS, { error: `must be one of ${OUTPUT_FORMATS.join(', ')}` }).default('PDF_10x15_300dpi'),
  COLISSIMO_DEFAULT_WEIGHT_KG: z.coerce.number({ error: WEIGHT_MESSAGE }).min(0.01, { error: WEIGHT_MESSAGE }).max(30, { error: WEIGHT_MESSAGE }).default(1),
  COLISSIMO_TIMEOUT_MS: z.coerce.number({ error: TIMEOUT_MESSAGE }).int({ error: TIMEOUT_MESSAGE }).positive({ error: TIMEOUT_MESSAGE }).default(15_000),
});

/**
 * Colissimo's label web service, for return labels only: Colissimo parcels are tracked by the
 * `laposte` robot (Suivi v2), so this robot declares no `track` and no shipment names it.
 */
export default defineRobot({
  id: 'colissimo',
  title: 'Colissimo label web service (return labels)',
  kind: 'api',
  capabilities: {},
  config,
  create(context, settings) {
    return {
      async returnLabel(trackingNumber: string, parties?: ReturnParties): Promise<ReturnLabel> {
        const { COLISSIMO_CONTRACT_NUMBER: contractNumber, COLISSIMO_PASSWORD: password } = settings;
        if (contractNumber === undefined || password === undefined) {
          const missing = [contractNumber === undefined && 'COLISSIMO_CONTRACT_NUMBER', password === undefined && 'COLISSIMO_PASSWORD'].filter(Boolean).join(' and ');
          throw new RobotError('ROBOT_NOT_CONFIGURED', `${missing} not set: return labels use the Colissimo web-service account of your contract (Colissimo Box)`);
        }
        if (parties === undefined) throw new RobotError('CARRIER_BAD_REQUEST', "a Colissimo return label names its sender and addressee: the customer's and the merchant's addresses are needed");
        const now = context.clock.now();
        const body = returnLabelBody(
          { contractNumber, password, outputPrintingType: settings.COLISSIMO_LABEL_FORMAT, defaultWeightKg: settings.COLISSIMO_DEFAULT_WEIGHT_KG },
          trackingNumber,
          parties,
          localDay(now.toISOString()),
        );
        const exchange = await postGenerateLabel(context.http, { labelUrl: settings.COLISSIMO_LABEL_URL, timeoutMs: settings.COLISSIMO_TIMEOUT_MS }, body, now.getTime());
        const { parcelNumber, pdf } = parseLabelAnswer(exchange);
        return { fileName: `colissimo-return-${parcelNumber}.pdf`, pdf, returnTrackingNumber: parcelNumber };
      },
    };
  },
});
