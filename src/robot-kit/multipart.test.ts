import { describe, expect, it } from 'vitest';
import { boundaryOf, parseHeaderLines, splitMultipart } from './multipart.ts';

const PDF_BYTES = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x0d, 0x0a, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a, 0x00, 0xff]);

function body(lineBreak: string): Buffer {
  return Buffer.concat([
    Buffer.from(`--uuid:abc${lineBreak}Content-Type: application/json;charset=UTF-8${lineBreak}Content-ID: <jsonInfos>${lineBreak}${lineBreak}{"é":1}${lineBreak}`),
    Buffer.from(`--uuid:abc${lineBreak}Content-Type: application/octet-stream${lineBreak}Content-ID: <label>${lineBreak}${lineBreak}`),
    PDF_BYTES,
    Buffer.from(`${lineBreak}--uuid:abc--${lineBreak}`),
  ]);
}

describe('splitMultipart', () => {
  it.each([
    ['CRLF', '\r\n'],
    ['bare LF', '\n'],
  ])('reads every part with %s line breaks, binary bytes untouched', (_name, lineBreak) => {
    const parts = splitMultipart(body(lineBreak), 'uuid:abc');
    expect(parts.map((part) => part.headers['content-id'])).toEqual(['<jsonInfos>', '<label>']);
    expect(parts[0]?.body.toString('utf8')).toBe('{"é":1}');
    expect(parts[1]?.body.equals(PDF_BYTES)).toBe(true);
  });

  it.each([
    ['no boundary in the body', Buffer.from('{"messages":[]}'), /holds no boundary "uuid:abc"/],
    ['a body cut before its closing delimiter', body('\r\n').subarray(0, 120), /ends before its closing boundary/],
  ])('refuses %s', (_name, input, message) => {
    expect(() => splitMultipart(input, 'uuid:abc')).toThrow(message);
  });
});

describe('boundaryOf', () => {
  it.each([
    ['multipart/mixed; boundary="uuid:9c80b689"; type="application/json"', 'uuid:9c80b689'],
    ['multipart/mixed;boundary=simple-1', 'simple-1'],
    ['application/json', undefined],
  ])('%s -> %s', (contentType, boundary) => {
    expect(boundaryOf(contentType)).toBe(boundary);
  });
});

describe('parseHeaderLines', () => {
  it('unfolds continued lines and lower-cases names', () => {
    expect(parseHeaderLines('Subject: =?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=\r\nContent-Type: text/plain')).toEqual({ subject: '=?UTF-8?Q?a?= =?UTF-8?Q?b?=', 'content-type': 'text/plain' });
  });
});
