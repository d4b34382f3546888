import { z } from 'zod';
import { RobotError, type TrackOutcome, defineRobot } from '../../src/robot-kit/index.ts';
import { fetchShipments } from './client.ts';
import { DailyQuotaWatch } from './daily-quota.ts';
import { checkDhlNumber, recognizeDhlNumber } from './formats.ts';
import { parseShipmentsResponse } from './parse.ts';

/** The languages the status texts are read in (status-map.ts holds English and German phrases). */
const LANGUAGES = ['en', 'de'] as const;

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 10000';

const config = z.object({
  DHL_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api-eu.dhl.com' })
    .default('https://api-eu.dhl.com'),
  // Optional so that parcelbot starts without it; tracking then fails with ROBOT_NOT_CONFIGURED.
  DHL_API_KEY: z
    .string()
    .regex(/^\S+$/, { error: 'must be the API key of your app at developer.dhl.com, not empty and without spaces' })
    .optional(),
  DHL_LANGUAGE: z
    .enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}: the robot reads DHL's status texts in these languages` })
    .default('en'),
  DHL_TIMEOUT_MS: z.coerce
    .number({ error: TIMEOUT_MESSAGE })
    .int({ error: TIMEOUT_MESSAGE })
    .positive({ error: TIMEOUT_MESSAGE })
    .default(10_000),
});

export default defineRobot({
  id: 'dhl',
  title: 'DHL Shipment Tracking – Unified (Express, Paket, eCommerce, Freight)',
  kind: 'api',
  // One `trackingNumber` per call. DHL's initial quota is 1 call per second and 250 per day
  // (developer.dhl.com rate-limit table, "Starter" level; third-party notes give the same): both
  // are the defaults here. The daily one cannot be expressed by one rate: sweeps keep to their
  // share of it (src/jobs/daily-call-budget.ts); once spent, DHL answers 429 until 00:00 GMT, and
  // daily-quota.ts tells that 429 from the per-second one. A bigger quota: set DHL_RATE_LIMIT
  // (e.g. 2/1s) and DHL_DAILY_QUOTA (e.g. 5000).
  capabilities: { track: { maxBatch: 1, rateLimit: { max: 1, durationMs: 1000 }, dailyQuota: 250 } },
  config,
  checkTrackingNumber: checkDhlNumber,
  recognize: recognizeDhlNumber,
  create(context, settings) {
    const quota = new DailyQuotaWatch();
    return {
      async track(numbers) {
        const apiKey = settings.DHL_API_KEY;
        if (apiKey === undefined) {
          throw new RobotError(
            'ROBOT_NOT_CONFIGURED',
            'DHL_API_KEY is not set: create an app with the "Shipment Tracking - Unified" API at developer.dhl.com and set its API key in the environment',
          );
        }
        const client = { apiUrl: settings.DHL_API_URL, apiKey, language: settings.DHL_LANGUAGE, timeoutMs: settings.DHL_TIMEOUT_MS };
        const outcomes: TrackOutcome[] = [];
        // One call per number, in order: the API takes no batch.
        for (const trackingNumber of numbers) {
          const problem = checkDhlNumber(trackingNumber);
          if (problem !== null) {
            // Refused before calling: a call would only spend the daily quota on a 404.
            outcomes.push({ trackingNumber, kind: 'rejected', error: new RobotError('TRACKING_NUMBER_INVALID', problem) });
            continue;
          }
          const response = await fetchShipments(context.http, client, trackingNumber, context.clock.now().getTime(), quota);
          outcomes.push(parseShipmentsResponse(response.status, response.text, trackingNumber));
        }
        return outcomes;
      },
    };
  },
});
