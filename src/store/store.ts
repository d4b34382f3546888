import type { Database } from './database.ts';
import { ExceptionRepository } from './exception-repository.ts';
import { LookupRepository } from './lookup-repository.ts';
import { ShipmentRepository } from './shipment-repository.ts';
import { SweepRepository } from './sweep-repository.ts';
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
  sweeps: SweepRepository;
}

export function createStore(db: Database): Store {
  return {
    db,
    shipments: new ShipmentRepository(db),
    tracking: new TrackingRepository(db),
    lookups: new LookupRepository(db),
    exceptions: new ExceptionRepository(db),
    unmappedCodes: new UnmappedCodeRepository(db),
    sweeps: new SweepRepository(db),
  };
}
