import { ClaimRepository } from './claim-repository.ts';
import type { Database } from './database.ts';
import { DocumentRepository } from './document-repository.ts';
import { EffectRepository } from './effect-repository.ts';
import { ExceptionQueue } from './exception-queue.ts';
import { ExceptionRepository } from './exception-repository.ts';
import { FollowUpRepository } from './follow-up-repository.ts';
import { LookupRepository } from './lookup-repository.ts';
import { MarketplaceSyncRepository } from './marketplace-sync-repository.ts';
import { ReshipmentRepository } from './reshipment-repository.ts';
import { ShipmentRepository } from './shipment-repository.ts';
import { SweepRepository } from './sweep-repository.ts';
import { OperationsStats } from './operations-stats.ts';
import { ShipmentSearch } from './shipment-search.ts';
import { TrackingRepository } from './tracking-repository.ts';
import { UnmappedCodeRepository } from './unmapped-code-repository.ts';

/** Every repository over one database. */
export interface Store {
  db: Database;
  shipments: ShipmentRepository;
  tracking: TrackingRepository;
  lookups: LookupRepository;
  exceptions: ExceptionRepository;
  unmappedCodes: UnmappedCodeRepository;
  marketplaceSync: MarketplaceSyncRepository;
  claims: ClaimRepository;
  followUps: FollowUpRepository;
  effects: EffectRepository;
  reshipments: ReshipmentRepository;
  documents: DocumentRepository;
  sweeps: SweepRepository;
  shipmentSearch: ShipmentSearch;
  exceptionQueue: ExceptionQueue;
  operationsStats: OperationsStats;
}

export function createStore(db: Database): Store {
  return {
    db,
    shipments: new ShipmentRepository(db),
    tracking: new TrackingRepository(db),
    lookups: new LookupRepository(db),
    exceptions: new ExceptionRepository(db),
    unmappedCodes: new UnmappedCodeRepository(db),
    marketplaceSync: new MarketplaceSyncRepository(db),
    claims: new ClaimRepository(db),
    followUps: new FollowUpRepository(db),
    effects: new EffectRepository(db),
    reshipments: new ReshipmentRepository(db),
    documents: new DocumentRepository(db),
    sweeps: new SweepRepository(db),
    shipmentSearch: new ShipmentSearch(db),
    exceptionQueue: new ExceptionQueue(db),
    operationsStats: new OperationsStats(db),
  };
}
