/** A file parcelbot made or received for a follow-up: a return label, an evidence pack. */
export interface FollowUpDocument {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/** What a document belongs to, for a manager looking at a shipment or a follow-up. */
export interface DocumentLinks {
  kind: 'return_label' | 'evidence_pack';
  shipmentId: number;
  followUpId: string;
}

/**
 * Where follow-up documents are kept. Saving the same bytes under the same name for the same
 * follow-up again gives the same id, so an executor that runs again keeps one copy.
 */
export interface DocumentSink {
  save(document: FollowUpDocument, links: DocumentLinks): Promise<string>;
  read(id: string): Promise<FollowUpDocument | undefined>;
}
