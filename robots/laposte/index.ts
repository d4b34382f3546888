import { z } from 'zod';
import { RobotError, defineRobot } from '../../src/robot-kit/index.ts';
import { fetchIdships } from './client.ts';
import { recognizeLaPoste } from './formats.ts';
import { parseIdshipsResponse } from './parse.ts';

/**
 * The `lang` values of La Poste's OpenAPI (`langQ`). karrio's `en_US` is not among them: La Poste
 * documents English as `en_GB`.
 */
const LANGS = ['fr_FR', 'en_GB', 'de_DE', 'es_ES', 'it_IT', 'nl_NL'] as const;

const TIMEOUT_MESSAGE = 'must be a whole number of milliseconds greater than 0, e.g. 10000';

const config = z.object({
  LAPOSTE_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.laposte.fr' })
    .default('https://api.laposte.fr'),
  // Optional so that parcelbot starts without it; tracking then fails with ROBOT_NOT_CONFIGURED.
  LAPOSTE_API_KEY: z
    .string()
    .regex(/^\S+$/, { error: 'must be the key from developer.laposte.fr, not empty and without spaces' })
    .optional(),
  LAPOSTE_LANG: z.enum(LANGS, { error: `must be one of ${LANGS.join(', ')}, the values Suivi v2 documents (for English, en_GB)` }).default('fr_FR'),
  LAPOSTE_TIMEOUT_MS: z.coerce
    .number({ error: TIMEOUT_MESSAGE })
    .int({ error: TIMEOUT_MESSAGE })
    .positive({ error: TIMEOUT_MESSAGE })
    .default(10_000),
});

/** La Poste ids are 11 to 15 letters or digits (carrier-apis.md 2.2). */
const TRACKING_NUMBER = /^[A-Za-z0-9]{11,15}$/;

export default defineRobot({
  id: 'laposte',
  title: 'La Poste Suivi v2 (Colissimo, Chronopost, Lettre suivie)',
  kind: 'api',
  // Suivi v2 takes one to 10 comma-separated ids per call; its 429 body says "100 calls per 1s"
  // (another source says per minute: set LAPOSTE_RATE_LIMIT=100/1m if your key has that quota).
  capabilities: { track: { maxBatch: 10, rateLimit: { max: 100, durationMs: 1000 } } },
  config,
  checkTrackingNumber(trackingNumber) {
    return TRACKING_NUMBER.test(trackingNumber) ? null : 'La Poste numbers have 11 to 15 letters or digits';
  },
  recognize: recognizeLaPoste,
  create(context, settings) {
    return {
      async track(numbers) {
        const apiKey = settings.LAPOSTE_API_KEY;
        if (apiKey === undefined) {
          throw new RobotError('ROBOT_NOT_CONFIGURED', 'LAPOSTE_API_KEY is not set: get a key at developer.laposte.fr (API "Suivi v2") and set it in the environment');
        }
        if (numbers.length === 0) return [];
        const response = await fetchIdships(
          context.http,
          { apiUrl: settings.LAPOSTE_API_URL, apiKey, lang: settings.LAPOSTE_LANG, timeoutMs: settings.LAPOSTE_TIMEOUT_MS },
          numbers,
          context.clock.now().getTime(),
        );
        return parseIdshipsResponse(response.status, response.text, numbers);
      },
    };
  },
});
