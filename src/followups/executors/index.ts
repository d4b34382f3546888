import type { Clock } from '../../infra/clock.ts';
import type { HttpClient } from '../../robot-kit/http-client.ts';
import type { RobotRegistry } from '../../robot-kit/registry.ts';
import type { Config } from '../../config.ts';
import type { Store } from '../../store/store.ts';
import type { ClaimWindows } from '../claims/claim-windows.ts';
import { createCustomerAndCarrierExecutors } from '../customer-and-carrier-executors.ts';
import type { FollowUpExecutor } from '../follow-up-executor.ts';
import { createStoreDocumentSink } from '../store-document-sink.ts';
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
  store(): Promise<Store>;
}

export interface Executors {
  list: FollowUpExecutor[];
  /** The claim windows in force, for the scheduler's alerts. */
  claimWindows: ClaimWindows;
  /** Closes the SMTP connections. */
  close(): void;
}

export function omsClientOf({ config, http, clock }: Pick<ExecutorDeps, 'config' | 'http' | 'clock'>): OmsClient {
  const { OMS_URL, OMS_API_KEY, OMS_TIMEOUT_MS } = config.core;
  return new OmsClient({ url: OMS_URL, apiKey: OMS_API_KEY, timeoutMs: OMS_TIMEOUT_MS }, http, clock);
}

/**
 * Every follow-up executor of this installation, one per kind: adding a kind is one line here.
 * Checked at start: a wrong claim windows file or half a merchant return address stops it.
 */
export async function followUpExecutors(deps: ExecutorDeps): Promise<Executors> {
  const oms = omsClientOf(deps);
  const isCarrier = (id: string) => Boolean(deps.registry.find(id)?.capabilities.track);
  // A channel names a marketplace robot (`mirakl:cdiscount`), never a carrier.
  const isMarketplace = (id: string) => deps.registry.find(id) !== undefined && !isCarrier(id);
  const toCustomers = await createCustomerAndCarrierExecutors(deps.config.core, createStoreDocumentSink(deps.store, deps.clock));
  return {
    list: [reshipmentExecutor({ oms, isCarrier }), refundExecutor({ oms, isMarketplace }), managerCaseExecutor, ...toCustomers.executors],
    claimWindows: toCustomers.windows,
    close: toCustomers.close,
  };
}
