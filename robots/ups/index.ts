import { z } from 'zod';
import { RobotError, type TrackOutcome, defineRobot } from '../../src/robot-kit/index.ts';
import { type UpsClient, type UpsSettings, createUpsClient } from './client.ts';
import { checkUpsNumber, recognizeUps } from './formats.ts';
import { parseTrackResponse } from './parse.ts';

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 10000';
const CREDENTIAL_MESSAGE = (what: string) => `must be the ${what} of your app at developer.ups.com, not empty and without spaces`;

const config = z.object({
  UPS_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://onlinetools.ups.com (or https://wwwcie.ups.com to test)' })
    .default('https://onlinetools.ups.com'),
  // Optional so that parcelbot starts without them; tracking then fails with ROBOT_NOT_CONFIGURED.
  UPS_CLIENT_ID: z.string().regex(/^\S+$/, { error: CREDENTIAL_MESSAGE('Client ID') }).optional(),
  UPS_CLIENT_SECRET: z.string().regex(/^\S+$/, { error: CREDENTIAL_MESSAGE('Client Secret') }).optional(),
  UPS_TRANSACTION_SRC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must name the calling application in 1 to 64 letters, digits, dots, dashes or underscores, e.g. parcelbot' })
    .default('parcelbot'),
  UPS_LOCALE: z.string().regex(/^[a-z]{2}_[A-Z]{2}$/, { error: 'must be a language and country code such as en_US or fr_FR' }).default('en_US'),
  UPS_TIMEOUT_MS: z.coerce
    .number({ error: TIMEOUT_MESSAGE })
    .int({ error: TIMEOUT_MESSAGE })
    .positive({ error: TIMEOUT_MESSAGE })
    .default(10_000),
});

type UpsConfig = z.infer<typeof config>;

export default defineRobot({
  id: 'ups',
  title: 'UPS Track API v1',
  kind: 'api',
  // One inquiry number per call (carrier-apis.md 4.2). UPS publishes no rate limit (4.6, 13), so
  // none is assumed: set UPS_RATE_LIMIT (e.g. 10/1s) if your account has one.
  capabilities: { track: { maxBatch: 1 } },
  config,
  checkTrackingNumber: checkUpsNumber,
  recognize: recognizeUps,
  create(context, settings) {
    // Made at the first look-up, so that a robot without credentials still starts.
    let client: UpsClient | undefined;
    return {
      async track(numbers) {
        client ??= createUpsClient(context, upsSettings(settings));
        const outcomes: TrackOutcome[] = [];
        // maxBatch is 1: more numbers (a direct caller) are tracked one call after another.
        for (const trackingNumber of numbers) {
          const response = await client.trackDetails(trackingNumber);
          outcomes.push(parseTrackResponse(response.status, response.text, trackingNumber));
        }
        return outcomes;
      },
    };
  },
});

/** The settings a call needs, or ROBOT_NOT_CONFIGURED naming what is missing. */
function upsSettings(settings: UpsConfig): UpsSettings {
  const missing = [settings.UPS_CLIENT_ID === undefined && 'UPS_CLIENT_ID', settings.UPS_CLIENT_SECRET === undefined && 'UPS_CLIENT_SECRET'].filter(Boolean);
  if (settings.UPS_CLIENT_ID === undefined || settings.UPS_CLIENT_SECRET === undefined) {
    throw new RobotError(
      'ROBOT_NOT_CONFIGURED',
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: create an app with the Tracking API at developer.ups.com and set UPS_CLIENT_ID and UPS_CLIENT_SECRET to its Client ID and Client Secret`,
    );
  }
  return {
    apiUrl: settings.UPS_API_URL,
    clientId: settings.UPS_CLIENT_ID,
    clientSecret: settings.UPS_CLIENT_SECRET,
    transactionSrc: settings.UPS_TRANSACTION_SRC,
    locale: settings.UPS_LOCALE,
    timeoutMs: settings.UPS_TIMEOUT_MS,
  };
}
