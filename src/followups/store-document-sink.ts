import type { Clock } from '../infra/clock.ts';
import type { Store } from '../store/store.ts';
import type { DocumentSink } from './document-sink.ts';

/**
 * Follow-up documents (labels, evidence packs) in the store's `documents` table, where every
 * worker on PostgreSQL reads what another one wrote.
 */
export function createStoreDocumentSink(store: () => Promise<Store>, clock: Clock): DocumentSink {
  return {
    async save(document, links) {
      const id = await (await store()).documents.saveOnce(
        { followUpId: links.followUpId, shipmentId: links.shipmentId, fileName: document.fileName, contentType: document.contentType, content: document.bytes },
        clock.now(),
      );
      return String(id);
    },
    async read(id) {
      if (!/^\d{1,15}$/.test(id)) return undefined;
      const stored = await (await store()).documents.get(Number(id));
      return stored && { fileName: stored.fileName, contentType: stored.contentType, bytes: stored.content };
    },
  };
}
