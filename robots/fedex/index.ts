import { z } from 'zod';
import { RobotError, type TrackOutcome, defineRobot } from '../../src/robot-kit/index.ts';
import type { FedExSettings } from './client.ts';
import { checkFedExNumber, recognizeFedExNumber } from './formats.ts';
import { createFedExSession, type FedExSession } from './session.ts';

/** "Maximum limit is 30" `trackingInfo` entries per request (Track OpenAPI). */
const MAX_BATCH = 30;

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 10000';
const credential = (what: string) =>
  z
    .string()
    .regex(/^\S+$/, { error: `must be the ${what} of a developer.fedex.com project, not empty and without spaces` })
    // Optional so that parcelbot starts without it; tracking then fails with ROBOT_NOT_CONFIGURED.
    .optional();

const config = z.object({
  FEDEX_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://apis.fedex.com (sandbox: https://apis-sandbox.fedex.com)' })
    .default('https://apis.fedex.com'),
  FEDEX_CLIENT_ID: credential('API key'),
  FEDEX_CLIENT_SECRET: credential('secret key'),
  FEDEX_TIMEOUT_MS: z.coerce
    .number({ error: TIMEOUT_MESSAGE })
    .int({ error: TIMEOUT_MESSAGE })
    .positive({ error: TIMEOUT_MESSAGE })
    .default(10_000),
});

type FedExConfig = z.infer<typeof config>;

function settingsOf(config: FedExConfig): FedExSettings {
  const where = 'from a project with the Track API at developer.fedex.com, and set it in the environment';
  if (config.FEDEX_CLIENT_ID === undefined) throw new RobotError('ROBOT_NOT_CONFIGURED', `FEDEX_CLIENT_ID is not set: take the API key ${where}`);
  if (config.FEDEX_CLIENT_SECRET === undefined) throw new RobotError('ROBOT_NOT_CONFIGURED', `FEDEX_CLIENT_SECRET is not set: take the secret key ${where}`);
  return { apiUrl: config.FEDEX_API_URL, clientId: config.FEDEX_CLIENT_ID, clientSecret: config.FEDEX_CLIENT_SECRET, timeoutMs: config.FEDEX_TIMEOUT_MS };
}

/** FedEx answers an empty number with a 400 for the whole call: refused here, alone. */
function emptyNumberRejected(): TrackOutcome {
  return { trackingNumber: '', kind: 'rejected', error: new RobotError('TRACKING_NUMBER_INVALID', 'FedEx cannot track an empty number') };
}

export default defineRobot({
  id: 'fedex',
  title: 'FedEx Track API v1',
  kind: 'api',
  // 1,400 transactions per 10 s per project (developer.fedex.com "Quotas & rate limits" guide).
  // The daily quotas (per organization; 100,000 Track requests per project by default) answer 429
  // until midnight GMT: that default is the daily quota here, which sweeps keep to their share of
  // (FEDEX_DAILY_QUOTA sets your project's own).
  capabilities: { track: { maxBatch: MAX_BATCH, rateLimit: { max: 1400, durationMs: 10_000 }, dailyQuota: 100_000 } },
  config,
  checkTrackingNumber: checkFedExNumber,
  recognize: recognizeFedExNumber,
  create(context, config) {
    // Made at the first look-up, so that the robot starts without credentials and tracking says which is missing.
    let session: FedExSession | undefined;
    return {
      async track(numbers) {
        session ??= createFedExSession(context, settingsOf(config));
        // Each distinct number is asked once, 30 a call; duplicates share its answer.
        const distinct = [...new Set(numbers)].filter((number) => number !== '');
        const answers = new Map<string, TrackOutcome>();
        for (let start = 0; start < distinct.length; start += MAX_BATCH) {
          for (const outcome of await session.trackBatch(distinct.slice(start, start + MAX_BATCH))) answers.set(outcome.trackingNumber, outcome);
        }
        return numbers.map((number) => (number === '' ? emptyNumberRejected() : answers.get(number)!));
      },
    };
  },
});
