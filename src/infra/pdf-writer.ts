import type { PDFFont } from 'pdf-lib';

/** One paragraph: wrapped to the page width, on a new page when the page is full. */
export interface PdfLine {
  text: string;
  /** Points; default 10. */
  size?: number;
  bold?: boolean;
  /** Extra space above it, in points (a heading after a section). */
  gapBefore?: number;
}

export interface PdfOptions {
  title: string;
  subject?: string;
  /** Stamped as creation and modification date: pdf-lib would read the system clock. */
  at: Date;
  /** Width and height in points; default A4. */
  pageSize?: [number, number];
  /** Default 48 points. */
  margin?: number;
}

export const A4: [number, number] = [595.28, 841.89];

/**
 * A text-only PDF: each line drawn in Helvetica, wrapped, paged. Enough for evidence packs and
 * simulated labels; a character the standard font cannot draw (outside Windows-1252) becomes "?"
 * rather than failing the whole document.
 */
export async function writePdf(options: PdfOptions, lines: readonly PdfLine[]): Promise<Buffer> {
  // Loaded on first use: most processes write no PDF, and pdf-lib adds about 0.2 s to every start.
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(options.title);
  if (options.subject !== undefined) pdf.setSubject(options.subject);
  pdf.setProducer('parcelbot');
  pdf.setCreationDate(options.at);
  pdf.setModificationDate(options.at);
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  const drawable = new Set(fonts.regular.getCharacterSet());
  const [width, height] = options.pageSize ?? A4;
  const margin = options.margin ?? 48;
  let page = pdf.addPage([width, height]);
  let y = height - margin;
  for (const line of lines) {
    const size = line.size ?? 10;
    const font = line.bold ? fonts.bold : fonts.regular;
    y -= line.gapBefore ?? 0;
    for (const piece of wrap(safeText(line.text, drawable), font, size, width - 2 * margin)) {
      if (y - size < margin) {
        page = pdf.addPage([width, height]);
        y = height - margin;
      }
      y -= size;
      page.drawText(piece, { x: margin, y, size, font });
      y -= size * 0.4;
    }
  }
  return Buffer.from(await pdf.save());
}

function safeText(text: string, drawable: ReadonlySet<number>): string {
  return [...text.replace(/[\t\r\n]+/g, ' ')].map((char) => (drawable.has(char.codePointAt(0) ?? 0) ? char : '?')).join('');
}

/** Words to lines no wider than `maxWidth`; a single word wider than that is cut. */
function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= maxWidth;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = word;
    while (!fits(current)) {
      let cut = current.length - 1;
      while (cut > 1 && !fits(current.slice(0, cut))) cut -= 1;
      lines.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  return [...lines, current];
}
