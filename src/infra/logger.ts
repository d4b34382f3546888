import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Paths pino blanks out: API keys, credentials and customer personal data. One level of
 * nesting is covered by the `*.` forms; code logs ids, never whole customer records.
 */
export const REDACTED_PATHS = [
  'apiKey', '*.apiKey',
  'password', '*.password',
  'token', '*.token', 'accessToken', '*.accessToken',
  'authorization', '*.authorization',
  'headers["x-okapi-key"]', '*.headers["x-okapi-key"]',
  'headers.authorization', '*.headers.authorization',
  'request.headers["x-okapi-key"]', 'request.headers.authorization',
  'customerEmail', '*.customerEmail',
  'email', '*.email',
  'customerName', '*.customerName',
  'address', '*.address',
  'phone', '*.phone',
];

export interface LoggerOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
  /** Where lines go; stderr by default so that a command's stdout stays its answer. */
  destination?: NodeJS.WritableStream;
}

export function createLogger({ level, format, destination = process.stderr }: LoggerOptions): Logger {
  const options = { level, base: { app: 'parcelbot' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  const readable = format === 'pretty' || (format === 'auto' && 'isTTY' in destination && destination.isTTY === true);
  if (readable) {
    return pino(options, pretty({ destination: destination as NodeJS.WritableStream & { fd?: number }, sync: true, ignore: 'pid,hostname,app' }));
  }
  return pino(options, destination);
}

export type { Logger };
