import type { Row, Sql } from './database.ts';

export interface NewDocument {
  /** At least one of the two. */
  followUpId?: string;
  shipmentId?: number;
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** A stored file without its content: what a list shows. */
export interface DocumentInfo {
  id: number;
  followUpId?: string;
  shipmentId?: number;
  fileName: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface StoredDocument extends DocumentInfo {
  content: Buffer;
}

/**
 * Files made for follow-ups (return labels, evidence packs), kept in the database rather than on
 * a disk: every worker on PostgreSQL reads what another one wrote.
 */
export class DocumentRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Saves a document once: the same bytes under the same name for the same follow-up keep the
   * id they were first saved under, so an executor that runs again keeps one copy.
   */
  async saveOnce(document: NewDocument, now: Date): Promise<number> {
    const [same] = await this.sql.query<{ id: number }>(
      `select id from documents where followup_id is not distinct from $1 and file_name = $2 and content = $3 order by id limit 1`,
      [document.followUpId ?? null, document.fileName, document.content],
    );
    return same ? Number(same.id) : this.save(document, now);
  }

  async save(document: NewDocument, now: Date): Promise<number> {
    const [row] = await this.sql.query<{ id: number }>(
      `insert into documents (followup_id, shipment_id, file_name, content_type, content, created_at)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [document.followUpId ?? null, document.shipmentId ?? null, document.fileName, document.contentType, document.content, now],
    );
    if (!row) throw new Error('document insert returned no row');
    return Number(row.id);
  }

  async get(id: number): Promise<StoredDocument | undefined> {
    const [row] = await this.sql.query(`select *, octet_length(content) as size from documents where id = $1`, [id]);
    return row && { ...toInfo(row), content: Buffer.from(row.content as Uint8Array) };
  }

  /** A follow-up's or a shipment's files, oldest first. */
  async list(owner: { followUpId: string } | { shipmentId: number }): Promise<DocumentInfo[]> {
    const [column, value] = 'followUpId' in owner ? ['followup_id', owner.followUpId] : ['shipment_id', owner.shipmentId];
    const rows = await this.sql.query(
      `select id, followup_id, shipment_id, file_name, content_type, octet_length(content) as size, created_at from documents
       where ${column} = $1 order by id`,
      [value],
    );
    return rows.map(toInfo);
  }
}

function toInfo(row: Row): DocumentInfo {
  return {
    id: Number(row.id),
    followUpId: row.followup_id == null ? undefined : String(row.followup_id),
    shipmentId: row.shipment_id == null ? undefined : Number(row.shipment_id),
    fileName: String(row.file_name),
    contentType: String(row.content_type),
    size: Number(row.size),
    createdAt: (row.created_at as Date).toISOString(),
  };
}
