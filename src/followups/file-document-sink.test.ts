import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileDocumentSink } from './file-document-sink.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'pb-documents-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const sink = createFileDocumentSink(path.join(dir, 'documents'));
const label = { fileName: 'return.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.7 label') };
const links = { kind: 'return_label', shipmentId: 1, followUpId: 'fu-1' } as const;

describe('createFileDocumentSink', () => {
  it('keeps a document and reads it back by its id', async () => {
    const id = await sink.save(label, links);
    expect(await sink.read(id)).toEqual(label);
  });

  it('gives the same id to the same document saved again for the same follow-up, keeping one copy', async () => {
    const first = await sink.save(label, links);
    expect(await sink.save(label, links)).toBe(first);
    expect(await sink.save(label, { ...links, followUpId: 'fu-2' })).not.toBe(first);
    expect((await readdir(path.join(dir, 'documents'))).filter((name) => name.endsWith('.bin'))).toHaveLength(2);
  });

  it('reads nothing for an unknown or malformed id', async () => {
    expect(await sink.read('0'.repeat(32))).toBeUndefined();
    expect(await sink.read('../../etc/passwd')).toBeUndefined();
  });
});
