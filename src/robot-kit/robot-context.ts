import type { Logger } from 'pino';
import type { Clock } from '../infra/clock.ts';
import type { HttpClient } from './http-client.ts';
import type { PortalSessions } from './portal.ts';
import type { TokenCache } from './token-cache.ts';

/** What the runtime hands a robot: its only ways to reach the world. */
export interface RobotContext {
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  /** OAuth tokens shared by every worker (Redis). */
  tokens: TokenCache;
  /** Logged-in web portal sessions (browser or cookie-jar HTTP), for portal robots. */
  portal: PortalSessions;
}

export type { Clock, Logger };
