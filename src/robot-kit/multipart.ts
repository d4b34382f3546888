/** One part of a MIME multipart body: its headers (names lower-cased) and its bytes as sent. */
export interface BodyPart {
  headers: Record<string, string>;
  body: Buffer;
}

/** The `boundary` parameter of a multipart Content-Type, quoted or not; undefined when there is none. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/**
 * Splits a multipart body (RFC 2046) into its parts, bytes untouched: a part may be binary (a PDF
 * label). Line breaks may be CRLF, as the RFC says, or bare LF, as some services send. Throws
 * when the body does not hold the boundary or is cut before its closing delimiter.
 */
export function splitMultipart(body: Buffer, boundary: string): BodyPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error(`the multipart body holds no boundary "${boundary}"`);
  const parts: BodyPart[] = [];
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString('latin1') === '--') return parts;
    // The delimiter line ends with CRLF or LF, maybe after transport padding.
    const lineEnd = body.indexOf(0x0a, afterDelimiter);
    const next = lineEnd < 0 ? -1 : body.indexOf(delimiter, lineEnd + 1);
    if (next < 0) throw new Error('the multipart body ends before its closing boundary');
    const start = lineEnd + 1;
    parts.push(readPart(body.subarray(start, withoutLineBreakBefore(body, next))));
    at = next;
  }
}

/** The delimiter's line break belongs to the delimiter, not to the part before it. */
function withoutLineBreakBefore(body: Buffer, delimiterAt: number): number {
  let end = delimiterAt;
  if (body[end - 1] === 0x0a) end -= 1;
  if (body[end - 1] === 0x0d) end -= 1;
  return end;
}

function readPart(part: Buffer): BodyPart {
  const crlf = part.indexOf('\r\n\r\n');
  const lf = part.indexOf('\n\n');
  const [headerEnd, gap] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : lf >= 0 ? [lf, 2] : [part.length, 0];
  return { headers: parseHeaderLines(part.subarray(0, headerEnd).toString('latin1')), body: part.subarray(headerEnd + gap) };
}

/** `Name: value` lines, folded lines joined (RFC 5322 unfolding); names lower-cased, a repeated name keeps its first value. */
export function parseHeaderLines(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return headers;
}
