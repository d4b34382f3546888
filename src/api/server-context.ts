// The plugins' typings (reply.generateCsrf, server.csrfProtection, route config.rateLimit, server.swagger) for every route module.
import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import type {} from '@fastify/rate-limit';
import type {} from '@fastify/swagger';
import type { App } from '../main.ts';
import type { BackgroundSweeps } from './background-sweeps.ts';
import type { ExceptionActions } from './exception-actions.ts';
import type { LookupService } from './lookup-service.ts';
import type { Sessions } from './session.ts';
import type { ShipmentViews } from './shipment-views.ts';
import type { ActionOutcomes } from './web/action-outcomes.ts';

/** What routes and pages are built from: the app and the services over it. */
export interface ServerContext {
  app: App;
  lookups: LookupService;
  exceptions: ExceptionActions;
  shipments: ShipmentViews;
  sessions: Sessions;
  sweeps: BackgroundSweeps;
  /** What a page's form did, carried across its redirect. */
  outcomes: ActionOutcomes;
}
