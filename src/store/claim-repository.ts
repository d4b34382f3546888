import type { ClaimStatus, ClaimType } from '../domain/claim.ts';
import type { Row, Sql } from './database.ts';
import { iso, text } from './row-values.ts';

/** A claim's status as parcelbot keeps it: the carrier's, or `to_file` while an agent has still to file it. */
export type StoredClaimStatus = 'to_file' | ClaimStatus;

/** The statuses the carrier may still change: refresh asks about these. */
export const OPEN_CLAIM_STATUSES = ['submitted', 'under_investigation', 'accepted'] as const satisfies readonly ClaimStatus[];

export interface NewClaim {
  followUpId: string;
  shipmentId: number;
  carrier: string;
  trackingNumber: string;
  type: ClaimType;
  filedVia: 'portal' | 'agent';
  status: StoredClaimStatus;
  /** The carrier's reference; none while `to_file`. */
  reference?: string;
  amountClaimed?: number;
  currency?: string;
  evidenceDocumentId?: string;
  filedAt?: Date;
  windowClosesAt?: string;
}

export interface StoredClaim extends Omit<NewClaim, 'filedAt'> {
  id: number;
  statusNote?: string;
  filedAt?: string;
  lastCheckedAt?: string;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `id, followup_id, shipment_id, carrier, tracking_number, type, filed_via, status, reference, status_note, amount_claimed,
  currency, evidence_document_id, filed_at, last_checked_at, window_closes_at, created_at, updated_at`;

/** Carrier claims: one per follow-up, one per carrier reference. */
export class ClaimRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Stores the claim a follow-up filed or prepared. Recording it again (the follow-up ran again)
   * updates that row; a reference the carrier already gave another claim (its robot answered the
   * claim still open for the parcel) returns that claim rather than a second one.
   */
  async record(claim: NewClaim, now: Date): Promise<StoredClaim> {
    if (claim.reference !== undefined) {
      const [existing] = await this.sql.query(`select ${COLUMNS} from claims where carrier = $1 and reference = $2`, [claim.carrier, claim.reference]);
      if (existing) return toClaim(existing);
    }
    const [row] = await this.sql.query(
      `insert into claims (followup_id, shipment_id, carrier, tracking_number, type, filed_via, status, reference, amount_claimed, currency,
         evidence_document_id, filed_at, window_closes_at, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
       on conflict (followup_id) do update set
         filed_via = excluded.filed_via, status = excluded.status, reference = excluded.reference, amount_claimed = excluded.amount_claimed,
         currency = excluded.currency, evidence_document_id = excluded.evidence_document_id, filed_at = excluded.filed_at,
         window_closes_at = excluded.window_closes_at, updated_at = excluded.updated_at
       returning ${COLUMNS}`,
      [
        claim.followUpId,
        claim.shipmentId,
        claim.carrier,
        claim.trackingNumber,
        claim.type,
        claim.filedVia,
        claim.status,
        claim.reference ?? null,
        claim.amountClaimed ?? null,
        claim.currency ?? null,
        claim.evidenceDocumentId ?? null,
        claim.filedAt ?? null,
        claim.windowClosesAt ?? null,
        now,
      ],
    );
    if (!row) throw new Error('claim insert returned no row');
    return toClaim(row);
  }

  /** An agent filed a `to_file` claim by hand and got the carrier's reference. */
  async recordFiledByAgent(id: number, reference: string, filedAt: Date): Promise<StoredClaim | undefined> {
    const [row] = await this.sql.query(
      `update claims set status = 'submitted', reference = $2, filed_at = $3, updated_at = $3 where id = $1 and status = 'to_file' returning ${COLUMNS}`,
      [id, reference, filedAt],
    );
    return row && toClaim(row);
  }

  async findByFollowUp(followUpId: string): Promise<StoredClaim | undefined> {
    const [row] = await this.sql.query(`select ${COLUMNS} from claims where followup_id = $1`, [followUpId]);
    return row && toClaim(row);
  }

  /** A shipment's claims, oldest first: what its case shows. */
  async listForShipment(shipmentId: number): Promise<StoredClaim[]> {
    const rows = await this.sql.query(`select ${COLUMNS} from claims where shipment_id = $1 order by id`, [shipmentId]);
    return rows.map(toClaim);
  }

  /** Filed claims the carrier may still move on, by carrier then age. */
  async listOpen(limit = 1000): Promise<StoredClaim[]> {
    const rows = await this.sql.query(`select ${COLUMNS} from claims where status = any($1::text[]) order by carrier, id limit $2`, [OPEN_CLAIM_STATUSES, limit]);
    return rows.map(toClaim);
  }

  /** Claims an agent has still to file, soonest window first (none known last). */
  async listToFile(limit = 1000): Promise<StoredClaim[]> {
    const rows = await this.sql.query(`select ${COLUMNS} from claims where status = 'to_file' order by window_closes_at nulls last, id limit $1`, [limit]);
    return rows.map(toClaim);
  }

  /** What the carrier says now; true when that changed the claim. Always records that it was checked. */
  async updateStatus(id: number, status: ClaimStatus, note: string | undefined, checkedAt: Date): Promise<boolean> {
    const rows = await this.sql.query(
      `update claims set
         updated_at = case when old.changed then $4 else claims.updated_at end,
         status = $2, status_note = $3, last_checked_at = $4
       from (select id, status is distinct from $2::text or status_note is distinct from $3::text as changed from claims where id = $1) old
       where claims.id = old.id
       returning old.changed`,
      [id, status, note ?? null, checkedAt],
    );
    return rows[0]?.changed === true;
  }

  async markChecked(ids: readonly number[], checkedAt: Date): Promise<void> {
    if (ids.length > 0) await this.sql.query('update claims set last_checked_at = $2 where id = any($1::bigint[])', [ids, checkedAt]);
  }
}

function toClaim(row: Row): StoredClaim {
  return {
    id: Number(row.id),
    followUpId: String(row.followup_id),
    shipmentId: Number(row.shipment_id),
    carrier: String(row.carrier),
    trackingNumber: String(row.tracking_number),
    type: row.type as ClaimType,
    filedVia: row.filed_via as StoredClaim['filedVia'],
    status: row.status as StoredClaimStatus,
    reference: text(row.reference),
    statusNote: text(row.status_note),
    amountClaimed: row.amount_claimed == null ? undefined : Number(row.amount_claimed),
    currency: text(row.currency),
    evidenceDocumentId: text(row.evidence_document_id),
    filedAt: iso(row.filed_at),
    lastCheckedAt: iso(row.last_checked_at),
    windowClosesAt: iso(row.window_closes_at),
    createdAt: iso(row.created_at) ?? '',
    updatedAt: iso(row.updated_at) ?? '',
  };
}
