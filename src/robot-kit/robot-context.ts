import type { Logger } from 'pino';
import type { Clock } from '../infra/clock.ts';
import type { HttpClient } from './http-client.ts';
import type { TokenCache } from './token-cache.ts';

/** What the runtime hands a robot: its only ways to reach the world. */
export interface RobotContext {
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  /** OAuth tokens shared by every worker (Redis). */
  tokens: TokenCache;
}

export type { Clock, Logger };
