import type { Logger } from 'pino';
import type { Clock } from '../infra/clock.ts';
import type { HttpClient } from './http-client.ts';

/** What the runtime hands a robot: its only ways to reach the world. */
export interface RobotContext {
  http: HttpClient;
  clock: Clock;
  logger: Logger;
}

export type { Clock, Logger };
