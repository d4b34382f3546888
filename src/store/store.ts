import type { Database } from './database.ts';
import { ExceptionQueue } from './exception-queue.ts';
import { ExceptionRepository } from './exception-repository.ts';
import { LookupRepository } from './lookup-repository.ts';
import { OperationsStats } from './operations-stats.ts';
import { ShipmentRepository } from './shipment-repository.ts';
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
    shipmentSearch: new ShipmentSearch(db),
    exceptionQueue: new ExceptionQueue(db),
    operationsStats: new OperationsStats(db),
  };
}
