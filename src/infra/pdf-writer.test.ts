import { describe, expect, it } from 'vitest';
import { readPdf } from '../../fixtures/testing/pdf-text.ts';
import { writePdf } from './pdf-writer.ts';

const at = new Date('2026-03-10T09:00:00Z');

describe('writePdf', () => {
  it('writes a PDF with its metadata, the clock given as its dates, and every line', async () => {
    const bytes = await writePdf({ title: 'Evidence 6A12345678901', subject: 'Claim', at }, [
      { text: 'Évidence pack', size: 16, bold: true },
      { text: 'Livré à un voisin — 12 €', gapBefore: 8 },
    ]);
    const { pdf, text } = await readPdf(bytes);
    expect(pdf.getTitle()).toBe('Evidence 6A12345678901');
    expect(pdf.getSubject()).toBe('Claim');
    expect(pdf.getCreationDate()).toEqual(at);
    expect(text.split('\n')).toEqual(['Évidence pack', 'Livré à un voisin — 12 €']);
  });

  it('replaces what the standard font cannot draw instead of failing', async () => {
    const { text } = await readPdf(await writePdf({ title: 't', at }, [{ text: 'Łódź 📦\tok' }]));
    expect(text).toBe('?ód? ? ok');
  });

  it('wraps long lines and starts a new page when one is full', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const { pdf, text } = await readPdf(await writePdf({ title: 't', at, pageSize: [200, 200], margin: 20 }, [{ text: long }, { text: 'x'.repeat(80) }]));
    expect(pdf.getPageCount()).toBeGreaterThan(1);
    const lines = text.split('\n');
    const [words, cut] = [lines.filter((line) => line.startsWith('word')), lines.filter((line) => line.startsWith('x'))];
    expect(words.length).toBeGreaterThan(1);
    expect(words.join(' ')).toBe(long);
    expect(cut.length).toBeGreaterThan(1);
    expect(cut.join('')).toBe('x'.repeat(80));
  });
});
