import type { Clock } from '../../infra/clock.ts';
import type { HttpClient } from '../../robot-kit/http-client.ts';
import type { RobotRegistry } from '../../robot-kit/registry.ts';
import type { Config } from '../../config.ts';
import type { FollowUpExecutor } from '../follow-up-executor.ts';
import { OmsClient } from '../oms-client.ts';
import { managerCaseExecutor } from './manager-case-executor.ts';
import { refundExecutor } from './refund-executor.ts';
import { reshipmentExecutor } from './reshipment-executor.ts';

/** What executors are made with: configuration and the clients of the systems they act on. */
export interface ExecutorDeps {
  config: Config;
  http: HttpClient;
  registry: RobotRegistry;
  clock: Clock;
}

export function omsClientOf({ config, http, clock }: Pick<ExecutorDeps, 'config' | 'http' | 'clock'>): OmsClient {
  const { OMS_URL, OMS_API_KEY, OMS_TIMEOUT_MS } = config.core;
  return new OmsClient({ url: OMS_URL, apiKey: OMS_API_KEY, timeoutMs: OMS_TIMEOUT_MS }, http, clock);
}

/** Every follow-up executor of this installation, one per kind: adding a kind is one line here. */
export function followUpExecutors(deps: ExecutorDeps): FollowUpExecutor[] {
  const oms = omsClientOf(deps);
  const isCarrier = (id: string) => Boolean(deps.registry.find(id)?.capabilities.track);
  // A channel names a marketplace robot (`mirakl:cdiscount`), never a carrier.
  const isMarketplace = (id: string) => deps.registry.find(id) !== undefined && !isCarrier(id);
  return [reshipmentExecutor({ oms, isCarrier }), refundExecutor({ oms, isMarketplace }), managerCaseExecutor];
}
