import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentLinks, DocumentSink, FollowUpDocument } from './document-sink.ts';

/**
 * Documents as files in a directory (PARCELBOT_DATA_DIR/documents): `<id>.bin` and `<id>.json`
 * (name, type, links). The id hashes the follow-up, the name and the bytes. Written to a
 * temporary name then renamed, so a crash never leaves half a document under its id.
 */
export function createFileDocumentSink(dir: string): DocumentSink {
  const file = (id: string, extension: string) => path.join(dir, `${id}.${extension}`);
  const writeAtomically = async (target: string, content: string | Buffer) => {
    await writeFile(`${target}.tmp`, content);
    await rename(`${target}.tmp`, target);
  };
  return {
    async save(document: FollowUpDocument, links: DocumentLinks): Promise<string> {
      const id = createHash('sha256').update(links.followUpId).update('\u0000').update(document.fileName).update('\u0000').update(document.bytes).digest('hex').slice(0, 32);
      await mkdir(dir, { recursive: true });
      await writeAtomically(file(id, 'bin'), document.bytes);
      await writeAtomically(file(id, 'json'), JSON.stringify({ fileName: document.fileName, contentType: document.contentType, ...links }));
      return id;
    },
    async read(id: string): Promise<FollowUpDocument | undefined> {
      if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
      try {
        const meta = JSON.parse(await readFile(file(id, 'json'), 'utf8')) as { fileName: string; contentType: string };
        return { fileName: meta.fileName, contentType: meta.contentType, bytes: await readFile(file(id, 'bin')) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}
